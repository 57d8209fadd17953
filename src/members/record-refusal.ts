import type { Executor } from '../db/in-transaction.ts'
import type { PlatformActor } from '../platform/platform.ts'

/**
 * Writes to the audit that someone without the right tried a moderators' command: who (their
 * name and platform as they tried, and their member record if they have one), which command,
 * when. It creates no member record: a visitor who never joined stays unknown but for this row.
 */
export async function recordRefusal(
  db: Executor,
  now: Date,
  refused: { communityId: string; actor: PlatformActor; command: string },
): Promise<void> {
  const identity = await db
    .selectFrom('identities')
    .select('member_id')
    .where('platform', '=', refused.actor.platform)
    .where('platform_user_id', '=', refused.actor.platformUserId)
    .executeTakeFirst()
  await db
    .insertInto('moderation_actions')
    .values({
      community_id: refused.communityId,
      moderator_member_id: identity?.member_id ?? null,
      actor_name: refused.actor.displayName,
      actor_platform: refused.actor.platform,
      outcome: 'refused',
      action: refused.command,
      target_member_id: null,
      target_discussion_id: null,
      target_reply_id: null,
      reason: null,
      created_at: now,
    })
    .execute()
}
