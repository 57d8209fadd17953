import { sql, type Transaction } from 'kysely'
import type { Clock } from '../clock.ts'
import { type Executor, inTransaction } from '../db/in-transaction.ts'
import type { Database, Membership, MembershipRole, MembershipStatus } from '../db/schema.ts'
import { requestVacuum } from '../erasure/request-vacuum.ts'
import { BannedError, NotAMemberError, NotFoundError, PermissionDeniedError } from '../errors.ts'
import { enqueue } from '../outbox/outbox.ts'
import type { Platform, PlatformActor } from '../platform/platform.ts'
import { banMarked, liftBanMarks } from './ban-marks.ts'
import { accountModerates, grantToAccount, revokeFromAccounts } from './moderator-accounts.ts'
import { resolveMember } from './resolve-member.ts'

export interface JoinResult {
  memberId: string
  /** True when they were already a member: joining twice is not an error, just a no-op. */
  alreadyMember: boolean
}

/** A person as a moderator names them: by platform account, or by our member id. */
export type MemberRef = PlatformActor | { memberId: string }

/** How a person becomes a member, stops being one, or is removed by a moderator. */
export class Memberships {
  constructor(
    private readonly db: Executor,
    private readonly clock: Clock,
  ) {}

  async join(communityId: string, actor: PlatformActor): Promise<JoinResult> {
    const now = this.clock.now()
    return inTransaction(this.db, async (tx) => {
      const community = await communityName(tx, communityId)
      const memberId = await resolveMember(tx, actor, now)
      const current = await findMembership(tx, communityId, memberId)
      if (current?.status === 'banned') throw new BannedError(communityId, community)
      if (current?.status === 'joined') return { memberId, alreadyMember: true }
      // Banned, then erased: the account is recognised by its ban mark.
      if (await banMarked(tx, communityId, memberId)) throw new BannedError(communityId, community)
      await setStatus(tx, communityId, memberId, 'joined', current?.role ?? 'member', now)
      return { memberId, alreadyMember: false }
    })
  }

  /** Ends a membership; `wasMember` is false when there was none to end (never joined, left, banned). */
  async leave(communityId: string, actor: PlatformActor): Promise<{ wasMember: boolean }> {
    const now = this.clock.now()
    return inTransaction(this.db, async (tx) => {
      await communityName(tx, communityId)
      const memberId = await resolveMember(tx, actor, now)
      const current = await findMembership(tx, communityId, memberId)
      // Leaving does not lift a ban, and leaving twice changes nothing.
      if (current === undefined || current.status !== 'joined') return { wasMember: false }
      await setStatus(tx, communityId, memberId, 'left', current.role, now)
      return { wasMember: true }
    })
  }

  /** Bans a person: they lose posting rights and cannot rejoin. Only moderators may. */
  async ban(
    communityId: string,
    moderator: PlatformActor,
    target: MemberRef,
    reason?: string,
    /** The platform says, now, that the moderator moderates the bridged channel (see commands). */
    platformModerator = false,
  ): Promise<{ alreadyBanned: boolean }> {
    const now = this.clock.now()
    return inTransaction(this.db, async (tx) => {
      const moderatorId = await resolveMember(tx, moderator, now)
      if (!(await moderatesNow(tx, communityId, moderatorId, moderator, platformModerator)))
        throw new PermissionDeniedError('ban members')
      const targetId = 'memberId' in target ? target.memberId : await resolveMember(tx, target, now)
      if (targetId === moderatorId) throw new PermissionDeniedError('ban yourself')
      const current = await findMembership(tx, communityId, targetId)
      // Moderators are removed as moderators first (by /moderators, or from the configuration,
      // which would otherwise make them one again at the next start): a ban is not a demotion.
      if (current?.role === 'moderator' && current.status === 'joined')
        throw new PermissionDeniedError(
          'ban a moderator: remove them as a moderator first (or from the configuration, if it names them)',
        )
      if (current?.status === 'banned') return { alreadyBanned: true }
      if (current === undefined && (await banMarked(tx, communityId, targetId)))
        return { alreadyBanned: true }
      await setStatus(tx, communityId, targetId, 'banned', 'member', now)
      await revokeFromAccounts(tx, communityId, targetId)
      await recordModeration(tx, communityId, moderatorId, 'ban', { target_member_id: targetId, reason }, now)
      return { alreadyBanned: false }
    })
  }

