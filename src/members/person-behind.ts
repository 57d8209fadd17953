import type { Executor } from '../db/in-transaction.ts'
import type { Platform } from '../platform/platform.ts'

/** The person behind one platform account, as erasure sees them. */
export interface PersonBehind {
  /** Their member. */
  memberId: string
  /** Their member and every member a linked account of theirs came from (`account_links.former_member_id`). */
  memberIds: string[]
  /** Their accounts on both platforms, by platform. */
  accounts: { platform: Platform; platformUserId: string; displayName: string }[]
}

/**
 * Finds the person behind `account`: undefined when we hold no account of theirs (never seen, or
 * erased), and nothing is created to find that out. With `lock` (in a transaction), their
 * identity, then their member (as /link locks it, so an erasure and a link of the same person
 * take turns), then their accounts are locked FOR UPDATE, in that order.
 */
export async function personBehind(
  db: Executor,
  account: { platform: Platform; platformUserId: string },
  options: { lock: boolean },
): Promise<PersonBehind | undefined> {
  const identity = await db
    .selectFrom('identities')
    .select('member_id')
    .where('platform', '=', account.platform)
    .where('platform_user_id', '=', account.platformUserId)
    .$if(options.lock, (query) => query.forUpdate())
    .executeTakeFirst()
  if (identity === undefined) return undefined
  const memberId = identity.member_id
  if (options.lock)
    await db.selectFrom('members').select('id').where('id', '=', memberId).forUpdate().execute()
  const accounts = await db
    .selectFrom('identities')
    .select(['platform', 'platform_user_id as platformUserId', 'display_name as displayName'])
    .where('member_id', '=', memberId)
    .orderBy('platform')
    .$if(options.lock, (query) => query.forUpdate())
    .execute()
  const formers = await db
    .selectFrom('account_links')
    .select('former_member_id')
    .where('member_id', '=', memberId)
    .execute()
  return { memberId, memberIds: [memberId, ...formers.map((f) => f.former_member_id)], accounts }
}
