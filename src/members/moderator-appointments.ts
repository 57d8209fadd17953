import type { Transaction } from 'kysely'
import type { Clock } from '../clock.ts'
import { type Executor, inTransaction } from '../db/in-transaction.ts'
import type { Database } from '../db/schema.ts'
import { AppointmentError, PermissionDeniedError } from '../errors.ts'
import type { Platform, PlatformActor } from '../platform/platform.ts'
import { banMarked } from './ban-marks.ts'
import {
  communityName,
  findMembership,
  type MemberRef,
  moderatesNow,
  recordModeration,
  setModeratorSource,
  setStatus,
} from './memberships.ts'
import { resolveMember } from './resolve-member.ts'

/** A moderator as `/moderators` lists them: their name, the platforms they are on, and why. */
export interface ModeratorListing {
  name: string
  platforms: Platform[]
  /** Named in the configuration: made a moderator at each start, so no command removes them. */
  configured: boolean
}

/**
 * Moderators appointing and removing moderators (`/moderators add`, `/moderators remove`). Both
 * are moderator actions, checked when they run and written to the audit. Appointing someone makes
 * them a member who moderates (joining them if they were not); removing them leaves them a member.
 */
export class ModeratorAppointments {
  constructor(
    private readonly db: Executor,
    private readonly clock: Clock,
  ) {}

  /** `alreadyModerator` when there was nothing to do (nothing is audited then). */
  async appoint(
    communityId: string,
    moderator: PlatformActor,
    target: MemberRef,
    /** The platform says, now, that the moderator moderates the bridged channel (see commands). */
    platformModerator = false,
  ): Promise<{ alreadyModerator: boolean }> {
    const now = this.clock.now()
    return inTransaction(this.db, async (tx) => {
      const name = await communityName(tx, communityId)
      const moderatorId = await resolveMember(tx, moderator, now)
      if (!(await moderatesNow(tx, communityId, moderatorId, platformModerator)))
        throw new PermissionDeniedError('appoint moderators')
      const targetId = 'memberId' in target ? target.memberId : await resolveMember(tx, target, now)
      const current = await findMembership(tx, communityId, targetId)
      if (current?.status === 'banned' || (await banMarked(tx, communityId, targetId)))
        throw new AppointmentError(
          'target_banned',
          `They are banned from ${name}: lift the ban first if they are to moderate.`,
        )
      if (current?.status === 'joined' && current.role === 'moderator') return { alreadyModerator: true }
      await setStatus(tx, communityId, targetId, 'joined', 'moderator', now)
      await setModeratorSource(tx, communityId, targetId, 'appointment')
      await recordModeration(
        tx,
        communityId,
        moderatorId,
        'grant_moderator',
        { target_member_id: targetId },
        now,
      )
      return { alreadyModerator: false }
    })
  }

  /**
   * Ends someone's moderator role; they stay a member. `wasModerator` is false when they were not
   * one by our records (a Discord role or permission may still make them one there). A moderator
   * the configuration names is refused: each start would make them one again.
   */
  async remove(
    communityId: string,
    moderator: PlatformActor,
    target: MemberRef,
    platformModerator = false,
  ): Promise<{ wasModerator: boolean }> {
    const now = this.clock.now()
    return inTransaction(this.db, async (tx) => {
      const moderatorId = await resolveMember(tx, moderator, now)
      if (!(await moderatesNow(tx, communityId, moderatorId, platformModerator)))
        throw new PermissionDeniedError('remove moderators')
      const targetId = 'memberId' in target ? target.memberId : await resolveMember(tx, target, now)
      const current = await findMembership(tx, communityId, targetId)
      if (current?.role !== 'moderator') return { wasModerator: false }
      if (await isConfigured(tx, communityId, targetId))
        throw new AppointmentError(
          'configured',
          'They are a moderator by the configuration, which makes them one again at every start: take them out of its moderators instead.',
        )
      await setStatus(tx, communityId, targetId, current.status, 'member', now)
      await recordModeration(
        tx,
        communityId,
        moderatorId,
        'revoke_moderator',
        { target_member_id: targetId },
        now,
      )
      return { wasModerator: true }
    })
  }

  /** The community's moderators by our records, by name: configured and appointed alike. */
  async list(communityId: string): Promise<ModeratorListing[]> {
    return inTransaction(this.db, async (tx) => {
      const rows = await tx
        .selectFrom('memberships as m')
        .innerJoin('members as mem', 'mem.id', 'm.member_id')
        .innerJoin('identities as i', 'i.member_id', 'm.member_id')
        .select(['m.member_id', 'mem.display_name', 'i.platform'])
        .where('m.community_id', '=', communityId)
        .where('m.status', '=', 'joined')
        .where('m.role', '=', 'moderator')
        .orderBy('mem.display_name')
        .orderBy('i.platform')
        .execute()
      const byMember = new Map<string, ModeratorListing>()
      for (const row of rows) {
        const listing = byMember.get(row.member_id) ?? {
          name: row.display_name,
          platforms: [],
          configured: await isConfigured(tx, communityId, row.member_id),
        }
        listing.platforms.push(row.platform)
        byMember.set(row.member_id, listing)
      }
      return [...byMember.values()]
    })
  }
}

/** Whether any of the member's accounts is one the configuration names as a moderator. */
async function isConfigured(
  tx: Transaction<Database>,
  communityId: string,
  memberId: string,
): Promise<boolean> {
  const community = await tx
    .selectFrom('communities')
    .select('configured_moderators')
    .where('id', '=', communityId)
    .executeTakeFirst()
  const named = community?.configured_moderators ?? []
  if (named.length === 0) return false
  const accounts = await tx
    .selectFrom('identities')
    .select(['platform', 'platform_user_id'])
    .where('member_id', '=', memberId)
    .execute()
  return accounts.some((a) => named.some((n) => n.platform === a.platform && n.userId === a.platform_user_id))
}
