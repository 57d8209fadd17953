import type { BodyFormat } from '../db/schema.ts'

/** The ids a message mentions, by kind, each once: what its converter will ask names for. */
export interface MentionedIds {
  users: string[]
  channels: string[]
  roles: string[]
}

const NONE: MentionedIds = { users: [], channels: [], roles: [] }

/**
 * Finds the mentions in a stored body without parsing it: `<@id>`, `<@!id>`, `<#id>`, `<@&id>` in
 * Discord markdown; `<@U…>`, `<@U…|label>`, `<#C…>`, `<#C…|label>` in Slack mrkdwn. A mention
 * inside code is found too (and named for nothing): cheaper than a parse on every message.
 */
export function mentionedIds(text: string, format: BodyFormat): MentionedIds {
  if (format === 'plain' || !text.includes('<')) return NONE
  const all = (pattern: RegExp) => [...new Set(Array.from(text.matchAll(pattern), (m) => m[1] ?? ''))]
  return format === 'discord'
    ? { users: all(/<@!?(\d{15,25})>/g), channels: all(/<#(\d{15,25})>/g), roles: all(/<@&(\d{15,25})>/g) }
    : {
        users: all(/<@([UW][A-Z0-9]+)(?:\|[^>]*)?>/g),
        channels: all(/<#(C[A-Z0-9]+)(?:\|[^>]*)?>/g),
        roles: [],
      }
}
