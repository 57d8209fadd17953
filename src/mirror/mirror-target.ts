import type { CommunityBridge } from '../communities/community-registry.ts'
import type { Platform } from '../platform/platform.ts'

/** Who wrote what is being mirrored, as the other platform should show them. */
export interface AuthorView {
  displayName: string
  avatarUrl: string | null
  /** The platform they wrote on, shown beside their name ("Ana (Slack)"); null for our own notices. */
  platform: Platform | null
}

/** One posted message: a long text becomes several, in order. */
export interface PostedPart {
  part: number
  messageId: string
  /** The platform thread it lives in: the Discord thread channel id, the Slack root message ts. */
  threadId: string
  /**
   * The channel the message itself is in, when that is not what the engine assumes (Discord: the
   * thread; Slack: the bridged channel): a Discord text channel's thread starter lives beside it.
   */
  channelId?: string
}

export interface PublishDiscussion {
  bridge: CommunityBridge
  /** The job's idempotency key: the same key is never published twice. */
  key: string
  title: string
  /** The body, already in this platform's markup and split to its limits. */
  parts: string[]
  author: AuthorView
}

export interface PublishReply {
  bridge: CommunityBridge
  key: string
  threadId: string
  parts: string[]
  author: AuthorView
}

/**
 * The mirror engine's port to a platform: what it needs to show a discussion there. Adapters
 * implement it; errors are DeliveryErrors saying whether a retry can help.
 */
export interface MirrorTarget {
  readonly platform: Platform
  /** The longest message this platform takes; longer texts are split into parts. */
  readonly maxMessageLength: number
  /**
   * The opening post's text: a Discord forum post carries the title as its thread's name, a
   * Discord text channel's starter message and Slack put it in bold on top.
   */
  composeDiscussion(bridge: CommunityBridge, title: string, body: string): Promise<string>
  /** A one-line quote of the reply being answered, for nested replies on flat threads. */
  quote(line: string): string
  publishDiscussion(input: PublishDiscussion): Promise<PostedPart[]>
  publishReply(input: PublishReply): Promise<PostedPart[]>
  /** Replaces a posted message's text (the same message, not a new one). */
  /** `channelId` is where the message is (its link's channel): the thread, or beside it. */
  editMessage(input: {
    bridge: CommunityBridge
    threadId: string
    channelId: string
    messageId: string
    text: string
    author: AuthorView
  }): Promise<void>
  deleteMessage(input: {
    bridge: CommunityBridge
    threadId: string
    channelId: string
    messageId: string
  }): Promise<void>
  /** Shows (once) or removes the bot's reaction with this emoji on a message. Idempotent. */
  setReaction(input: {
    bridge: CommunityBridge
    threadId: string
    channelId: string
    messageId: string
    emoji: string
    present: boolean
  }): Promise<void>
  /** Tells one person something privately (a DM): how moderators hear about failures. */
  notifyPerson(platformUserId: string, text: string): Promise<void>
  /** Renames or locks the platform thread, where the platform has such a thing. */
  updateThread?(input: {
    bridge: CommunityBridge
    threadId: string
    title?: string
    locked?: boolean
  }): Promise<void>
  /**
   * Finds what a job with this key already posted, for a job whose last attempt ended without an
   * answer (a crash or a timeout after the platform had accepted it). Empty if nothing was posted.
   */
  findPublished(input: {
    bridge: CommunityBridge
    key: string
    threadId: string | null
    since: Date
    parts: string[]
    author: AuthorView
    /** The discussion's title, when looking for an opening post (a thread may still need making). */
    title?: string
  }): Promise<PostedPart[]>
}
