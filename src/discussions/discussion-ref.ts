import type { Platform } from '../platform/platform.ts'

/**
 * How a person names a discussion when a command asks for one: its short number (`12`, `#12`),
 * or a link to any of its messages as the platforms' "Copy link" gives it.
 */
export type DiscussionRef =
  | { kind: 'number'; number: number }
  /** A message (`messageId` set) or, on Discord, a whole thread (a channel link to the thread). */
  | { kind: 'message'; platform: Platform; channelId: string; messageId?: string; threadId?: string }

/**
 * Discord's message links, https://discord.com/channels/{guild}/{channel}/{message}, from the
 * app, the browser, PTB or Canary (and the older discordapp.com); without the message part it
 * links the channel, which for a thread is the discussion itself.
 */
const DISCORD_LINK =
  /^https?:\/\/(?:(?:www|ptb|canary)\.)?discord(?:app)?\.com\/channels\/(\d{17,20}|@me)\/(\d{17,20})(?:\/(\d{17,20}))?\/?$/

/**
 * Slack's permalinks, https://{workspace}.slack.com/archives/{channel}/p{ts without its dot},
 * with `?thread_ts={root ts}&cid={channel}` when the message is a thread reply
 * (https://api.slack.com/methods/chat.getPermalink).
 */
const SLACK_LINK =
  /^https?:\/\/[a-z0-9-]+(?:\.enterprise)?\.slack\.com\/archives\/([A-Z0-9]+)\/p(\d{10})(\d{6})(\?\S*)?$/

/** Parses what a person typed; undefined when it is neither a number nor a platform link. */
export function parseDiscussionRef(input: string): DiscussionRef | undefined {
  // Slack wraps links it recognises in angle brackets, with an optional label: <url|label>.
  const text = input.trim().replace(/^<([^>|]+)(?:\|[^>]*)?>$/, '$1')
  const number = /^#?(\d{1,9})$/.exec(text)
  if (number) return { kind: 'number', number: Number(number[1]) }
  const discord = DISCORD_LINK.exec(text)
  if (discord) {
    const [, , channelId = '', messageId] = discord
    return messageId === undefined
      ? { kind: 'message', platform: 'discord', channelId, threadId: channelId }
      : { kind: 'message', platform: 'discord', channelId, messageId, threadId: channelId }
  }
  const slack = SLACK_LINK.exec(text)
  if (slack) {
    const [, channelId = '', seconds, micros, query] = slack
    const threadTs = query ? new URLSearchParams(query.slice(1)).get('thread_ts') : null
    return {
      kind: 'message',
      platform: 'slack',
      channelId,
      messageId: `${seconds}.${micros}`,
      ...(threadTs && /^\d{10}\.\d{6}$/.test(threadTs) ? { threadId: threadTs } : {}),
    }
  }
  return undefined
}
