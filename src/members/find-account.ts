import type { Executor } from '../db/in-transaction.ts'
import type { Platform } from '../platform/platform.ts'

/** An account we know, and the member behind it. */
export interface KnownAccount {
  memberId: string
  platformUserId: string
  displayName: string
}

/**
 * The accounts on a platform matching an id or a display name (case-insensitive): how a command
 * finds the person a moderator named. Several for a name two people share; none for someone we
 * have never seen.
 */
export async function findAccounts(
  db: Executor,
  platform: Platform,
  by: { id: string } | { name: string },
): Promise<KnownAccount[]> {
  const rows = await db
    .selectFrom('identities')
    .select(['member_id', 'platform_user_id', 'display_name'])
    .where('platform', '=', platform)
    .$if('id' in by, (qb) => qb.where('platform_user_id', '=', (by as { id: string }).id))
    .$if('name' in by, (qb) =>
      qb.where((eb) =>
        eb(eb.fn('lower', ['display_name']), '=', (by as { name: string }).name.toLowerCase()),
      ),
    )
    .limit(5)
    .execute()
  return rows.map((row) => ({
    memberId: row.member_id,
    platformUserId: row.platform_user_id,
    displayName: row.display_name,
  }))
}

/** A community member's account, found by name: which platform, which id, what name. */
export interface MemberAccount extends KnownAccount {
  platform: Platform
}

/**
 * The accounts, on either platform, whose display name is `name` (case-insensitive) and whose
 * member has a membership in the community (joined, left or banned: a ban is lifted by name too).
 * At most 10; several for a name people share, each told apart by platform and id.
 */
export async function findMembersNamed(
  db: Executor,
  communityId: string,
  name: string,
): Promise<MemberAccount[]> {
  const rows = await db
    .selectFrom('identities as i')
    .innerJoin('memberships as m', 'm.member_id', 'i.member_id')
    .select(['i.member_id', 'i.platform', 'i.platform_user_id', 'i.display_name'])
    .where('m.community_id', '=', communityId)
    .where((eb) => eb(eb.fn('lower', ['i.display_name']), '=', name.toLowerCase()))
    .orderBy('i.platform')
    .orderBy('i.platform_user_id')
    .limit(10)
    .execute()
  return rows.map((row) => ({
    memberId: row.member_id,
    platform: row.platform,
    platformUserId: row.platform_user_id,
    displayName: row.display_name,
  }))
}

/** Every account of a member, on either platform: who a command's target is on each. */
export async function accountsOfMember(
  db: Executor,
  memberId: string,
): Promise<{ platform: Platform; platformUserId: string }[]> {
  const rows = await db
    .selectFrom('identities')
    .select(['platform', 'platform_user_id'])
    .where('member_id', '=', memberId)
    .orderBy('platform')
    .execute()
  return rows.map((row) => ({ platform: row.platform, platformUserId: row.platform_user_id }))
}
