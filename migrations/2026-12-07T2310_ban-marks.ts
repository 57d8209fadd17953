import { type Kysely, sql } from 'kysely'

/**
 * A ban outlives the banned person's erasure (`/forget-me`), and keeps nothing else of them.
 *
 * - `ban_mark_key`: one row, this install's secret key for HMAC-SHA256, 32 bytes from the
 *   operating system's random source, made the first time a mark is written (src/members/
 *   ban-marks.ts: a table emptied by hand, or a test's truncate, gets a new one). It is kept as the
 *   key's inner and outer pads (the key, zero-padded to SHA-256's 64-byte block, XORed with
 *   0x36 and with 0x5c, RFC 2104), so the database can compute the HMAC in the statement that
 *   checks a post, and every process sharing the database uses the same key.
 * - `ban_marks`: per community, HMAC(key, "<platform>:<platform account id>") of each account of
 *   a person erased while banned. No name, no id in clear, no member row: enough to recognise
 *   the account when it comes back, and nothing that says who it was without the key.
 *
 * Frozen in time: never edit this file once landed; add a new migration instead.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table ban_mark_key (
      id boolean primary key default true check (id),
      inner_pad bytea not null check (length(inner_pad) = 64),
      outer_pad bytea not null check (length(outer_pad) = 64),
      created_at timestamptz not null default now()
    )`.execute(db)
  await sql`
    create table ban_marks (
      community_id text not null references communities (id) on delete cascade,
      account_hash bytea not null check (length(account_hash) = 32),
      created_at timestamptz not null default now(),
      primary key (community_id, account_hash)
    )`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table ban_marks`.execute(db)
  await sql`drop table ban_mark_key`.execute(db)
}
