import type { Executor } from '../db/in-transaction.ts'
import type { Platform } from '../platform/platform.ts'

/**
 * What an adapter calls when its platform took away a mirror's home (a thread, a channel): the
 * community's moderators hear of it, privately. The composition root decides how.
 */
/** The dead letters an adapter may put back once their cause is gone (a channel unarchived). */
export interface DeadLetters {
  retryDeadFailedWith(communityId: string, reasonPrefix: string): Promise<number>
}

export interface ModeratorAlerts {
  /**
   * `cause` names what went wrong, for telling the moderators once rather than once per
   * failure (by default the text itself).
   */
  tellModerators(communityId: string, text: string, cause?: string): Promise<void>
}

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
