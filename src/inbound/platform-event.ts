import type { BodyFormat } from '../db/schema.ts'
import type { AttachmentInput } from '../discussions/content-rules.ts'
import type { InboundOrigin, PlatformMessageRef } from '../platform/platform.ts'

/**
 * Who did something, as the event named them. Discord events carry the name and avatar; Slack's
 * carry only the user id, and the name is looked up through the port when it is needed.
 */
export interface EventAuthor {
  platformUserId: string
  displayName?: string
  avatarUrl?: string | null
}

/**
 * How a message's text reads as a discussion's opening post: a body, with the title the platform
 * keeps elsewhere (a Discord thread's name; undefined on an edit, which leaves it), or, where the
 * platform has no titles (a top-level Slack message), the text's own first line, which the core
 * reads with the names of the people it mentions (`openingPostOf`).
 */
export type AsOpeningPost = { title?: string; body: string } | { titledByFirstLine: true }

/**
 * Someone wrote a message in a bridged channel. It opens a discussion (`opens`), or it is written
 * in a platform thread (`thread`) and replies to the discussion that thread holds, if any.
 */
export interface MessagePosted {
  kind: 'message_posted'
  origin: InboundOrigin
  /** The bridged channel: a Discord forum or text channel (a thread's parent), a Slack channel. */
  channelId: string
  author: EventAuthor
  text: string
  format: BodyFormat
  attachments: AttachmentInput[]
  /** Where the message is: its link, once it is ours. */
  source: PlatformMessageRef
  /** It opens a discussion (a forum post, a thread's starter, a top-level Slack message). */
  opens?: { title: string; body: string } | { titledByFirstLine: true }
  /**
   * Read from the channel's history by a backfill rather than received live: it is never our
   * mirror still being written down (no waiting for a link), and a refusal is counted by the
   * backfill, not told to its writer, who wrote it long before (thrown instead).
   */
  backfilled?: true
  /** The platform thread it was written in, for a reply. */
  thread?: {
    threadId: string
    /** When the thread began (its snowflake, its root's ts): a young thread may be our mirror, not yet written down. */
    startedAt: Date
    /** The message it answers (a Discord reply), for a nested reply. */
    answersMessageId?: string
    /** When that message was posted (its snowflake): a young one may be our mirror, not yet written down. */
    answersPostedAt?: Date
    /**
     * A Discord thread of its own (not started from a message) in a text channel, made moments
     * ago by this author: their first message opens it, if the platform confirms it has no starter.
     */
    mayOpen?: { title: string; isThreadOfItsOwn: () => Promise<boolean> }
  }
}

/**
 * A thread was started from a message already in a bridged channel (a Discord text channel):
 * that message opens a discussion. Reading it costs a platform call, so it is read only once the
 * channel is known to be bridged; undefined when it is not a person's (a bot's, our webhook's).
 */
export interface ThreadStarted {
  kind: 'thread_started'
  origin: InboundOrigin
  channelId: string
  readStarter: () => Promise<MessagePosted | undefined>
}

/** Someone edited their message. */
export interface MessageEdited {
  kind: 'message_edited'
  origin: InboundOrigin
  ref: PlatformMessageRef
  author: EventAuthor
  /** The new text as a reply reads it. */
  text: string
  /** The new text as an opening post reads it. */
  asOpeningPost: AsOpeningPost
  /**
   * When the edit was made, as the platform stamps it, in microseconds since the epoch (Slack's
   * `edited.ts`, Discord's `edited_timestamp`). Deliveries can come out of order: an edit stamped
   * before one already applied is older and is ignored. Undefined where the platform says not.
   */
  editedAtUs?: number
}

/** A message was deleted. */
export interface MessageDeleted {
  kind: 'message_deleted'
  origin: InboundOrigin
  ref: PlatformMessageRef
  /**
   * The message held a thread (a Slack root): if it was our mirror of an opening post, the
   * discussion's home on that platform is gone. (Later parts of a long post are not roots.)
   */
  wasThreadRoot: boolean
}

export interface ReactionChanged {
  kind: 'reaction_changed'
  origin: InboundOrigin
  ref: PlatformMessageRef
  platformUserId: string
  /** Canonical form (see canonicalEmoji). */
  emoji: string
  added: boolean
}

/** A platform thread (a Discord thread channel) was deleted, with whatever was in it. */
export interface ThreadDeleted {
  kind: 'thread_deleted'
  origin: InboundOrigin
  /** The bridged channel the thread was in. */
  channelId: string
  threadId: string
  name: string
  /** Where the discussion's opening post would be if it lived in the thread (a forum post's starter). */
  openingPostInThread?: PlatformMessageRef
}

/** A platform thread was locked or unlocked there, by its own moderators (or echoing our lock). */
export interface ThreadLockChanged {
  kind: 'thread_lock_changed'
  origin: InboundOrigin
  threadId: string
  locked: boolean
  /** The thread's lock as the platform says it is now, read afresh (undefined: the thread is gone). */
  readLocked?: () => Promise<boolean | undefined>
}

/** The bridged channel itself changed state. */
export interface ChannelChanged {
  kind: 'channel_archived' | 'channel_unarchived' | 'channel_deleted'
  origin: InboundOrigin
  channelId: string
  /** Its name, when the event says it. */
  name?: string
  /** For an unarchived channel: the dead letters whose failure starts so are put back in the queue. */
  retryFailuresStartingWith?: string
}

/**
 * One platform's event in the core's terms: adapters parse what their platform sends (zod, at
 * the edge) into this, and InboundDecisions decides what it means for both platforms alike.
 */
export type PlatformEvent =
  | MessagePosted
  | ThreadStarted
  | MessageEdited
  | MessageDeleted
  | ReactionChanged
  | ThreadLockChanged
  | ThreadDeleted
  | ChannelChanged
