import type { Transaction } from 'kysely'
import type { CommunityConfig } from '../config/config-schema.ts'
import type { Database } from '../db/schema.ts'
import { findMembership, setStatus } from '../members/memberships.ts'
import { memberHoldsRole } from '../members/moderator-accounts.ts'
import type { Platform } from '../platform/platform.ts'

/** Who a start took a right from, for the log: the audit has the same, in each community. */
export interface Revocations {
  /** Members whose accounts lost a role the configuration gave and no longer gives, with those accounts. */
  moderators: { communityId: string; memberId: string; accounts: { platform: Platform; userId: string }[] }[]
  /** Communities no longer in the configuration: their bridges removed, their history kept. */
  unbridged: string[]
}

/** What a start gave back that an earlier start had taken: logged, and audited the same way. */
export interface Restorations {
  /** Members whose accounts the configuration names again, after it had taken their role. */
  moderators: Revocations['moderators']
  /** Communities listed again, with their channels, after they had stopped bridging. */
  rebridged: string[]
}

/** What the configuration names and the database does not give yet, read before it is applied. */
export interface NotYetGiven {
  /** Configured communities, with channels, that bridge nothing now. */
  unbridged: string[]
  /** Configured moderator accounts that hold no role now. */
  roleless: { communityId: string; platform: Platform; userId: string }[]
}

/** How the audit names the configuration as the one who acted. */
export const CONFIGURATION_ACTOR = 'the configuration'
const TAKEN_BACK = 'no longer in the configuration'
const GIVEN_BACK = 'in the configuration again'

/**
 * Takes back, at a start, what the configuration gave and no longer gives: the configuration is
 * the truth at each start. A role it gave an account (`moderator_accounts.source`
 * configuration) whose account it no longer names is taken back, and the member's role summary
 * follows (a role appointed, to that account or another of theirs, stays); a community it no longer
 * lists stops bridging (its bridges go, its discussions and members stay, and listing it again
 * bridges it again). Each revocation is audited, by "the configuration", in the same transaction
 * as the configuration's other changes. Runs after the configured moderators are granted.
 */
export async function revokeWhatConfigurationNoLongerGives(
  tx: Transaction<Database>,
  communities: readonly CommunityConfig[],
  now: Date,
): Promise<Revocations> {
  const listed = new Map(communities.map((c) => [c.id, c]))
  const unbridged: string[] = []
  const stale = await tx
    .selectFrom('community_bridges')
    .select('community_id')
    .distinct()
    .orderBy('community_id')
    .execute()
  for (const { community_id } of stale) {
    if (listed.has(community_id)) continue
    await tx.deleteFrom('community_bridges').where('community_id', '=', community_id).execute()
    await audit(tx, community_id, 'unbridge', null, TAKEN_BACK, now)
    unbridged.push(community_id)
  }

  const moderators: Revocations['moderators'] = []
  const grants = await tx
    .selectFrom('moderator_accounts as r')
    .leftJoin('identities as i', (join) =>
      join.onRef('i.platform', '=', 'r.platform').onRef('i.platform_user_id', '=', 'r.platform_user_id'),
    )
    .select(['r.community_id', 'r.platform', 'r.platform_user_id', 'i.member_id'])
    .where('r.source', '=', 'configuration')
    .orderBy('r.community_id')
    .orderBy('r.platform')
    .orderBy('r.platform_user_id')
    .execute()
  const byMember = new Map<string, Revocations['moderators'][number]>()
  for (const grant of grants) {
    const named = listed.get(grant.community_id)?.moderators ?? []
    if (named.some((n) => n.platform === grant.platform && n.userId === grant.platform_user_id)) continue
    await tx
      .deleteFrom('moderator_accounts')
      .where('community_id', '=', grant.community_id)
      .where('platform', '=', grant.platform)
      .where('platform_user_id', '=', grant.platform_user_id)
      .execute()
    // An account whose person was erased has no member left to tell or to audit.
    if (grant.member_id === null) continue
    const key = `${grant.community_id}\u0000${grant.member_id}`
    const revoked = byMember.get(key) ?? {
      communityId: grant.community_id,
      memberId: grant.member_id,
      accounts: [],
    }
    revoked.accounts.push({ platform: grant.platform, userId: grant.platform_user_id })
    byMember.set(key, revoked)
  }
  for (const revoked of byMember.values()) {
    // The membership's role is a summary of the accounts' roles: an appointment elsewhere keeps it.
    const membership = await findMembership(tx, revoked.communityId, revoked.memberId)
    if (
      membership?.role === 'moderator' &&
      !(await memberHoldsRole(tx, revoked.communityId, revoked.memberId))
    )
      await setStatus(tx, revoked.communityId, revoked.memberId, membership.status, 'member', now)
    await audit(tx, revoked.communityId, 'revoke_moderator', revoked.memberId, TAKEN_BACK, now)
    moderators.push(revoked)
  }
  return { moderators, unbridged }
}