  /** Lifts a ban; the person may join again (they are not re-joined for them). */
  async unban(
    communityId: string,
    moderator: PlatformActor,
    target: MemberRef,
    platformModerator = false,
  ): Promise<{ wasBanned: boolean }> {
    const now = this.clock.now()
    return inTransaction(this.db, async (tx) => {
      const moderatorId = await resolveMember(tx, moderator, now)
      if (!(await moderatesNow(tx, communityId, moderatorId, moderator, platformModerator)))
        throw new PermissionDeniedError('unban members')
      const targetId = 'memberId' in target ? target.memberId : await resolveMember(tx, target, now)
      const current = await findMembership(tx, communityId, targetId)
      // An account banned and then erased has only its ban mark left: lifting it is the unban.
      const marked = await liftBanMarks(tx, communityId, targetId)
      if (marked) await requestVacuum(tx, ['ban_marks'])
      if (current?.status !== 'banned' && !marked) return { wasBanned: false }
      if (current?.status === 'banned') await setStatus(tx, communityId, targetId, 'left', 'member', now)
      await recordModeration(tx, communityId, moderatorId, 'unban', { target_member_id: targetId }, now)
      return { wasBanned: true }
    })
  }

  /**
   * Makes someone a moderator (joining them if needed). Used for the moderators named in the
   * configuration; a moderator command can use it later with `grantedBy` set.
   */
  async grantModerator(communityId: string, target: PlatformActor, grantedBy?: PlatformActor): Promise<void> {
    const now = this.clock.now()
    await inTransaction(this.db, async (tx) => {
      const community = await communityName(tx, communityId)
      const targetId = await resolveMember(tx, target, now)
      let grantorId: string | null = null
      if (grantedBy !== undefined) {
        grantorId = await resolveMember(tx, grantedBy, now)
        await requireModerator(tx, communityId, grantorId, 'appoint moderators', grantedBy)
      }
      const current = await findMembership(tx, communityId, targetId)
      if (current?.status === 'banned') throw new BannedError(communityId, community)
      if (await banMarked(tx, communityId, targetId)) throw new BannedError(communityId, community)
      // The role is the account's: the configuration names an account, not a person. Why it holds
      // it (configuration or appointment) is what a start's revocation reads; a role the account
      // already holds keeps its first reason.
      await grantToAccount(tx, communityId, target, grantedBy ? 'appointment' : 'configuration', now)
      if (current?.status === 'joined' && current.role === 'moderator') return
      await setStatus(tx, communityId, targetId, 'joined', 'moderator', now)
      if (grantorId !== null) {
        await recordModeration(
          tx,
          communityId,
          grantorId,
          'grant_moderator',
          { target_member_id: targetId },
          now,
        )
      }
    })
  }

  /**
   * Whether this account may post in the community now (joined, not banned, no ban mark): a read
   * only, which records nothing about a stranger. The write itself checks again, in its transaction.
   */
  async mayPost(
    communityId: string,
    platform: PlatformActor['platform'],
    platformUserId: string,
  ): Promise<boolean> {
    return inTransaction(this.db, (tx) => mayPost(tx, communityId, { platform, platformUserId }))
  }

  /** Whether the person is banned: by their membership, or by a ban mark kept past their erasure. */
  async isBanned(communityId: string, actor: PlatformActor): Promise<boolean> {
    return inTransaction(this.db, async (tx) => {
      const memberId = await resolveMember(tx, actor, this.clock.now())
      const membership = await findMembership(tx, communityId, memberId)
      return membership?.status === 'banned' || (await banMarked(tx, communityId, memberId))
    })
  }

  async get(communityId: string, actor: PlatformActor): Promise<Membership | undefined> {
    return inTransaction(this.db, async (tx) => {
      const memberId = await resolveMember(tx, actor, this.clock.now())
      return findMembership(tx, communityId, memberId)
    })
  }
}

/** Throws unless the member has joined the community and is not banned. */
export async function requirePostingRights(
  tx: Transaction<Database>,
  communityId: string,
  memberId: string,
): Promise<Membership> {
  const name = await communityName(tx, communityId)
  const membership = await findMembership(tx, communityId, memberId)
  if (membership?.status === 'banned') throw new BannedError(communityId, name)
  // Banned and then erased: no membership says so, the ban mark does, and they are told they are
  // banned rather than how to join (a join would refuse them). Checked for a member too: a member
  // again by another way (a link no longer can, as links refuse banned accounts, but one made
  // before that rule, or a way not yet thought of) meets the ban mark here.
  if (await banMarked(tx, communityId, memberId)) throw new BannedError(communityId, name)
  if (membership?.status !== 'joined') throw new NotAMemberError(communityId, name, joinHint(name))
  return membership
}

/**
 * The rights check runs when the action runs, against our own records, not the platform's: the
 * role of the account acting (`account`, of member `memberId`), never of a linked one.
 */
export async function requireModerator(
  tx: Transaction<Database>,
  communityId: string,
  memberId: string,
  action: string,
  account: { platform: Platform; platformUserId: string },
): Promise<void> {
  if (!(await moderatesNow(tx, communityId, memberId, account, false)))
    throw new PermissionDeniedError(action)
}

