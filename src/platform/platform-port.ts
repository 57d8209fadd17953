import type { BridgeModerators, CommunityBridge } from '../communities/community-registry.ts'
import type { Platform } from './platform.ts'

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
   * The channel the message itself is in: a Discord thread (a thread is a channel there), or the
   * text channel beside it for a thread's starter message; the bridged Slack channel.
   */
  channelId: string
}

export interface PublishDiscussion {
  bridge: CommunityBridge
  /** The job's idempotency key: the same key is never published twice. */
  key: string
  title: string
  /** The body, already in this platform's markup and split to its limits. */
  parts: string[]
  author: AuthorView
  /**
   * Accounts the text mentions that may be notified: people who linked this platform's account
   * to the author's side, mentioned as themselves. Nobody else, and never a crowd (@everyone).
   */
  mentionUsers?: readonly string[]
}

export interface PublishReply {
  bridge: CommunityBridge
  key: string
  threadId: string
  parts: string[]
  author: AuthorView
  /**
   * Accounts the text mentions that may be notified: people who linked this platform's account
   * to the author's side, mentioned as themselves. Nobody else, and never a crowd (@everyone).
   */
  mentionUsers?: readonly string[]
}

/** A message already on the platform. `channelId` is where it is (its link's channel): the thread, or beside it. */
export interface MessageAt {
  bridge: CommunityBridge
  threadId: string
  channelId: string
  messageId: string
}

/** A person as a platform shows them: for attribution, and for mentions turned into names. */
export interface Person {
  displayName: string
  avatarUrl: string | null
}

/**
 * A reply digest, as each platform renders it natively (Discord embeds and buttons, Slack blocks
 * and buttons). Its texts are already in the platform's markup.
 */
export interface DigestMessage {
  /** One line: what a notification shows ("4 new replies in 2 discussions"). */
  summary: string
  sections: DigestSection[]
  /** One line after the sections, for what did not fit ("…and 3 more discussions, 12 replies"). */
  more?: string
  /** Buttons, in order: their ids go back to the core as they are (see digests/digest-actions). */
  actions: { id: string; label: string; danger?: boolean }[]
}

export interface DigestSection {
  /** The discussion: "#12 “Better coffee” in Lightbulb Moment". Plain text. */
  heading: string
  /** "3 new replies", "New discussion by jo (Discord)". Plain text. */
  subheading: string
  /** The newest replies, one line each, in this platform's markup. */
  lines: string[]
  /** Where to read it: "Discord", "Slack" and their addresses. */
  links: { label: string; url: string }[]
}

/** The reason a DeliveryError gives when a person does not take direct messages (Discord 50007). */
export const DMS_CLOSED = 'dms_closed'

/**
 * Something one person must hear and nobody else see, where they just wrote: a Slack ephemeral
 * message in that channel (and thread), a Discord direct message (bots can answer ephemerally
 * only to an interaction, and a message is not one).
 */
export interface PrivateNotice {
  platformUserId: string
  channelId: string
  /** Slack: the thread_ts the person wrote in; null for a top-level message. */
  threadId: string | null
  text: string
}

/**
 * Everything the core asks of one chat platform: the mirror engine posts, edits, deletes and
 * reacts through it, moderators and refused writers are told through it, and names are looked
 * up through it. Adapters implement it (adapters/discord, adapters/slack); `src/` never sees an
 * SDK. Delivery calls throw DeliveryError saying whether a retry can help.
 */
