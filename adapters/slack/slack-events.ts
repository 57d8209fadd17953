import { z } from 'zod'
import { canonicalEmoji } from '../../src/format/emoji.ts'
import type { PlatformEvent } from '../../src/inbound/platform-event.ts'

/**
 * The parts of Slack's Events API payloads we read (api.slack.com/events/message and its
 * subtypes message_changed, message_deleted; reaction_added, reaction_removed; channel_archive,
 * channel_unarchive, channel_deleted). Fields we do not read are dropped; optional ones may also
 * be null, as Slack sometimes sends them.
 */
const file = z.object({
  name: z.string().nullish(),
  url_private: z.string().nullish(),
  permalink: z.string().nullish(),
  size: z.number().nullish(),
  mimetype: z.string().nullish(),
})

const message = z.object({
  subtype: z.string().nullish(),
  user: z.string().nullish(),
  bot_id: z.string().nullish(),
  text: z.string().nullish(),
  ts: z.string(),
  thread_ts: z.string().nullish(),
  files: z.array(file).nullish(),
  /** A person's edit: who made it and when (its own ts). */
  edited: z.object({ ts: z.string() }).nullish(),
})

export const slackMessageEvent = message.extend({
  channel: z.string(),
  message: message.nullish(),
  deleted_ts: z.string().nullish(),
  previous_message: message.partial().nullish(),
  event_ts: z.string().nullish(),
})
export type SlackMessageEvent = z.infer<typeof slackMessageEvent>

/** What we keep of a reaction_added / reaction_removed event whose item is a message. */
export const slackReactionEvent = z.object({
  channel: z.string(),
  ts: z.string(),
  user: z.string(),
  reaction: z.string(),
})
export type SlackReactionEvent = z.infer<typeof slackReactionEvent>

export const slackChannelEvent = z.object({ channel: z.string() })

/** The envelope's event_id, which makes a redelivery recognisable. */
export const slackEnvelope = z.object({ event_id: z.string().optional() })

/** Dead letters that failed because the channel was archived carry Slack's own error code. */
export const ARCHIVED_FAILURE = 'slack: is_archived'

/**
 * One Slack event (as the spool keeps it) in the core's terms, or undefined when it means nothing
 * to the bridge (a bot's message, a subtype we do not mirror, a change that changed no text).
 * Throws ZodError when the payload does not have the shape we read.
 */
export function fromSlackEvent(kind: string, data: unknown, eventId: string): PlatformEvent | undefined {
  const origin = { platform: 'slack' as const, eventId }
  switch (kind) {
    case 'message':
      return fromMessage(slackMessageEvent.parse(data), origin)
    case 'reaction_added':
    case 'reaction_removed': {
      const reaction = slackReactionEvent.parse(data)
      return {
        kind: 'reaction_changed',
        origin,
        ref: { platform: 'slack', channelId: reaction.channel, messageId: reaction.ts },
        platformUserId: reaction.user,
        emoji: canonicalEmoji('slack', { name: reaction.reaction }),
        added: kind === 'reaction_added',
      }
    }
    case 'channel_archive':
    case 'channel_deleted':
    case 'channel_unarchive': {
      const { channel } = slackChannelEvent.parse(data)
      if (kind === 'channel_unarchive')
        return {
          kind: 'channel_unarchived',
          origin,
          channelId: channel,
          retryFailuresStartingWith: ARCHIVED_FAILURE,
        }
      return {
        kind: kind === 'channel_archive' ? 'channel_archived' : 'channel_deleted',
        origin,
        channelId: channel,
      }
    }
    default:
      return undefined
  }
}

function fromMessage(event: SlackMessageEvent, origin: { platform: 'slack'; eventId: string }) {
  const at = (ts: string) => ({ platform: 'slack' as const, channelId: event.channel, messageId: ts })
  if (event.subtype === 'message_changed' && event.message) {
    const edited = event.message
    // A deleted thread parent with replies is not removed but becomes a tombstone.
    if (edited.subtype === 'tombstone')
      return { kind: 'message_deleted' as const, origin, ref: at(edited.ts), wasThreadRoot: true }
    if (edited.bot_id || !edited.user) return undefined
    // An edit that only changed the thread's reply count (Slack sends those too) changes nothing.
    if (edited.text === event.previous_message?.text) return undefined
    const text = edited.text ?? ''
    // When the edit was made: deliveries over HTTP come in any order, and the core keeps the newest.
    const editedAtUs = microsOf(edited.edited?.ts ?? event.event_ts ?? event.ts)
    return {
      kind: 'message_edited' as const,
      origin,
      ref: at(edited.ts),
      author: { platformUserId: edited.user },
      text,
      asOpeningPost: { titledByFirstLine: true as const },
      ...(editedAtUs === undefined ? {} : { editedAtUs }),
    }
  }
  if (event.subtype === 'message_deleted' && event.deleted_ts) {
    const rootOf = event.previous_message?.thread_ts
    const wasThreadRoot = rootOf == null || rootOf === event.deleted_ts
    return { kind: 'message_deleted' as const, origin, ref: at(event.deleted_ts), wasThreadRoot }
  }
  if (event.subtype != null && event.subtype !== 'thread_broadcast' && event.subtype !== 'file_share')
    return undefined
  if (event.bot_id || !event.user) return undefined
  const text = event.text ?? ''
  const threadTs = event.thread_ts ?? undefined
  const posted = {
    kind: 'message_posted' as const,
    origin,
    channelId: event.channel,
    author: { platformUserId: event.user },
    text,
    format: 'slack' as const,
    attachments: (event.files ?? []).map((f) => ({
      fileName: f.name ?? 'file',
      url: f.permalink ?? f.url_private ?? '',
      sizeBytes: f.size ?? null,
      contentType: f.mimetype ?? null,
    })),
    source: { ...at(event.ts), threadId: threadTs ?? event.ts },
  }
  // A top-level message opens a discussion; one in a thread replies to the thread's.
  if (threadTs === undefined || threadTs === event.ts) {
    return { ...posted, opens: { titledByFirstLine: true as const } }
  }
  return { ...posted, thread: { threadId: threadTs, startedAt: new Date(Number(threadTs) * 1000) } }
}

/** A Slack ts ("1700000000.000200": seconds, then microseconds) in microseconds; undefined if it is not one. */
function microsOf(ts: string): number | undefined {
  const match = /^(\d{1,12})\.(\d{1,6})$/.exec(ts)
  if (match === null) return undefined
  return Number(match[1]) * 1_000_000 + Number((match[2] ?? '').padEnd(6, '0'))
}
