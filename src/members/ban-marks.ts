import { randomBytes } from 'node:crypto'
import { type RawBuilder, sql, type Transaction } from 'kysely'
import type { Database } from '../db/schema.ts'

/**
 * Bans that outlive erasure. `/forget-me` removes a person's accounts and memberships; a ban must
 * not go with them, or erasing oneself would lift it. What stays is a ban mark per community and
 * account: HMAC-SHA256 under this install's key (`ban_mark_key`: 32 bytes from the operating
 * system's random source, made when the first mark is written, kept in the database so every
 * process sharing it uses the same key) of "<platform>:<platform account id>". It names no one; it only lets the
 * same account be recognised when it comes back (at `/join`, at every post, when appointed or
 * configured as a moderator, when linked). `unban` naming the account removes it.
 *
 * The HMAC is computed by the database, from the key's stored pads (RFC 2104:
 * H(outer_pad || H(inner_pad || message))), so the check of a post is one statement.
 */

/** HMAC-SHA256 of an identity row's account, for a query that joins `identities as i` and `ban_mark_key as k`. */
const ACCOUNT_HASH: RawBuilder<Uint8Array> = sql<Uint8Array>`sha256(k.outer_pad || sha256(k.inner_pad || convert_to(i.platform || ':' || i.platform_user_id, 'UTF8')))`

/**
 * Marks every account of these members in every community where one of them is banned: called
 * by the erasure, before the memberships and identities go. Idempotent.
 */
export async function markBannedAccounts(
  tx: Transaction<Database>,
  memberIds: readonly string[],
  now: Date,
): Promise<void> {
  if (memberIds.length === 0) return
  await ensureKey(tx)
  await sql`
    insert into ban_marks (community_id, account_hash, created_at)
    select distinct m.community_id, ${ACCOUNT_HASH}, ${now}::timestamptz
    from memberships m
    cross join identities i
    cross join ban_mark_key k
    where m.member_id in (${sql.join(memberIds)}) and m.status = 'banned'
      and i.member_id in (${sql.join(memberIds)})
    on conflict do nothing`.execute(tx)
}

/** Whether any account of this member carries a ban mark in the community. */
export async function banMarked(
  tx: Transaction<Database>,
  communityId: string,
  memberId: string,
): Promise<boolean> {
  const found = await sql<{ one: number }>`
    select 1 as one
    from identities i
    cross join ban_mark_key k
    join ban_marks b on b.community_id = ${communityId} and b.account_hash = ${ACCOUNT_HASH}
    where i.member_id = ${memberId}
    limit 1`.execute(tx)
  return found.rows.length > 0
}

/**
 * Whether any of these members is banned from any community: by a membership, or by a ban mark
 * on one of their accounts (banned, then erased, then back). A link checks it: merging keeps the
 * stricter membership, so a banned account linked to a moderator's would ban the moderator.
 */
export async function bannedAnywhere(
  tx: Transaction<Database>,
  memberIds: readonly string[],
): Promise<boolean> {
  if (memberIds.length === 0) return false
  const found = await sql<{ one: number }>`
    select 1 as one from memberships m
    where m.member_id in (${sql.join(memberIds)}) and m.status = 'banned'
    union all
    select 1 as one
    from identities i
    cross join ban_mark_key k
    join ban_marks b on b.account_hash = ${ACCOUNT_HASH}
    where i.member_id in (${sql.join(memberIds)})
    limit 1`.execute(tx)
  return found.rows.length > 0
}

/** Removes the ban marks of this member's accounts in the community (an unban); true if there were any. */
export async function liftBanMarks(
  tx: Transaction<Database>,
  communityId: string,
  memberId: string,
): Promise<boolean> {
  const removed = await sql<{ community_id: string }>`
    delete from ban_marks b
    using identities i, ban_mark_key k
    where b.community_id = ${communityId} and i.member_id = ${memberId} and b.account_hash = ${ACCOUNT_HASH}
    returning b.community_id`.execute(tx)
  return removed.rows.length > 0
}

/** Makes this install's key if it has none; an existing key is never replaced (its marks would go blind). */
async function ensureKey(tx: Transaction<Database>): Promise<void> {
  const key = Buffer.alloc(64)
  randomBytes(32).copy(key)
  const pad = (byte: number) => Buffer.from(key.map((b) => b ^ byte))
  await sql`
    insert into ban_mark_key (inner_pad, outer_pad) values (${pad(0x36)}, ${pad(0x5c)})
    on conflict (id) do nothing`.execute(tx)
  key.fill(0)
}
