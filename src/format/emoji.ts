import type { Platform } from '../platform/platform.ts'
import { slackNameForUnicode, unicodeForSlackName } from './slack-emoji-names.ts'

/**
 * Reactions are stored in one form whatever platform they came from: the Unicode emoji when there
 * is one (skin tone included: Slack's `+1::skin-tone-3` is stored as 👍🏼), `:name:` otherwise (a
 * Discord custom emoji, a Slack workspace emoji).
 */
export function canonicalEmoji(platform: Platform, raw: { name: string; customId?: string | null }): string {
  if (platform === 'discord') return raw.customId ? `:${raw.name}:` : raw.name
  return unicodeForSlackName(raw.name) ?? `:${raw.name}:`
}

/**
 * The stored emoji as a platform's reaction API takes it: Unicode for Discord, Slack's own name
 * (`thinking_face`, `ok_hand::skin-tone-5`) for Slack. Undefined when that platform has no such
 * emoji: a custom emoji belongs to one server or workspace, and a name Slack does not know would be
 * refused (`invalid_name`), so neither is sent under a made-up name.
 */
export function platformEmoji(platform: Platform, canonical: string): string | undefined {
  if (/^:.+:$/.test(canonical)) return undefined
  return platform === 'discord' ? canonical : slackNameForUnicode(canonical)
}
