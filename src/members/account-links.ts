import { createHash, randomInt } from 'node:crypto'
import type { Clock } from '../clock.ts'
import { type Executor, inTransaction } from '../db/in-transaction.ts'
import { AccountLinkError } from '../errors.ts'
import type { PlatformActor } from '../platform/platform.ts'
import {
  accountsOf,
  describe,
  describeWithId,
  type LinkedAccount,
  lockLinkable,
  otherAccount,
  otherName,
  platformName,
} from './account-link-parties.ts'
import { bannedAnywhere } from './ban-marks.ts'
import { mergeMemberInto, splitMemberTo } from './member-merge.ts'
import { recordModeration } from './memberships.ts'
import type { Account } from './moderator-accounts.ts'
import { resolveMember } from './resolve-member.ts'

/** How long a `/link` code can be entered. */
export const LINK_CODE_TTL_MS = 10 * 60_000

/** Capital letters and digits without the look-alikes (0/O, 1/I): easy to read out and type. */
export const LINK_CODE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789'
export const LINK_CODE_LENGTH = 8

export { describeWithId, type LinkedAccount } from './account-link-parties.ts'

/** A fresh code: shown once to the person who asked, stored only as a hash. */
export interface LinkCode {
  code: string
  expiresAt: Date
}

/**
 * One person across Discord and Slack. `createCode` on one platform, then `link` with that code
 * on the other, makes the two accounts one member: the entering account moves under the code
 * maker's member, with its memberships (the stricter wins: a ban is never lifted), preferences
 * and subscriptions merged in, and its content still shown under its own name. `unlink` splits
 * them back, each account keeping a copy of what they had together.
 *
 * Every refusal is an AccountLinkError whose message says what to do.
 */
export class AccountLinks {
  constructor(
    private readonly db: Executor,
    private readonly clock: Clock,
  ) {}

  /**
   * A single-use code for `actor`, valid for LINK_CODE_TTL_MS; any earlier unused code of theirs
   * stops working. Refused (`already_linked`) if the account is already linked, and (`banned`) if
   * it is banned from any community: its link would be refused anyway.
   */
  async createCode(actor: PlatformActor): Promise<LinkCode> {
    const now = this.clock.now()
    const expiresAt = new Date(now.getTime() + LINK_CODE_TTL_MS)
    return inTransaction(this.db, async (tx) => {
      const memberId = await resolveMember(tx, actor, now)
      const other = await otherAccount(tx, memberId, actor)
      if (other !== undefined)
        throw new AccountLinkError(
          'already_linked',
          `Your account is already linked to ${describe(other, actor.platform)}: unlink it first to link another.`,
        )
      if (await bannedAnywhere(tx, [memberId]))
        throw new AccountLinkError(
          'banned',
          'Your account is banned from a community here, and a banned account cannot be linked.',
        )
      await tx
        .deleteFrom('link_codes')
        .where('platform', '=', actor.platform)
        .where('platform_user_id', '=', actor.platformUserId)
        .where((eb) => eb.or([eb('used_at', 'is', null), eb('expires_at', '<=', now)]))
        .execute()
      // 32^8 codes: a clash with a live one is next to impossible, but a clash must not link a stranger.
      for (;;) {
        const code = newCode()
        const stored = await tx
          .insertInto('link_codes')
          .values({
            code_hash: hashCode(code),
            platform: actor.platform,
            platform_user_id: actor.platformUserId,
            expires_at: expiresAt,
            used_at: null,
            created_at: now,
          })
          .onConflict((conflict) => conflict.column('code_hash').doNothing())
          .returning('code_hash')
          .executeTakeFirst()
        if (stored !== undefined) return { code, expiresAt }
      }
    })
  }

