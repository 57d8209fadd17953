import type { BodyFormat } from '../db/schema.ts'
import type { Platform } from '../platform/platform.ts'
import { discordToSlack, escapeSlack } from './discord-to-slack.ts'
import { defuseMassMentionWords, type FormatContext } from './format-context.ts'
import { ownSlackMention, withoutOwnMarks } from './slack-control-guard.ts'
import { escapeDiscord, slackToDiscord } from './slack-to-discord.ts'

export { discordToSlack } from './discord-to-slack.ts'
export type { FormatContext } from './format-context.ts'
export { slackToDiscord, slackToPlain } from './slack-to-discord.ts'

/**
 * Slack text with its broadcast and user-group mentions (`<!channel>`, `<!here>`, `<!everyone>`,
 * `<!subteam^ID|@team>`) turned into words that cannot notify: a bot posting for someone must
 * never ping a crowd, even one they typed (https://api.slack.com/reference/surfaces/formatting#special-mentions).
 * The author's mentions of single people are marked as kept (`ownSlackMention`): they were written
 * on Slack, for Slack.
 */
export function defuseSlackBroadcasts(text: string): string {
  return withoutOwnMarks(text)
    .replace(
      /<!(channel|here|everyone)(?:\|[^>]*)?>|<!subteam\^[A-Z0-9]+(?:\|([^>]*))?>/g,
      (_m, word, label) => (word !== undefined ? `@\u2060${word}` : defuseMassMentionWords(label ?? '@team')),
    )
    .replace(/<@([UW][A-Z0-9]+)(?:\|[^<>]*)?>/g, (_m, id: string) => ownSlackMention(id))
}

/** Text stored in `from`'s markup, as `to` should show it. Plain text is escaped, never parsed. */
export function convertText(text: string, from: BodyFormat, to: Platform, ctx: FormatContext = {}): string {
  // Written on the platform it goes to (a command's text): only Slack's broadcasts need defusing
  // there, since Discord's never ping through allowed_mentions.
  if (from === to) return to === 'slack' ? defuseSlackBroadcasts(text) : text
  if (from === 'discord') return discordToSlack(text, ctx)
  if (from === 'slack') return slackToDiscord(text, ctx)
  return defuseMassMentionWords(to === 'slack' ? escapeSlack(text) : escapeDiscord(text))
}
