import type { Executor } from '../db/in-transaction.ts'
import type { Platform } from '../platform/platform.ts'

/**
 * Someone who has not joined wrote in a bridged discussion: they get one private notice per
 * discussion, not one per message. Returns true the first time, when the notice should be sent.
 */
export async function firstNoticeFor(
  db: Executor,
  platform: Platform,
  platformUserId: string,
  discussionId: string,
): Promise<boolean> {
  const inserted = await db
    .insertInto('non_member_notices')
    .values({ platform, platform_user_id: platformUserId, discussion_id: discussionId })
    .onConflict((conflict) => conflict.doNothing())
    .returning('discussion_id')
    .executeTakeFirst()
  return inserted !== undefined
}

/** The notice could not be sent after all: forget the claim, so the next attempt sends it. */
export async function releaseNotice(
  db: Executor,
  platform: Platform,
  platformUserId: string,
  discussionId: string,
): Promise<void> {
  await db
    .deleteFrom('non_member_notices')
    .where('platform', '=', platform)
    .where('platform_user_id', '=', platformUserId)
    .where('discussion_id', '=', discussionId)
    .execute()
}