  /**
   * `actor` enters `code`, made by an account on the other platform: nothing is linked yet. The
   * code is claimed under a row lock (of two people entering it at once, one claims it and the
   * other hears it was used) and waits, LINK_CODE_TTL_MS at most, for its maker to `confirm`
   * that this account, named by platform, name and id, is theirs. Returns the maker's account.
   * Refused with reason `unknown_code`, `expired_code`, `used_code`, `same_platform`,
   * `self_link`, `already_linked` (these two accounts are one already), `banned` (either account
   * is banned from any community) or `linked_elsewhere` (either account is linked to someone
   * else); a refusal leaves the code as it was.
   */
  async enter(actor: PlatformActor, code: string): Promise<LinkedAccount> {
    const now = this.clock.now()
    const hash = hashCode(normalizeCode(code))
    return inTransaction(this.db, async (tx) => {
      await resolveMember(tx, actor, now)
      const row = await tx
        .selectFrom('link_codes')
        .selectAll()
        .where('code_hash', '=', hash)
        .forUpdate()
        .executeTakeFirst()
      if (row === undefined)
        throw new AccountLinkError(
          'unknown_code',
          `That link code is not one we know: check it, or run link without a code on ${otherName(actor.platform)} for a new one.`,
        )
      if (row.platform === actor.platform && row.platform_user_id === actor.platformUserId)
        throw new AccountLinkError(
          'self_link',
          `That code is your own: an account cannot be linked to itself. Enter it on your ${otherName(actor.platform)} account.`,
        )
      if (row.platform === actor.platform)
        throw new AccountLinkError(
          'same_platform',
          `That code was made on ${platformName(row.platform)}: enter it on ${otherName(row.platform)}, with the link command there.`,
        )
      if (row.used_at !== null)
        throw new AccountLinkError(
          'used_code',
          `That link code was already used: run link without a code on ${platformName(row.platform)} for a new one.`,
        )
      if (row.expires_at <= now)
        throw new AccountLinkError(
          'expired_code',
          `That link code has expired (codes last 10 minutes): run link without a code on ${platformName(row.platform)} for a new one.`,
        )
      const { maker } = await lockLinkable(
        tx,
        { platform: row.platform, platformUserId: row.platform_user_id },
        actor,
        actor.platform,
      )
      await tx
        .updateTable('link_codes')
        .set({
          used_at: now,
          entered_platform: actor.platform,
          entered_platform_user_id: actor.platformUserId,
          entered_at: now,
        })
        .where('code_hash', '=', hash)
        .execute()
      return maker.account
    })
  }

  /** The account that entered `maker`'s code and waits for their confirmation, if any (the latest). */
  async waiting(maker: PlatformActor): Promise<LinkedAccount | undefined> {
    const since = new Date(this.clock.now().getTime() - LINK_CODE_TTL_MS)
    const row = await this.db
      .selectFrom('link_codes as c')
      .innerJoin('identities as i', (join) =>
        join
          .onRef('i.platform', '=', 'c.entered_platform')
          .onRef('i.platform_user_id', '=', 'c.entered_platform_user_id'),
      )
      .select(['i.platform', 'i.platform_user_id', 'i.display_name'])
      .where('c.platform', '=', maker.platform)
      .where('c.platform_user_id', '=', maker.platformUserId)
      .where('c.entered_at', '>', since)
      .orderBy('c.entered_at', 'desc')
      .executeTakeFirst()
    return (
      row && { platform: row.platform, platformUserId: row.platform_user_id, displayName: row.display_name }
    )
  }

  /**
   * `maker` confirms that `entering`, which entered their code within LINK_CODE_TTL_MS, is theirs:
   * the two accounts become one member, written to `communityId`'s audit. The entering account
   * moves under the maker's member, with its memberships (the stricter wins: a ban is never
   * lifted), preferences and subscriptions merged in, its content still shown under its own name;
   * a moderator's role stays with the account it was given to. Everything is checked again under
   * the locks. Returns the entering account. Refused with `nothing_to_confirm` (refused,
   * confirmed already, or too late), `already_linked`, `banned` (either account is banned from
   * any community, a ban since the code was entered included) or `linked_elsewhere`.
   */
  async confirm(maker: PlatformActor, entering: Account, communityId: string): Promise<LinkedAccount> {
    const now = this.clock.now()
    return inTransaction(this.db, async (tx) => {
      await resolveMember(tx, maker, now)
      const row = await tx
        .selectFrom('link_codes')
        .select('code_hash')
        .where('platform', '=', maker.platform)
        .where('platform_user_id', '=', maker.platformUserId)
        .where('entered_platform', '=', entering.platform)
        .where('entered_platform_user_id', '=', entering.platformUserId)
        .where('entered_at', '>', new Date(now.getTime() - LINK_CODE_TTL_MS))
        .forUpdate()
        .executeTakeFirst()
      if (row === undefined)
        throw new AccountLinkError(
          'nothing_to_confirm',
          'No link from that account waits for you: it was confirmed or refused already, or more than 10 minutes have passed. Run link for a new code.',
        )
      const locked = await lockLinkable(tx, maker, entering, maker.platform)
      // The code stays used (entering it again says so) and waits for nobody.
      await tx
        .updateTable('link_codes')
        .set({ entered_at: null })
        .where('code_hash', '=', row.code_hash)
        .execute()
      await tx
        .updateTable('identities')
        .set({ member_id: locked.maker.memberId })
        .where('platform', '=', entering.platform)
        .where('platform_user_id', '=', entering.platformUserId)
        .execute()
      await tx
        .insertInto('account_links')
        .values({
          platform: entering.platform,
          platform_user_id: entering.platformUserId,
          member_id: locked.maker.memberId,
          former_member_id: locked.entering.memberId,
          linked_at: now,
        })
        .execute()
      await mergeMemberInto(tx, locked.entering.memberId, locked.maker.memberId, now)
      await recordModeration(
        tx,
        communityId,
        locked.maker.memberId,
        'link_accounts',
        {
          target_member_id: locked.entering.memberId,
          reason: `${describeWithId(locked.maker.account, null)} with ${describeWithId(locked.entering.account, null)}`,
        },
        now,
      )
      return locked.entering.account
    })
  }