/** Read before the configuration is applied, for auditRestorations to compare with after. */
export async function whatConfigurationDoesNotGiveYet(
  tx: Transaction<Database>,
  communities: readonly CommunityConfig[],
): Promise<NotYetGiven> {
  const bridged = new Set(
    (await tx.selectFrom('community_bridges').select('community_id').distinct().execute()).map(
      (row) => row.community_id,
    ),
  )
  const held = new Set(
    (
      await tx
        .selectFrom('moderator_accounts')
        .select(['community_id', 'platform', 'platform_user_id'])
        .execute()
    ).map((row) => `${row.community_id}\u0000${row.platform}\u0000${row.platform_user_id}`),
  )
  return {
    unbridged: communities
      .filter((c) => (c.discord !== undefined || c.slack !== undefined) && !bridged.has(c.id))
      .map((c) => c.id),
    roleless: communities.flatMap((c) =>
      c.moderators
        .filter((m) => !held.has(`${c.id}\u0000${m.platform}\u0000${m.userId}`))
        .map((m) => ({ communityId: c.id, platform: m.platform, userId: m.userId })),
    ),
  }
}

/**
 * Audits, by "the configuration", what this start gave back that an earlier start had taken: a
 * community bridged again after the configuration stopped bridging it, and a member's account
 * made a moderator again after the configuration took that member's role. What is given for the
 * first time is not a restoration, and is not audited. Runs after the configuration is applied.
 */
export async function auditRestorations(
  tx: Transaction<Database>,
  before: NotYetGiven,
  now: Date,
): Promise<Restorations> {
  const rebridged: string[] = []
  for (const communityId of before.unbridged) {
    const bridges = await tx
      .selectFrom('community_bridges')
      .select('community_id')
      .where('community_id', '=', communityId)
      .executeTakeFirst()
    if (bridges === undefined) continue
    if (!(await takenLast(tx, communityId, null, ['unbridge', 'rebridge']))) continue
    await audit(tx, communityId, 'rebridge', null, GIVEN_BACK, now)
    rebridged.push(communityId)
  }

  const byMember = new Map<string, Restorations['moderators'][number]>()
  for (const account of before.roleless) {
    // Given now (a banned account is not), and to a member still there (not erased).
    const given = await tx
      .selectFrom('moderator_accounts as r')
      .innerJoin('identities as i', (join) =>
        join.onRef('i.platform', '=', 'r.platform').onRef('i.platform_user_id', '=', 'r.platform_user_id'),
      )
      .select('i.member_id')
      .where('r.community_id', '=', account.communityId)
      .where('r.platform', '=', account.platform)
      .where('r.platform_user_id', '=', account.userId)
      .where('r.source', '=', 'configuration')
      .executeTakeFirst()
    if (given === undefined) continue
    const key = `${account.communityId}\u0000${given.member_id}`
    const restored = byMember.get(key) ?? {
      communityId: account.communityId,
      memberId: given.member_id,
      accounts: [],
    }
    restored.accounts.push({ platform: account.platform, userId: account.userId })
    byMember.set(key, restored)
  }
  const moderators: Restorations['moderators'] = []
  for (const restored of byMember.values()) {
    const taken = await takenLast(tx, restored.communityId, restored.memberId, [
      'revoke_moderator',
      'restore_moderator',
    ])
    if (!taken) continue
    await audit(tx, restored.communityId, 'restore_moderator', restored.memberId, GIVEN_BACK, now)
    moderators.push(restored)
  }
  return { moderators, rebridged }
}

/**
 * Whether the configuration's last word on a community (or a member of it) is that it took it:
 * it has taken more often than it gave back, each restoration having followed a taking. Counted,
 * not ordered: two starts may write in the same instant.
 */
async function takenLast(
  tx: Transaction<Database>,
  communityId: string,
  targetMemberId: string | null,
  [taken, given]: [string, string],
): Promise<boolean> {
  const rows = await tx
    .selectFrom('moderation_actions')
    .select(['action', (eb) => eb.fn.countAll<string>().as('times')])
    .where('community_id', '=', communityId)
    .where('actor_name', '=', CONFIGURATION_ACTOR)
    .where('moderator_member_id', 'is', null)
    .where('action', 'in', [taken, given])
    .where('target_member_id', targetMemberId === null ? 'is' : '=', targetMemberId)
    .groupBy('action')
    .execute()
  const times = (action: string) => Number(rows.find((row) => row.action === action)?.times ?? 0)
  return times(taken) > times(given)
}

async function audit(
  tx: Transaction<Database>,
  communityId: string,
  action: string,
  targetMemberId: string | null,
  reason: string,
  now: Date,
): Promise<void> {
  await tx
    .insertInto('moderation_actions')
    .values({
      community_id: communityId,
      moderator_member_id: null,
      actor_name: CONFIGURATION_ACTOR,
      actor_platform: null,
      outcome: 'done',
      action,
      target_member_id: targetMemberId,
      target_discussion_id: null,
      target_reply_id: null,
      reason,
      created_at: now,
    })
    .execute()
}
