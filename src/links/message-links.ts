import type { Transaction } from 'kysely'
import type { Executor } from '../db/in-transaction.ts'
import type { Database } from '../db/schema.ts'
import type { Platform, PlatformMessageRef } from '../platform/platform.ts'

/** The discussion or reply a platform message belongs to. */
export interface LinkedContent {
  discussionId: string
  /** Null when the message is the discussion's opening post. */
  replyId: string | null
  origin: 'source' | 'mirror'
}

/**
 * Remembers that a platform message is where one of our discussions or replies was written.
 * A row, not a map in memory: edits and deletions must find their target after a restart.
 */
export async function recordSourceMessage(
  tx: Transaction<Database>,
  ref: PlatformMessageRef,
  content: { discussionId: string; replyId: string | null },
  now: Date,
): Promise<void> {
  await tx
    .insertInto('message_links')
    .values({
      platform: ref.platform,
      channel_id: ref.channelId,
      message_id: ref.messageId,
      thread_id: ref.threadId ?? null,
      discussion_id: content.discussionId,
      reply_id: content.replyId,
      part: 0,
      origin: 'source',
      created_at: now,
    })
    .execute()
}

/** Which of our records a platform message is, or mirrors; undefined for a message we never saw. */
export async function findLinkedContent(
  db: Executor,
  ref: { platform: Platform; channelId: string; messageId: string },
): Promise<LinkedContent | undefined> {
  const row = await db
    .selectFrom('message_links')
    .select(['discussion_id', 'reply_id', 'origin'])
    .where('platform', '=', ref.platform)
    .where('channel_id', '=', ref.channelId)
    .where('message_id', '=', ref.messageId)
    .executeTakeFirst()
  return row === undefined ? undefined : linkedContentOf(row)
}

/**
 * The discussion a platform thread holds (a Discord thread channel, a Slack root's ts), from its
 * opening post's link, ours or the source's: how a reply finds its discussion, wherever the
 * opening post itself lives (a forum post lives in its thread, a text channel's starter beside it).
 */
export async function findDiscussionInThread(
  db: Executor,
  ref: { platform: Platform; threadId: string },
): Promise<LinkedContent | undefined> {
  const row = await db
    .selectFrom('message_links')
    .select(['discussion_id', 'reply_id', 'origin'])
    .where('platform', '=', ref.platform)
    .where('thread_id', '=', ref.threadId)
    .where('reply_id', 'is', null)
    .orderBy('part')
    .executeTakeFirst()
  return row === undefined ? undefined : linkedContentOf(row)
}

/** One platform message showing a discussion's opening post or a reply (one per part of a split message). */
export interface MessageLink {
  platform: Platform
  channelId: string
  messageId: string
  /** The platform thread it is in (a Discord thread channel id, a Slack root ts). */
  threadId: string | null
  part: number
  /** `source`: the person's own message, where they wrote it; `mirror`: one the bot posted. */
  origin: LinkedContent['origin']
}

type Content = { discussionId: string; replyId: string | null }

/** Where an opening post (replyId null) or a reply shows on a platform, its parts in order; empty if nowhere yet. */
export async function findMessageLinks(
  db: Executor,
  content: Content,
  platform: Platform,
): Promise<MessageLink[]> {
  const rows = await db
    .selectFrom('message_links')
    .select(['channel_id', 'message_id', 'thread_id', 'part', 'origin'])
    .where('discussion_id', '=', content.discussionId)
    .where((eb) =>
      content.replyId === null ? eb('reply_id', 'is', null) : eb('reply_id', '=', content.replyId),
    )
    .where('platform', '=', platform)
    .orderBy('part')
    .execute()
  return rows.map((row) => ({
    platform,
    channelId: row.channel_id,
    messageId: row.message_id,
    threadId: row.thread_id,
    part: row.part,
    origin: row.origin,
  }))
}

/** The platform thread a discussion lives in there (its opening post's), or undefined before it has one. */
export async function findThreadOf(
  db: Executor,
  discussionId: string,
  platform: Platform,
): Promise<string | undefined> {
  const root = await db
    .selectFrom('message_links')
    .select('thread_id')
    .where('discussion_id', '=', discussionId)
    .where('reply_id', 'is', null)
    .where('platform', '=', platform)
    .orderBy('part')
    .executeTakeFirst()
  return root?.thread_id ?? undefined
}

/**
 * Remembers the messages a mirror posted, in one statement (so all parts or none). A part
 * already recorded (by an earlier attempt that did finish) is left as it is.
 */
export async function recordMirrorParts(
  db: Executor,
  content: Content,
  links: readonly Omit<MessageLink, 'origin'>[],
  now: Date,
): Promise<void> {
  if (links.length === 0) return
  await db
    .insertInto('message_links')
    .values(
      links.map((link) => ({
        platform: link.platform,
        channel_id: link.channelId,
        message_id: link.messageId,
        thread_id: link.threadId,
        discussion_id: content.discussionId,
        reply_id: content.replyId,
        part: link.part,
        origin: 'mirror' as const,
        created_at: now,
      })),
    )
    .onConflict((conflict) => conflict.doNothing())
    .execute()
}

/** Forgets a message that was removed from its platform (a part a shorter edit no longer needs). */
export async function forgetMessageLink(
  db: Executor,
  link: { platform: Platform; channelId: string; messageId: string },
): Promise<void> {
  await db
    .deleteFrom('message_links')
    .where('platform', '=', link.platform)
    .where('channel_id', '=', link.channelId)
    .where('message_id', '=', link.messageId)
    .execute()
}

function linkedContentOf(row: {
  discussion_id: string
  reply_id: string | null
  origin: LinkedContent['origin']
}): LinkedContent {
  return { discussionId: row.discussion_id, replyId: row.reply_id, origin: row.origin }
}
