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

function linkedContentOf(row: {
  discussion_id: string
  reply_id: string | null
  origin: LinkedContent['origin']
}): LinkedContent {
  return { discussionId: row.discussion_id, replyId: row.reply_id, origin: row.origin }
}
