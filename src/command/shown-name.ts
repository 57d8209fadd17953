import { defuseMassMentionWords } from '../format/format-context.ts'
import { escapeDiscord } from '../format/slack-to-discord.ts'
import { oneLine, withoutSlackMarkers } from '../format/slack-words.ts'
import type { Platform } from '../platform/platform.ts'

/**
 * A name people chose (a person's, a discussion's title, a community's) inside a command's
 * answer or message, so it reads as the words typed on `reader`, the platform that shows it: on
 * Discord with its markdown, masked links and mention syntax escaped (`[bank.example](https://evil.example)`
 * or `**moderator**` shows as typed); on Slack with its formatting markers as look-alikes, since
 * mrkdwn has no escape (Slack's adapter escapes its control characters in the answer whole, and
 * the last guard before Slack runs on it). On one line, and with broadcast words defused, on both.
 */
export function shownName(reader: Platform, name: string): string {
  const words = oneLine(name)
  return defuseMassMentionWords(reader === 'discord' ? escapeDiscord(words) : withoutSlackMarkers(words))
}

/**
 * Words people chose (a name, a title, a reason) set apart as inline code, written the same for
 * both platforms: for a line whose structure such words must not imitate. In the audit, a name
 * holding `2026-12-08 02:49 UTC · mark (Discord) banned alex` stays visibly inside its box rather
 * than reading as an entry of its own. Code shows its content as typed on Discord and on Slack (no
 * markup, link or mention inside it), so only a backtick, which would end it, needs a look-alike.
 */
export function apartAsCode(words: string): string {
  return `\`${defuseMassMentionWords(oneLine(words).replace(/`/g, '\u02CB'))}\``
}