export interface PlatformPort {
  readonly platform: Platform
  /** The longest message this platform takes, in characters; longer texts are split into parts. */
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
  editMessage(input: MessageAt & { text: string; author: AuthorView }): Promise<void>
  deleteMessage(input: MessageAt): Promise<void>
  /**
   * Removes a person's own message: the original of something deleted everywhere. True once it
   * is gone (already gone counts); false where the platform never lets an app remove people's
   * messages (Slack: chat.delete takes only the app's own with a bot token). Throws a
   * DeliveryError where it could but may not now (Discord without Manage Messages: 50013), so the
   * job is dead-lettered, moderators are told, and `/bridge retry` finishes it once it may.
   */
  removeOriginal(input: MessageAt): Promise<boolean>
  /**
   * Whether the bot may remove people's messages in the bridged channel right now (Discord:
   * Manage Messages there, its overwrites counted); always false on Slack. What a deleting
   * moderator is told before the mirror engine tries.
   */
  mayRemoveOriginals(bridge: CommunityBridge): Promise<boolean>
  /**
   * Whether the platform says, now, that this account moderates the bridged channel by its own
   * rights: on Discord the server's owner, Administrator, Manage Messages or Manage Threads in the
   * channel, or a configured role; on Slack a workspace admin or owner, where the configuration
   * counts them. False for an account the platform does not know there. A ban asks it of its
   * target: a moderator is not banned while a moderator, whichever kind.
   */
  moderates(bridge: CommunityBridge & BridgeModerators, platformUserId: string): Promise<boolean>
  /** Shows (once) or removes the bot's reaction with this canonical emoji on a message. Idempotent. */
  setReaction(input: MessageAt & { emoji: string; present: boolean }): Promise<void>
  /**
   * Renames or locks the platform thread: Discord locks the thread itself; Slack, which has no
   * such thing, posts a short note in it. `key` makes the note once per job, retries included.
   */
  updateThread?(input: {
    bridge: CommunityBridge
    threadId: string
    title?: string
    locked?: boolean
    key?: string
  }): Promise<void>
  /**
   * The thread's lock as the platform holds it now, read afresh (undefined: the thread is gone).
   * Only where threads lock (Discord); a set-aside lock report is judged by it (recheckLockReport).
   */
  readLocked?(threadId: string): Promise<boolean | undefined>
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
  /** Tells one person something privately, where they wrote (see PrivateNotice). */
  tellPrivately(notice: PrivateNotice): Promise<void>
  /** A direct message to one person: how moderators hear about failures. */
  directMessage(platformUserId: string, text: string): Promise<void>
  /**
   * Sends a digest as a direct message. `key` is its idempotency key; with `lookFirst` (an
   * earlier attempt ended without an answer) the adapter first looks in the conversation for a
   * digest with this key and sends nothing if it is there. Throws a DeliveryError whose reason
   * is DMS_CLOSED when the person takes no direct messages from the bot.
   */
  sendDigest(input: {
    platformUserId: string
    key: string
    message: DigestMessage
    lookFirst: boolean
  }): Promise<void>
  /** A person's name and avatar (Slack users.info, Discord GET /users/{id}); undefined if unknown. */
  lookUpUser(platformUserId: string): Promise<Person | undefined>
  /**
   * Whether this account is the bot's own on this platform (Discord: the user it logged in as;
   * Slack: the bot user auth.test names): moderators' commands never act on it.
   */
  isOwnAccount(platformUserId: string): Promise<boolean>
  /** A channel's name without its sigil (Slack conversations.info, Discord GET /channels/{id}); undefined if unknown. */
  lookUpChannel(channelId: string): Promise<string | undefined>
  /**
   * A role's name (Discord GET /guilds/{id}/roles); undefined if unknown. Slack's counterpart,
   * a user group (usergroups.list), is not offered yet.
   */
  lookUpRole?(roleId: string): Promise<string | undefined>
  /**
   * The address that opens a message in this platform's client: a Discord message URL
   * (`https://discord.com/channels/{guild}/{channel}/{message}`). Undefined where the platform
   * cannot say; Slack's permalinks (chat.getPermalink) are not offered yet.
   */
  permalink?(
    bridge: CommunityBridge,
    message: { channelId: string; messageId: string },
  ): Promise<string | undefined>
  /** How a person types one of our commands here: `/join` on Discord, `/threadbridge join` on Slack. */
  commandLine?(name: string): string
}
