import type { Transaction } from 'kysely'
import type { Clock } from '../clock.ts'
import { type Executor, inTransaction } from '../db/in-transaction.ts'
import type { Database } from '../db/schema.ts'
import { AppointmentError, PermissionDeniedError } from '../errors.ts'
import type { Platform, PlatformActor } from '../platform/platform.ts'
import { banMarked } from './ban-marks.ts'
import { communityName, findMembership, moderatesNow, recordModeration, setStatus } from './memberships.ts'
import {
  type Account,
  accountModerates,
  grantToAccount,
  memberHoldsRole,
  moderatingAccounts,
  revokeFromAccounts,
} from './moderator-accounts.ts'
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

  /**
   * Whether this account moderates the community by our records now (the platform's say-so is
   * the command's to add): the role given to this account, never to a linked one.
   */
  async moderates(communityId: string, account: PlatformActor): Promise<boolean> {
    return inTransaction(this.db, async (tx) => {
      const row = await tx
        .selectFrom('identities')
        .select('member_id')
        .where('platform', '=', account.platform)
        .where('platform_user_id', '=', account.platformUserId)
        .executeTakeFirst()
      return row !== undefined && (await accountModerates(tx, communityId, row.member_id, account))
    })
  }

  /**
   * Makes the account `target` a moderator (joining its member if needed): the role is that
   * account's, not its linked one's. `alreadyModerator` when there was nothing to do (nothing is
   * audited then).
   */
  async appoint(
    communityId: string,
    moderator: PlatformActor,
    target: PlatformActor,
    /** The platform says, now, that the moderator moderates the bridged channel (see commands). */
    platformModerator = false,
  ): Promise<{ alreadyModerator: boolean }> {
    const now = this.clock.now()
    return inTransaction(this.db, async (tx) => {
      const name = await communityName(tx, communityId)
      const moderatorId = await resolveMember(tx, moderator, now)
      if (!(await moderatesNow(tx, communityId, moderatorId, moderator, platformModerator)))
        throw new PermissionDeniedError('appoint moderators')
      const targetId = await resolveMember(tx, target, now)
      const current = await findMembership(tx, communityId, targetId)
      if (current?.status === 'banned' || (await banMarked(tx, communityId, targetId)))
        throw new AppointmentError(
          'target_banned',
          `They are banned from ${name}: lift the ban first if they are to moderate.`,
        )
      if (await accountModerates(tx, communityId, targetId, target)) return { alreadyModerator: true }
      await grantToAccount(tx, communityId, target, 'appointment', now)
      await setStatus(tx, communityId, targetId, 'joined', 'moderator', now)
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
   * Ends the moderator role of the account `target`; its member stays a member (and a moderator
   * through another account given the role, if any). `wasModerator` is false when the account was
   * not one by our records (a Discord role or permission may still make them one there). An
   * account the configuration names is refused: each start would make it one again.
   */
  async remove(
    communityId: string,
    moderator: PlatformActor,
    target: PlatformActor,
    platformModerator = false,
  ): Promise<{ wasModerator: boolean }> {
    const now = this.clock.now()
    return inTransaction(this.db, async (tx) => {
      const moderatorId = await resolveMember(tx, moderator, now)
      if (!(await moderatesNow(tx, communityId, moderatorId, moderator, platformModerator)))
        throw new PermissionDeniedError('remove moderators')
      const targetId = await resolveMember(tx, target, now)
      const current = await findMembership(tx, communityId, targetId)
      if (current === undefined || !(await isRoleHeld(tx, communityId, target)))
        return { wasModerator: false }
      if (await isConfigured(tx, communityId, [target]))
        throw new AppointmentError(
          'configured',
          'They are a moderator by the configuration, which makes them one again at every start: take them out of its moderators instead.',
        )
      await revokeFromAccounts(tx, communityId, targetId, target)
      const role = (await memberHoldsRole(tx, communityId, targetId)) ? 'moderator' : 'member'
      await setStatus(tx, communityId, targetId, current.status, role, now)
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

  /**
   * The community's moderators by our records, by name: configured and appointed alike, each
   * with the platforms of the accounts that hold the role (not of every account they linked).
   */
  async list(communityId: string): Promise<ModeratorListing[]> {
    return inTransaction(this.db, async (tx) => {
      const rows = await tx
        .selectFrom('memberships as m')
        .innerJoin('members as mem', 'mem.id', 'm.member_id')
        .select(['m.member_id', 'mem.display_name'])
        .where('m.community_id', '=', communityId)
        .where('m.status', '=', 'joined')
        .orderBy('mem.display_name')
        .execute()
      const listings: ModeratorListing[] = []
      for (const row of rows) {
        const accounts = await moderatingAccounts(tx, communityId, row.member_id)
        if (accounts.length === 0) continue
        listings.push({
          name: row.display_name,
          platforms: accounts.map((a) => a.platform),
          configured: await isConfigured(tx, communityId, accounts),
        })
      }
      return listings
    })
  }
}

/** Whether the account holds the role here by our records, whatever its membership now. */
async function isRoleHeld(
  tx: Transaction<Database>,
  communityId: string,
  account: Account,
): Promise<boolean> {
  const row = await tx
    .selectFrom('moderator_accounts')
    .select('platform')
    .where('community_id', '=', communityId)
    .where('platform', '=', account.platform)
    .where('platform_user_id', '=', account.platformUserId)
    .executeTakeFirst()
  return row !== undefined
}

/** Whether any of these accounts is one the configuration names as a moderator. */
async function isConfigured(
  tx: Transaction<Database>,
  communityId: string,
  accounts: readonly Account[],
): Promise<boolean> {
  const community = await tx
    .selectFrom('communities')
    .select('configured_moderators')
    .where('id', '=', communityId)
    .executeTakeFirst()
  const named = community?.configured_moderators ?? []
  return accounts.some((a) => named.some((n) => n.platform === a.platform && n.userId === a.platformUserId))
}
