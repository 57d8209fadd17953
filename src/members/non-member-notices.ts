import type { Executor } from '../db/in-transaction.ts'
import type { NoticeReason } from '../db/schema.ts'
import type { Platform } from '../platform/platform.ts'

/** Whom a refusal notice is for: an account, in a discussion, told one reason. */
export interface NoticeClaim {
  platform: Platform
  platformUserId: string
  discussionId: string
  reason: NoticeReason
}

/**
 * Someone whose message was refused (not a member, banned, a locked or deleted discussion) gets
 * one private notice per discussion and reason, not one per message; a new reason (banned, after
 * being told the discussion is locked) is told once in its turn. Returns true the first time,
 * when the notice should be sent.
 */
export async function firstNoticeFor(db: Executor, claim: NoticeClaim): Promise<boolean> {
  const inserted = await db
    .insertInto('non_member_notices')
    .values({
      platform: claim.platform,
      platform_user_id: claim.platformUserId,
      discussion_id: claim.discussionId,
      reason: claim.reason,
    })
    .onConflict((conflict) => conflict.doNothing())
    .returning('discussion_id')
    .executeTakeFirst()
  return inserted !== undefined
}

/** The notice could not be sent after all: forget the claim, so the next attempt sends it. */
export async function releaseNotice(db: Executor, claim: NoticeClaim): Promise<void> {
  await db
    .deleteFrom('non_member_notices')
    .where('platform', '=', claim.platform)
    .where('platform_user_id', '=', claim.platformUserId)
    .where('discussion_id', '=', claim.discussionId)
    .where('reason', '=', claim.reason)
    .execute()
}
