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

/** How the audit names the configuration as the one who acted. */
export const CONFIGURATION_ACTOR = 'the configuration'

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
    await audit(tx, community_id, 'unbridge', null, now)
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
    await audit(tx, revoked.communityId, 'revoke_moderator', revoked.memberId, now)
    moderators.push(revoked)
  }
  return { moderators, unbridged }
}

async function audit(
  tx: Transaction<Database>,
  communityId: string,
  action: string,
  targetMemberId: string | null,
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
      reason: 'no longer in the configuration',
      created_at: now,
    })
    .execute()
}
