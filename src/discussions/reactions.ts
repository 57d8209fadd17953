import type { Clock } from '../clock.ts'
import { type Executor, inTransaction } from '../db/in-transaction.ts'
import { mayPost } from '../members/memberships.ts'
import { enqueue } from '../outbox/outbox.ts'
import type { Platform } from '../platform/platform.ts'

export interface ReactionChange {
  discussionId: string
  replyId: string | null
  /** Canonical form: a Unicode emoji, or `:name:` for a platform's own. */
  emoji: string
  platform: Platform
  platformUserId: string
  added: boolean
}

/**
 * Records that someone added or removed a reaction, and tells the mirror when the set of people
 * with that emoji changed. Reacting twice, or removing what was never there, changes nothing.
 */
export async function changeReaction(db: Executor, clock: Clock, change: ReactionChange): Promise<boolean> {
  const now = clock.now()
  return inTransaction(db, async (tx) => {
    const discussion = await tx
      .selectFrom('discussions')
      .select('community_id')
      .where('id', '=', change.discussionId)
      .executeTakeFirst()
    if (discussion === undefined) return false
    // A reaction is a post without words: only those who may post have theirs mirrored. Taking
    // one away needs no right (what a banned person added before is theirs to remove).
    if (change.added && !(await mayPost(tx, discussion.community_id, change))) return false
    let changed: boolean
    if (change.added) {
      const inserted = await tx
        .insertInto('reactions')
        .values({
          discussion_id: change.discussionId,
          reply_id: change.replyId,
          emoji: change.emoji,
          platform: change.platform,
          platform_user_id: change.platformUserId,
          created_at: now,
        })
        .onConflict((conflict) => conflict.doNothing())
        .returning('emoji')
        .executeTakeFirst()
      changed = inserted !== undefined
    } else {
      const deleted = await tx
        .deleteFrom('reactions')
        .where('discussion_id', '=', change.discussionId)
        .where((eb) =>
          change.replyId === null ? eb('reply_id', 'is', null) : eb('reply_id', '=', change.replyId),
        )
        .where('emoji', '=', change.emoji)
        .where('platform', '=', change.platform)
        .where('platform_user_id', '=', change.platformUserId)
        .executeTakeFirst()
      changed = deleted.numDeletedRows > 0n
    }
    if (changed) {
      await enqueue(
        tx,
        discussion.community_id,
        {
          type: 'reaction.changed',
          discussionId: change.discussionId,
          replyId: change.replyId,
          emoji: change.emoji,
          sourcePlatform: change.platform,
        },
        now,
      )
    }
    return changed
  })
}

/** How many people, on platforms other than `except`, have this reaction on this content. */
export async function reactionCount(
  db: Executor,
  content: { discussionId: string; replyId: string | null },
  emoji: string,
  except: Platform,
): Promise<number> {
  const row = await db
    .selectFrom('reactions')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('discussion_id', '=', content.discussionId)
    .where((eb) =>
      content.replyId === null ? eb('reply_id', 'is', null) : eb('reply_id', '=', content.replyId),
    )
    .where('emoji', '=', emoji)
    .where('platform', '!=', except)
    .executeTakeFirst()
  return Number(row?.n ?? 0)
}