/**
 * Whether this account (of member `memberId`) may act as a moderator of the community now: never
 * while the member is banned, by their membership or by a ban mark (a ban outranks any platform
 * right: Discord's Manage Messages, a Slack admin's); otherwise when our records give the role to
 * this very account (a linked account does not lend it) or the platform says so
 * (`platformModerator`, computed by the adapter when the command runs).
 */
export async function moderatesNow(
  tx: Transaction<Database>,
  communityId: string,
  memberId: string,
  account: { platform: Platform; platformUserId: string },
  platformModerator: boolean,
): Promise<boolean> {
  const membership = await findMembership(tx, communityId, memberId)
  if (membership?.status === 'banned' || (await banMarked(tx, communityId, memberId))) return false
  return platformModerator || (await accountModerates(tx, communityId, memberId, account))
}

/**
 * Whether this account may post in the community now (joined, not banned, no ban mark): for what
 * needs posting rights but carries no words, a reaction. False for an account we have never
 * seen, without making a record of it.
 */
export async function mayPost(
  tx: Transaction<Database>,
  communityId: string,
  account: { platform: Platform; platformUserId: string },
): Promise<boolean> {
  const row = await tx
    .selectFrom('identities as i')
    .innerJoin('memberships as m', 'm.member_id', 'i.member_id')
    .select(['m.member_id', 'm.status'])
    .where('i.platform', '=', account.platform)
    .where('i.platform_user_id', '=', account.platformUserId)
    .where('m.community_id', '=', communityId)
    .executeTakeFirst()
  return row?.status === 'joined' && !(await banMarked(tx, communityId, row.member_id))
}

/** How to join, as a person types it where they are (`/join`, or `/threadbridge join` on Slack). */
export function joinHint(communityName: string, joinCommand = '/join'): string {
  return `Join ${communityName} with ${joinCommand}, then try again.`
}

export async function recordModeration(
  tx: Transaction<Database>,
  communityId: string,
  moderatorId: string,
  action: string,
  target: {
    target_member_id?: string
    target_discussion_id?: string
    target_reply_id?: string
    reason?: string | undefined
  },
  now: Date,
): Promise<void> {
  await tx
    .insertInto('moderation_actions')
    .values({
      community_id: communityId,
      moderator_member_id: moderatorId,
      action,
      target_member_id: target.target_member_id ?? null,
      target_discussion_id: target.target_discussion_id ?? null,
      target_reply_id: target.target_reply_id ?? null,
      reason: target.reason ?? null,
      created_at: now,
    })
    .execute()
}

export async function communityName(tx: Transaction<Database>, communityId: string): Promise<string> {
  const row = await tx
    .selectFrom('communities')
    .select('name')
    .where('id', '=', communityId)
    .executeTakeFirst()
  if (row === undefined) throw new NotFoundError('community', communityId)
  return row.name
}

export function findMembership(tx: Transaction<Database>, communityId: string, memberId: string) {
  return tx
    .selectFrom('memberships')
    .selectAll()
    .where('community_id', '=', communityId)
    .where('member_id', '=', memberId)
    .executeTakeFirst()
}

export async function setStatus(
  tx: Transaction<Database>,
  communityId: string,
  memberId: string,
  status: MembershipStatus,
  role: MembershipRole,
  now: Date,
): Promise<void> {
  await tx
    .insertInto('memberships')
    .values({ community_id: communityId, member_id: memberId, status, role, joined_at: now, updated_at: now })
    .onConflict((conflict) =>
      conflict.columns(['community_id', 'member_id']).doUpdateSet({
        status,
        role,
        updated_at: now,
        // A rejoin starts a new membership; a role change, leaving or a ban keep the date they joined.
        joined_at: sql<Date>`case when memberships.status = 'joined' or excluded.status <> 'joined'
          then memberships.joined_at else excluded.joined_at end`,
      }),
    )
    .execute()
  await enqueue(tx, communityId, { type: 'membership.changed', memberId, status, role }, now)
}

/** The platform accounts of a community's moderators: where they can be told something privately. */
export async function moderatorAccounts(
  db: Executor,
  communityId: string,
): Promise<{ platform: Platform; platformUserId: string }[]> {
  const rows = await db
    .selectFrom('memberships')
    .innerJoin('identities', 'identities.member_id', 'memberships.member_id')
    .innerJoin('moderator_accounts', (join) =>
      join
        .onRef('moderator_accounts.platform', '=', 'identities.platform')
        .onRef('moderator_accounts.platform_user_id', '=', 'identities.platform_user_id')
        .onRef('moderator_accounts.community_id', '=', 'memberships.community_id'),
    )
    .select(['identities.platform', 'identities.platform_user_id'])
    .where('memberships.community_id', '=', communityId)
    .where('memberships.status', '=', 'joined')
    .execute()
  return rows.map((row) => ({ platform: row.platform, platformUserId: row.platform_user_id }))
}
