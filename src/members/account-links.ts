import { createHash, randomInt } from 'node:crypto'
import type { Transaction } from 'kysely'
import type { Clock } from '../clock.ts'
import { type Executor, inTransaction } from '../db/in-transaction.ts'
import type { Database } from '../db/schema.ts'
import { AccountLinkError, NotFoundError } from '../errors.ts'
import type { Platform, PlatformActor } from '../platform/platform.ts'
import { mergeMemberInto, splitMemberTo } from './member-merge.ts'
import { resolveMember } from './resolve-member.ts'

/** How long a `/link` code can be entered. */
export const LINK_CODE_TTL_MS = 10 * 60_000

/** Capital letters and digits without the look-alikes (0/O, 1/I): easy to read out and type. */
export const LINK_CODE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789'
export const LINK_CODE_LENGTH = 8

/** A fresh code: shown once to the person who asked, stored only as a hash. */
export interface LinkCode {
  code: string
  expiresAt: Date
}

/** A platform account as the person knows it. */
export interface LinkedAccount {
  platform: Platform
  platformUserId: string
  displayName: string
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
   * stops working. Refused (`already_linked`) if the account is already linked.
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
          `Your account is already linked to ${describe(other)}: unlink it first to link another.`,
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
   * Links `actor` to the account that made `code` on the other platform, and returns that
   * account. The code is claimed under a row lock in the same transaction as the merge: of two
   * people entering one code at once, one links and the other hears it was used; a refusal
   * leaves the code as it was. Refused with reason `unknown_code`, `expired_code`, `used_code`,
   * `same_platform`, `self_link`, `already_linked` (these two accounts are one already) or
   * `linked_elsewhere` (either account is linked to someone else).
   */
  async link(actor: PlatformActor, code: string): Promise<LinkedAccount> {
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
      // Both accounts, then both members, are locked before anything is checked, so two links
      // touching the same person at once (their code entered while they enter someone else's) run
      // one after the other and the second sees the first; always in one order, so they cannot
      // deadlock. The member ids are read under the lock: one may just have moved.
      const accounts = await tx
        .selectFrom('identities')
        .select(['platform', 'platform_user_id', 'member_id', 'display_name'])
        .where((eb) =>
          eb.or([
            eb.and([eb('platform', '=', actor.platform), eb('platform_user_id', '=', actor.platformUserId)]),
            eb.and([eb('platform', '=', row.platform), eb('platform_user_id', '=', row.platform_user_id)]),
          ]),
        )
        .orderBy('platform')
        .orderBy('platform_user_id')
        .forUpdate()
        .execute()
      const entering = accounts.find((a) => a.platform === actor.platform)?.member_id
      const maker = accounts.find((a) => a.platform === row.platform)
      // Impossible while codes cascade with their account; said plainly rather than assumed.
      if (entering === undefined || maker === undefined)
        throw new NotFoundError('member', `${row.platform}:${row.platform_user_id}`)
      await tx
        .selectFrom('members')
        .select('id')
        .where('id', 'in', [entering, maker.member_id])
        .orderBy('id')
        .forUpdate()
        .execute()
      const makerAccount = {
        platform: row.platform,
        platformUserId: row.platform_user_id,
        displayName: maker.display_name,
      }
      if (maker.member_id === entering)
        throw new AccountLinkError(
          'already_linked',
          `Your account is already linked to ${describe(makerAccount)}.`,
        )
      const mine = await otherAccount(tx, entering, actor)
      if (mine !== undefined)
        throw new AccountLinkError(
          'linked_elsewhere',
          `Your account is already linked to ${describe(mine)}: unlink it first, then enter the code again.`,
        )
      const theirs = await otherAccount(tx, maker.member_id, makerAccount)
      if (theirs !== undefined)
        throw new AccountLinkError(
          'linked_elsewhere',
          `The account that made this code is already linked to another ${platformName(theirs.platform)} account: it must unlink first.`,
        )

      await tx.updateTable('link_codes').set({ used_at: now }).where('code_hash', '=', hash).execute()
      await tx
        .updateTable('identities')
        .set({ member_id: maker.member_id })
        .where('platform', '=', actor.platform)
        .where('platform_user_id', '=', actor.platformUserId)
        .execute()
      await tx
        .insertInto('account_links')
        .values({
          platform: actor.platform,
          platform_user_id: actor.platformUserId,
          member_id: maker.member_id,
          former_member_id: entering,
          linked_at: now,
        })
        .execute()
      await mergeMemberInto(tx, entering, maker.member_id, now)
      return makerAccount
    })
  }

  /**
   * Splits `actor`'s accounts apart again, and returns the account they are no longer linked to.
   * The account that joined by `link` goes back to its own member, which gets a copy of the
   * person's memberships (a ban included), preferences and subscriptions, and again authors what
   * was written from it. Refused (`not_linked`) if the account is linked to none.
   */
  async unlink(actor: PlatformActor): Promise<LinkedAccount> {
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

/** The member's account other than `account`: the one it is linked to. */
async function otherAccount(
  tx: Transaction<Database>,
  memberId: string,
  account: { platform: Platform; platformUserId: string },
): Promise<LinkedAccount | undefined> {
  const row = await tx
    .selectFrom('identities')
    .select(['platform', 'platform_user_id', 'display_name'])
    .where('member_id', '=', memberId)
    .where((eb) =>
      eb.or([eb('platform', '!=', account.platform), eb('platform_user_id', '!=', account.platformUserId)]),
    )
    .executeTakeFirst()
  return (
    row && { platform: row.platform, platformUserId: row.platform_user_id, displayName: row.display_name }
  )
}

function platformName(platform: Platform): string {
  return platform === 'discord' ? 'Discord' : 'Slack'
}

function otherName(platform: Platform): string {
  return platformName(platform === 'discord' ? 'slack' : 'discord')
}

function describe(account: LinkedAccount): string {
  return `${account.displayName} on ${platformName(account.platform)}`
}