  /** `maker` refuses the link `entering` asked for: the code is spent. False when none waited. */
  async refuse(maker: PlatformActor, entering: Account): Promise<boolean> {
    const refused = await this.db
      .updateTable('link_codes')
      .set({ entered_at: null })
      .where('entered_at', 'is not', null)
      .where('platform', '=', maker.platform)
      .where('platform_user_id', '=', maker.platformUserId)
      .where('entered_platform', '=', entering.platform)
      .where('entered_platform_user_id', '=', entering.platformUserId)
      .executeTakeFirst()
    return refused.numUpdatedRows > 0n
  }

  /**
   * Splits `actor`'s accounts apart again, and returns the account they are no longer linked to.
   * The account that joined by `link` goes back to its own member, which gets a copy of the
   * person's memberships (a ban included), preferences and subscriptions, and again authors what
   * was written from it. Refused (`not_linked`) if the account is linked to none.
   */
  async unlink(actor: PlatformActor, communityId: string): Promise<LinkedAccount> {
    const now = this.clock.now()
    return inTransaction(this.db, async (tx) => {
      const memberId = await resolveMember(tx, actor, now)
      const link = await tx
        .selectFrom('account_links')
        .selectAll()
        .where('member_id', '=', memberId)
        .forUpdate()
        .executeTakeFirst()
      const other = await otherAccount(tx, memberId, actor)
      if (link === undefined || other === undefined)
        throw new AccountLinkError(
          'not_linked',
          'Your account is not linked to another: there is nothing to unlink.',
        )
      const moved = { platform: link.platform, platformUserId: link.platform_user_id }
      const [kept, movedAccount] = await accountsOf(tx, memberId, moved)
      await recordModeration(
        tx,
        communityId,
        memberId,
        'unlink_accounts',
        {
          target_member_id: link.former_member_id,
          reason: `${describeWithId(kept, null)} from ${describeWithId(movedAccount, null)}`,
        },
        now,
      )
      await tx
        .updateTable('identities')
        .set({ member_id: link.former_member_id })
        .where('platform', '=', moved.platform)
        .where('platform_user_id', '=', moved.platformUserId)
        .execute()
      await splitMemberTo(tx, memberId, link.former_member_id, moved, now)
      await tx
        .deleteFrom('account_links')
        .where('platform', '=', moved.platform)
        .where('platform_user_id', '=', moved.platformUserId)
        .execute()
      // Each member is named after its own account again.
      for (const member of [memberId, link.former_member_id])
        await tx
          .updateTable('members')
          .set((eb) => ({
            display_name: eb
              .selectFrom('identities')
              .select('display_name')
              .whereRef('identities.member_id', '=', 'members.id')
              .orderBy('updated_at', 'desc')
              .limit(1),
          }))
          .where('id', '=', member)
          .execute()
      return other
    })
  }

  /** The account `actor` is linked to on the other platform, if any. */
  async linkedTo(actor: PlatformActor): Promise<LinkedAccount | undefined> {
    return inTransaction(this.db, async (tx) =>
      otherAccount(tx, await resolveMember(tx, actor, this.clock.now()), actor),
    )
  }
}

/** A code as a person may type it: any case, spaces or dashes between groups. */
export function normalizeCode(code: string): string {
  return code.toUpperCase().replace(/[\s-]/g, '')
}

function hashCode(code: string): string {
  return createHash('sha256').update(code).digest('hex')
}

function newCode(): string {
  let code = ''
  for (let i = 0; i < LINK_CODE_LENGTH; i++) code += LINK_CODE_ALPHABET[randomInt(LINK_CODE_ALPHABET.length)]
  return code
}
