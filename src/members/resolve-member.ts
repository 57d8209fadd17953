import type { Transaction } from 'kysely'
import type { Database } from '../db/schema.ts'
import { storableText } from '../db/storable-text.ts'
import { visibleName } from '../names/visible-name.ts'
import type { PlatformActor } from '../platform/platform.ts'

/**
 * Finds the member behind a platform account, creating both on first sight, and keeps the
 * account's display name and avatar current (people rename themselves; mirrors should follow).
 */
export async function resolveMember(
  tx: Transaction<Database>,
  actor: PlatformActor,
  now: Date,
): Promise<string> {
  const avatarUrl = actor.avatarUrl ?? null
  // Names enter the core here: what a reader cannot see (bidi controls, fillers) is not kept.
  const displayName = visibleName([storableText(actor.displayName)], actor.platformUserId)
  const existing = await tx
    .selectFrom('identities')
    .select(['member_id', 'display_name', 'avatar_url'])
    .where('platform', '=', actor.platform)
    .where('platform_user_id', '=', actor.platformUserId)
    .executeTakeFirst()
  if (existing !== undefined) {
    if (actor.nameUnknown) return existing.member_id
    if (existing.display_name !== displayName || existing.avatar_url !== avatarUrl) {
      await tx
        .updateTable('identities')
        .set({ display_name: displayName, avatar_url: avatarUrl, updated_at: now })
        .where('platform', '=', actor.platform)
        .where('platform_user_id', '=', actor.platformUserId)
        .execute()
      // The member's name follows the account they last acted from.
      await tx
        .updateTable('members')
        .set({ display_name: displayName })
        .where('id', '=', existing.member_id)
        .execute()
    }
    return existing.member_id
  }

  const member = await tx
    .insertInto('members')
    .values({ display_name: displayName, created_at: now })
    .returning('id')
    .executeTakeFirstOrThrow()
  const identity = await tx
    .insertInto('identities')
    .values({
      platform: actor.platform,
      platform_user_id: actor.platformUserId,
      member_id: member.id,
      display_name: displayName,
      avatar_url: avatarUrl,
      created_at: now,
      updated_at: now,
    })
    .onConflict((conflict) => conflict.columns(['platform', 'platform_user_id']).doNothing())
    .returning('member_id')
    .executeTakeFirst()
  if (identity !== undefined) return identity.member_id

  // Another transaction created this identity between our read and our insert (the same person
  // acting on two events at once). Theirs won; drop the member we made and use theirs.
  await tx.deleteFrom('members').where('id', '=', member.id).execute()
  const winner = await tx
    .selectFrom('identities')
    .select('member_id')
    .where('platform', '=', actor.platform)
    .where('platform_user_id', '=', actor.platformUserId)
    .executeTakeFirstOrThrow()
  return winner.member_id
}
