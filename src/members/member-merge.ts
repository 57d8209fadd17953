import { sql, type Transaction } from 'kysely'
import type {
  Database,
  MemberPreferences,
  Membership,
  MembershipRole,
  MembershipStatus,
} from '../db/schema.ts'
import { enqueue } from '../outbox/outbox.ts'
import type { Platform } from '../platform/platform.ts'
import { memberHoldsRole, revokeFromAccounts } from './moderator-accounts.ts'

/** How strict a membership state is: the stricter one wins when two accounts become one person. */
const STRICTNESS: Record<MembershipStatus, number> = { joined: 0, left: 1, banned: 2 }

type MembershipState = Pick<Membership, 'status' | 'role' | 'joined_at'>

/**
 * Two memberships of one person in one community, as one: the stricter state (banned, then left,
 * then joined), so linking never lifts a ban or re-joins someone who left; the role as a summary
 * (one of the accounts moderates, unless banned: a ban ends the role, as `ban` does), while the
 * right itself stays with the account it was given to (moderator-accounts.ts); the earlier join
 * date.
 */
export function mergedMembership(a: MembershipState, b: MembershipState): MembershipState {
  const status = STRICTNESS[a.status] >= STRICTNESS[b.status] ? a.status : b.status
  const role: MembershipRole =
    status !== 'banned' && (a.role === 'moderator' || b.role === 'moderator') ? 'moderator' : 'member'
  const joined_at = new Date(Math.min(a.joined_at.getTime(), b.joined_at.getTime()))
  return { status, role, joined_at }
}

/**
 * Folds member `from` into member `into`, in the caller's transaction: memberships (the stricter
 * wins), preferences (the more recently set wins), subscriptions (a muted one beats watching, so
 * nobody hears again about what they opted out of) and authorship. `from` keeps its row, with
 * nothing of its own left: `/unlink` restores its account to it.
 */
export async function mergeMemberInto(
  tx: Transaction<Database>,
  from: string,
  into: string,
  now: Date,
): Promise<void> {
  const theirs = await tx.selectFrom('memberships').selectAll().where('member_id', '=', from).execute()
  for (const membership of theirs) {
    const current = await tx
      .selectFrom('memberships')
      .selectAll()
      .where('community_id', '=', membership.community_id)
      .where('member_id', '=', into)
      .executeTakeFirst()
    const merged = current === undefined ? membership : mergedMembership(current, membership)
    if (current !== undefined && current.status === merged.status && current.role === merged.role) {
      if (current.joined_at > merged.joined_at)
        await tx
          .updateTable('memberships')
          .set({ joined_at: merged.joined_at })
          .where('community_id', '=', membership.community_id)
          .where('member_id', '=', into)
          .execute()
      continue
    }
    await putMembership(tx, membership.community_id, into, merged, now)
  }
  await tx.deleteFrom('memberships').where('member_id', '=', from).execute()
  // A ban on either account ends every role of the person, as a ban does.
  const banned = await tx
    .selectFrom('memberships')
    .select('community_id')
    .where('member_id', '=', into)
    .where('status', '=', 'banned')
    .execute()
  for (const { community_id } of banned) await revokeFromAccounts(tx, community_id, into)

  const preferences = await tx
    .selectFrom('member_preferences')
    .selectAll()
    .where('member_id', 'in', [from, into])
    .execute()
  const mine = preferences.find((row) => row.member_id === into)
  const other = preferences.find((row) => row.member_id === from)
  if (other !== undefined && (mine === undefined || other.updated_at > mine.updated_at))
    await putPreferences(tx, into, other)
  await tx.deleteFrom('member_preferences').where('member_id', '=', from).execute()

  await copySubscriptions(tx, from, into, now)
  await tx.deleteFrom('subscriptions').where('member_id', '=', from).execute()

  await tx
    .updateTable('discussions')
    .set({ author_member_id: into })
    .where('author_member_id', '=', from)
    .execute()
  await tx
    .updateTable('replies')
    .set({ author_member_id: into })
    .where('author_member_id', '=', from)
    .execute()
}

