import type { Executor } from '../db/in-transaction.ts'
import type { Platform } from '../platform/platform.ts'

/**
 * Records that a discussion's thread on a platform is gone (deleted there). Returns true the first
 * time, when moderators should be told.
 */
export async function markMirrorGone(
  db: Executor,
  discussionId: string,
  platform: Platform,
  reason: string,
): Promise<boolean> {
  const inserted = await db
    .insertInto('mirror_gone')
    .values({ discussion_id: discussionId, platform, reason })
    .onConflict((conflict) => conflict.doNothing())
    .returning('discussion_id')
    .executeTakeFirst()
  return inserted !== undefined
}

export async function isMirrorGone(db: Executor, discussionId: string, platform: Platform): Promise<boolean> {
  const row = await db
    .selectFrom('mirror_gone')
    .select('reason')
    .where('discussion_id', '=', discussionId)
    .where('platform', '=', platform)
    .executeTakeFirst()
  return row !== undefined
}
