import * as emoji from 'node-emoji'
import type { Platform } from '../platform/platform.ts'

/**
 * Reactions are stored in one form whatever platform they came from: the Unicode emoji when there
 * is one, `:name:` otherwise (a Discord custom emoji, a Slack workspace emoji).
 */
export function canonicalEmoji(platform: Platform, raw: { name: string; customId?: string | null }): string {
  if (platform === 'discord') return raw.customId ? `:${raw.name}:` : raw.name
  const name = raw.name.replace(/::skin-tone-\d$/, '')
  return emoji.get(name) ?? `:${name}:`
}

/** The stored emoji as a platform's reaction API takes it; undefined when that platform has no such emoji. */
export function platformEmoji(platform: Platform, canonical: string): string | undefined {
  const custom = /^:(.+):$/.exec(canonical)
  if (platform === 'discord') return custom ? undefined : canonical
  if (custom) return custom[1]
  return emoji.which(canonical) ?? undefined
}
