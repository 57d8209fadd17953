import type { Transaction } from 'kysely'
import type { CommunityConfig } from '../config/config-schema.ts'
import type { Database } from '../db/schema.ts'
import { setStatus } from '../members/memberships.ts'
import type { Platform } from '../platform/platform.ts'

/** Who a start took a right from, for the log: the audit has the same, in each community. */
export interface Revocations {
  /** Moderators the configuration made and no longer names: members now. */
  moderators: { communityId: string; memberId: string; accounts: { platform: Platform; userId: string }[] }[]
  /** Communities no longer in the configuration: their bridges removed, their history kept. */
  unbridged: string[]
}

/** How the audit names the configuration as the one who acted. */
export const CONFIGURATION_ACTOR = 'the configuration'

/**
 * Takes back, at a start, what the configuration gave and no longer gives: the configuration is
 * the truth at each start. A moderator it made (`moderator_source` configuration) whom it no
 * longer names becomes a member (appointed moderators keep their role); a community it no longer
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
  const configured = await tx
    .selectFrom('memberships as m')
    .innerJoin('identities as i', 'i.member_id', 'm.member_id')
    .select(['m.community_id', 'm.member_id', 'm.status', 'i.platform', 'i.platform_user_id'])
    .where('m.role', '=', 'moderator')
    .where('m.moderator_source', '=', 'configuration')
    .orderBy('m.community_id')
    .orderBy('m.member_id')
    .execute()
  const byMember = new Map<string, (typeof configured)[number][]>()
  for (const row of configured) {
    const key = `${row.community_id}\u0000${row.member_id}`
    byMember.set(key, [...(byMember.get(key) ?? []), row])
  }
  for (const rows of byMember.values()) {
    const [first] = rows
    if (first === undefined) continue
    const named = listed.get(first.community_id)?.moderators ?? []
    if (rows.some((r) => named.some((n) => n.platform === r.platform && n.userId === r.platform_user_id)))
      continue
    await setStatus(tx, first.community_id, first.member_id, first.status, 'member', now)
    await audit(tx, first.community_id, 'revoke_moderator', first.member_id, now)
    moderators.push({
      communityId: first.community_id,
      memberId: first.member_id,
      accounts: rows.map((r) => ({ platform: r.platform, userId: r.platform_user_id })),
    })
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
