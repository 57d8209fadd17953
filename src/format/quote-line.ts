import type { BodyFormat } from '../db/schema.ts'
import { discordToSlack } from './discord-to-slack.ts'
import { defuseMassMentionWords, type FormatContext } from './format-context.ts'
import { slackToPlain } from './slack-to-discord.ts'
import { truncate } from './truncate.ts'

/** How long a quoted line may be, in characters. */
export const QUOTE_LENGTH = 120

/**
 * The first line of a stored body as plain words, for the quote a nested reply carries on a
 * platform whose threads are flat: markup removed, mentions named (as `ctx` knows them), a Discord
 * spoiler still hidden, broadcasts defused, at most `QUOTE_LENGTH` characters. Plain, so the quote
 * can be escaped for any platform and never re-pings what the original pinged.
 */
export function quoteLine(text: string, format: BodyFormat, ctx: FormatContext = {}): string {
  // Discord markdown goes through Slack's mrkdwn, whose plain reading already exists.
  const plain =
    format === 'plain'
      ? defuseMassMentionWords(text)
      : slackToPlain(format === 'discord' ? discordToSlack(text, ctx) : text, ctx)
  const line = plain.split('\n').find((candidate) => candidate.trim() !== '') ?? ''
  return truncate(line.trim(), QUOTE_LENGTH)
}
