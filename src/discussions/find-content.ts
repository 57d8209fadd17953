import type { Executor } from '../db/in-transaction.ts'
import { findLinkedContent } from '../links/message-links.ts'
import type { Platform } from '../platform/platform.ts'

/** A discussion's opening post or a reply, as a command about one message names it. */
export interface ContentSummary {
  discussionId: string
  /** Null for the discussion's opening post. */
  replyId: string | null
  communityId: string
  /** The discussion's short number: `#12`. */
  discussionNumber: number
  deleted: boolean
  /**
   * The platform where its author wrote it, whose copy is their own message rather than the
   * bot's; null when it was written through a command (every copy is the bot's).
   */
  originalPlatform: Platform | null
}

/** The content a platform message is, or mirrors; undefined for a message we never saw. */
export async function findContentByMessage(
  db: Executor,
  ref: { platform: Platform; channelId: string; messageId: string },
): Promise<ContentSummary | undefined> {
  const linked = await findLinkedContent(db, ref)
  if (linked === undefined) return undefined
  const discussion = await db
    .selectFrom('discussions')
    .select(['community_id', 'number', 'deleted_at'])
    .where('id', '=', linked.discussionId)
    .executeTakeFirstOrThrow()
  const reply =
    linked.replyId === null
      ? undefined
      : await db
          .selectFrom('replies')
          .select('deleted_at')
          .where('id', '=', linked.replyId)
          .executeTakeFirstOrThrow()
  const source = await db
    .selectFrom('message_links')
    .select('platform')
    .where('discussion_id', '=', linked.discussionId)
    .where((eb) =>
      linked.replyId === null ? eb('reply_id', 'is', null) : eb('reply_id', '=', linked.replyId),
    )
    .where('origin', '=', 'source')
    .executeTakeFirst()
  return {
    discussionId: linked.discussionId,
    replyId: linked.replyId,
    communityId: discussion.community_id,
    discussionNumber: discussion.number,
    deleted: (reply === undefined ? discussion.deleted_at : reply.deleted_at) !== null,
    originalPlatform: source?.platform ?? null,
  }
}
