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
