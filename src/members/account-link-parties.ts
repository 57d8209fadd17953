import type { Transaction } from 'kysely'
import { shownName } from '../command/shown-name.ts'
import type { Database } from '../db/schema.ts'
import { AccountLinkError, NotFoundError } from '../errors.ts'
import type { Platform } from '../platform/platform.ts'
import { bannedAnywhere } from './ban-marks.ts'
import type { Account } from './moderator-accounts.ts'

/**
 * The accounts `/link` and `/unlink` work on, read and locked in the transaction that changes
 * them, and how answers and the audit name them. AccountLinks (account-links.ts) holds the flow.
 */

/** A platform account as the person knows it. */
export interface LinkedAccount {
  platform: Platform
  platformUserId: string
  displayName: string
}

/** The refusal of a link to a banned account, as either party reads it: the account named by platform, name and id. */
function bannedMessage(account: LinkedAccount, reader: Platform): string {
  return `${describeWithId(account, reader)} is banned from a community here, and a banned account cannot be linked: nothing was linked.`
}

/** A linked member's two accounts: the one it kept, then `moved` (the one `/link` moved in). */
export async function accountsOf(
  tx: Transaction<Database>,
  memberId: string,
  moved: Account,
): Promise<[LinkedAccount, LinkedAccount]> {
  const rows = await tx
    .selectFrom('identities')
    .select(['platform', 'platform_user_id', 'display_name'])
    .where('member_id', '=', memberId)
    .execute()
  const accounts = rows.map((row) => ({
    platform: row.platform,
    platformUserId: row.platform_user_id,
    displayName: row.display_name,
  }))
  const isMoved = (a: Account) => a.platform === moved.platform && a.platformUserId === moved.platformUserId
  const kept = accounts.find((a) => !isMoved(a))
  const movedAccount = accounts.find(isMoved)
  if (kept === undefined || movedAccount === undefined) throw new NotFoundError('member', memberId)
  return [kept, movedAccount]
}

/** The member's account other than `account`: the one it is linked to. */
export async function otherAccount(
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

export function platformName(platform: Platform): string {
  return platform === 'discord' ? 'Discord' : 'Slack'
}

export function otherName(platform: Platform): string {
  return platformName(platform === 'discord' ? 'slack' : 'discord')
}

/**
 * Who reads a description: the platform that shows it, whose escaping the name gets (`shownName`),
 * or null for the audit's record, which keeps the name as written and escapes it when shown.
 */
export type Reader = Platform | null

function nameFor(account: LinkedAccount, reader: Reader): string {
  return reader === null ? account.displayName : shownName(reader, account.displayName)
}

/** An account as a refusal names it: `sam on Slack`. */
export function describe(account: LinkedAccount, reader: Reader): string {
  return `${nameFor(account, reader)} on ${platformName(account.platform)}`
}

/** An account as the audit and a confirmation name it: platform, name and id (`Slack sam (U0SAM)`). */
export function describeWithId(account: LinkedAccount, reader: Reader): string {
  return `${platformName(account.platform)} ${nameFor(account, reader)} (${account.platformUserId})`
}

/**
 * Locks both accounts, then both members (always in one order, so two links touching the same
 * person cannot deadlock, and the second sees the first), and checks they may be linked: reads
 * the member ids under the lock, since one may just have moved. Throws AccountLinkError
 * (`already_linked`, `banned`, `linked_elsewhere`), worded for `reader`, the platform of the
 * account that asked.
 */
export async function lockLinkable(
  tx: Transaction<Database>,
  makerAccount: Account,
  enteringAccount: Account,
  reader: Platform,
): Promise<{
  maker: { memberId: string; account: LinkedAccount }
  entering: { memberId: string; account: LinkedAccount }
}> {
  const same = (a: Account) => (row: { platform: Platform; platform_user_id: string }) =>
    row.platform === a.platform && row.platform_user_id === a.platformUserId
  const accounts = await tx
    .selectFrom('identities')
    .select(['platform', 'platform_user_id', 'member_id', 'display_name'])
    .where((eb) =>
      eb.or(
        [makerAccount, enteringAccount].map((a) =>
          eb.and([eb('platform', '=', a.platform), eb('platform_user_id', '=', a.platformUserId)]),
        ),
      ),
    )
    .orderBy('platform')
    .orderBy('platform_user_id')
    .forUpdate()
    .execute()
  const makerRow = accounts.find(same(makerAccount))
  const enteringRow = accounts.find(same(enteringAccount))
  // Impossible while codes cascade with their accounts; said plainly rather than assumed.
  if (makerRow === undefined)
    throw new NotFoundError('member', `${makerAccount.platform}:${makerAccount.platformUserId}`)
  if (enteringRow === undefined)
    throw new NotFoundError('member', `${enteringAccount.platform}:${enteringAccount.platformUserId}`)
  await tx
    .selectFrom('members')
    .select('id')
    .where('id', 'in', [makerRow.member_id, enteringRow.member_id])
    .orderBy('id')
    .forUpdate()
    .execute()
  const asLinked = (row: typeof makerRow): LinkedAccount => ({
    platform: row.platform,
    platformUserId: row.platform_user_id,
    displayName: row.display_name,
  })
  const maker = { memberId: makerRow.member_id, account: asLinked(makerRow) }
  const entering = { memberId: enteringRow.member_id, account: asLinked(enteringRow) }
  if (maker.memberId === entering.memberId)
    throw new AccountLinkError(
      'already_linked',
      `Your account is already linked to ${describe(maker.account, reader)}.`,
    )
  // Merging keeps the stricter membership: a banned account linked to a moderator's would ban the
  // moderator and end their role. Checked under the locks, so a ban since the code was entered counts.
  for (const party of [entering, maker])
    if (await bannedAnywhere(tx, [party.memberId]))
      throw new AccountLinkError('banned', bannedMessage(party.account, reader))
  const mine = await otherAccount(tx, entering.memberId, entering.account)
  if (mine !== undefined)
    throw new AccountLinkError(
      'linked_elsewhere',
      `Your account is already linked to ${describe(mine, reader)}: unlink it first, then enter the code again.`,
    )
  const theirs = await otherAccount(tx, maker.memberId, maker.account)
  if (theirs !== undefined)
    throw new AccountLinkError(
      'linked_elsewhere',
      `The account that made this code is already linked to another ${platformName(theirs.platform)} account: it must unlink first.`,
    )
  return { maker, entering }
}