/**
 * Gives member `to` copies of member `from`'s memberships, preferences and subscriptions: what
 * an account takes with it when `/unlink` splits it off (a ban included: unlinking lifts nothing).
 * Moves back to `to` the content written from the account `authoredBy`.
 */
export async function splitMemberTo(
  tx: Transaction<Database>,
  from: string,
  to: string,
  authoredBy: { platform: Platform; platformUserId: string },
  now: Date,
): Promise<void> {
  const memberships = await tx.selectFrom('memberships').selectAll().where('member_id', '=', from).execute()
  // The split-off account keeps the membership (a ban included); the moderator's role stays with
  // the account it was given to, so each member's summary follows its own accounts again.
  for (const membership of memberships) {
    const role = async (memberId: string) =>
      membership.status !== 'banned' && (await memberHoldsRole(tx, membership.community_id, memberId))
        ? 'moderator'
        : 'member'
    await putMembership(tx, membership.community_id, to, { ...membership, role: await role(to) }, now)
    const kept = await role(from)
    if (kept !== membership.role)
      await putMembership(tx, membership.community_id, from, { ...membership, role: kept }, now)
  }
  const preferences = await tx
    .selectFrom('member_preferences')
    .selectAll()
    .where('member_id', '=', from)
    .executeTakeFirst()
  if (preferences !== undefined) await putPreferences(tx, to, preferences)
  await copySubscriptions(tx, from, to, now)
  for (const table of ['discussions', 'replies'] as const)
    await tx
      .updateTable(table)
      .set({ author_member_id: to })
      .where('author_member_id', '=', from)
      .where('author_platform', '=', authoredBy.platform)
      .where('author_platform_user_id', '=', authoredBy.platformUserId)
      .execute()
}

async function putMembership(
  tx: Transaction<Database>,
  communityId: string,
  memberId: string,
  state: MembershipState,
  now: Date,
): Promise<void> {
  const { status, role, joined_at } = state
  await tx
    .insertInto('memberships')
    .values({ community_id: communityId, member_id: memberId, status, role, joined_at, updated_at: now })
    .onConflict((conflict) =>
      conflict
        .columns(['community_id', 'member_id'])
        .doUpdateSet({ status, role, joined_at, updated_at: now }),
    )
    .execute()
  // The same event a status change through Memberships writes: whoever follows memberships sees it.
  await enqueue(tx, communityId, { type: 'membership.changed', memberId, status, role }, now)
}

async function putPreferences(
  tx: Transaction<Database>,
  memberId: string,
  row: MemberPreferences,
): Promise<void> {
  // Every preference the row holds, whatever columns preferences gain: only the member changes.
  const { member_id: _from, ...values } = row
  await tx
    .insertInto('member_preferences')
    .values({ member_id: memberId, ...values })
    .onConflict((conflict) => conflict.column('member_id').doUpdateSet(values))
    .execute()
}

/** Each of `from`'s subscriptions, for `to` too; where both have one, muted wins. */
async function copySubscriptions(tx: Transaction<Database>, from: string, to: string, now: Date) {
  const rows = await tx.selectFrom('subscriptions').selectAll().where('member_id', '=', from).execute()
  for (const row of rows) {
    const column = row.discussion_id !== null ? 'discussion_id' : 'community_id'
    await tx
      .insertInto('subscriptions')
      .values({
        member_id: to,
        discussion_id: row.discussion_id,
        community_id: row.community_id,
        level: row.level,
        created_at: row.created_at,
        updated_at: now,
      })
      .onConflict((conflict) =>
        conflict.columns(['member_id', column]).doUpdateSet({
          level: sql`case when subscriptions.level = 'muted' or excluded.level = 'muted'
            then 'muted' else 'watching' end`,
          updated_at: now,
        }),
      )
      .execute()
  }
}
