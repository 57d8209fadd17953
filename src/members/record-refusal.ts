import type { Executor } from '../db/in-transaction.ts'
import type { PlatformActor } from '../platform/platform.ts'

const HOUR_MS = 3_600_000

/**
 * Writes to the audit that someone without the right tried a moderators' command: who (their
 * name and platform as they tried, and their member record if they have one), which command,
 * when. It creates no member record: a visitor who never joined stays unknown but for this row.
 *
 * Attempts are merged: one row per platform account, command and hour (UTC), counting them in
 * `attempts`, so repeating a command the person may not run costs one row an hour, not one a try.
 * The row keeps the time of the hour's first attempt and the name it was made under. One
 * statement (an upsert on the row's key), so concurrent attempts are all counted.
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
      actor_platform_user_id: refused.actor.platformUserId,
      outcome: 'refused',
      action: refused.command,
      target_member_id: null,
      target_discussion_id: null,
      target_reply_id: null,
      reason: null,
      refused_hour: new Date(Math.floor(now.getTime() / HOUR_MS) * HOUR_MS),
      created_at: now,
    })
    .onConflict((oc) =>
      oc
        .columns(['community_id', 'actor_platform', 'actor_platform_user_id', 'action', 'refused_hour'])
        .where('refused_hour', 'is not', null)
        .doUpdateSet((eb) => ({ attempts: eb('moderation_actions.attempts', '+', 1) })),
    )
    .execute()
}
