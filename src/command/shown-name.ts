import { defuseMassMentionWords } from '../format/format-context.ts'
import { escapeDiscord } from '../format/slack-to-discord.ts'
import type { Platform } from '../platform/platform.ts'

/**
 * A name people chose (a person's, a discussion's title, a community's) inside a command's
 * answer, so it reads as the words typed: on Discord, with its markdown, masked links and mention
 * syntax escaped (`[bank.example](https://evil.example)` or `**moderator**` shows as typed), and
 * broadcast words defused. Slack's answers are escaped whole by its adapter, and pass the last
 * guard before Slack.
 */
export function shownName(platform: Platform, name: string): string {
  return platform === 'discord' ? defuseMassMentionWords(escapeDiscord(name)) : name
}
