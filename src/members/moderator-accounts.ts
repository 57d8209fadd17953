import type { Transaction } from 'kysely'
import type { Database, ModeratorSource } from '../db/schema.ts'
import type { Platform } from '../platform/platform.ts'

/** One platform account, as the moderator role is held: by account, never by person. */
export interface Account {
  platform: Platform
  platformUserId: string
}

/**
 * Whether `account` moderates the community by our records now: its member has joined (a ban
 * or leaving ends it) and the role was given to this very account. A linked account of the same
 * person does not moderate through it: a link neither gives nor takes the role.
 */
export async function accountModerates(
  tx: Transaction<Database>,
  communityId: string,
  memberId: string,
  account: Account,
): Promise<boolean> {
  const row = await tx
    .selectFrom('moderator_accounts as r')
    .innerJoin('memberships as m', (join) =>
      join.on('m.community_id', '=', communityId).on('m.member_id', '=', memberId),
    )
    .select('r.platform')
    .where('r.community_id', '=', communityId)
    .where('r.platform', '=', account.platform)
    .where('r.platform_user_id', '=', account.platformUserId)
    .where('m.status', '=', 'joined')
    .executeTakeFirst()
  return row !== undefined
}

/** Gives `account` the role, recording why; a role it already holds keeps its first reason. */
export async function grantToAccount(
  tx: Transaction<Database>,
  communityId: string,
  account: Account,
  source: ModeratorSource,
  now: Date,
): Promise<void> {
  await tx
    .insertInto('moderator_accounts')
    .values({
      community_id: communityId,
      platform: account.platform,
      platform_user_id: account.platformUserId,
      source,
      granted_at: now,
    })
    .onConflict((conflict) => conflict.columns(['community_id', 'platform', 'platform_user_id']).doNothing())
    .execute()
}

/**
 * Takes the role from `account`, or (no account) from every account of the member (a ban). True
 * when one was taken.
 */
export async function revokeFromAccounts(
  tx: Transaction<Database>,
  communityId: string,
  memberId: string,
  account?: Account,
): Promise<boolean> {
  const accounts =
    account !== undefined
      ? [account]
      : (
          await tx
            .selectFrom('identities')
            .select(['platform', 'platform_user_id'])
            .where('member_id', '=', memberId)
            .execute()
        ).map((row) => ({ platform: row.platform, platformUserId: row.platform_user_id }))
  let taken = 0n
  for (const one of accounts) {
    const result = await tx
      .deleteFrom('moderator_accounts')
      .where('community_id', '=', communityId)
      .where('platform', '=', one.platform)
      .where('platform_user_id', '=', one.platformUserId)
      .executeTakeFirst()
    taken += result.numDeletedRows
  }
  return taken > 0n
}

/** Whether any of the member's accounts holds the role here (whatever its membership now). */
export async function memberHoldsRole(
  tx: Transaction<Database>,
  communityId: string,
  memberId: string,
): Promise<boolean> {
  const row = await tx
    .selectFrom('moderator_accounts as r')
    .innerJoin('identities as i', (join) =>
      join.onRef('i.platform', '=', 'r.platform').onRef('i.platform_user_id', '=', 'r.platform_user_id'),
    )
    .select('r.platform')
    .where('r.community_id', '=', communityId)
    .where('i.member_id', '=', memberId)
    .executeTakeFirst()
  return row !== undefined
}

/** The accounts of `memberId` that moderate the community, by platform: who a listing names. */
export async function moderatingAccounts(
  tx: Transaction<Database>,
  communityId: string,
  memberId: string,
): Promise<Account[]> {
  const rows = await tx
    .selectFrom('moderator_accounts as r')
    .innerJoin('identities as i', (join) =>
      join.onRef('i.platform', '=', 'r.platform').onRef('i.platform_user_id', '=', 'r.platform_user_id'),
    )
    .select(['r.platform', 'r.platform_user_id'])
    .where('r.community_id', '=', communityId)
    .where('i.member_id', '=', memberId)
    .orderBy('r.platform')
    .execute()
  return rows.map((row) => ({ platform: row.platform, platformUserId: row.platform_user_id }))
}
