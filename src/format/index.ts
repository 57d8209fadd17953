import type { BodyFormat } from '../db/schema.ts'
import type { Platform } from '../platform/platform.ts'
import { discordToSlack, escapeSlack } from './discord-to-slack.ts'
import { defuseMassMentionWords, type FormatContext } from './format-context.ts'
import { escapeDiscord, slackToDiscord } from './slack-to-discord.ts'

export { discordToSlack } from './discord-to-slack.ts'
export type { FormatContext } from './format-context.ts'
export { slackToDiscord, slackToPlain } from './slack-to-discord.ts'

/** Text stored in `from`'s markup, as `to` should show it. Plain text is escaped, never parsed. */
export function convertText(text: string, from: BodyFormat, to: Platform, ctx: FormatContext = {}): string {
  if (from === to) return text
  if (from === 'discord') return discordToSlack(text, ctx)
  if (from === 'slack') return slackToDiscord(text, ctx)
  return defuseMassMentionWords(to === 'slack' ? escapeSlack(text) : escapeDiscord(text))
}
