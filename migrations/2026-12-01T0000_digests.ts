import { type Kysely, sql } from 'kysely'

/**
 * Reply digests, sent exactly once.
 *
 * - `digest_cursors`: per member, the slot of their last digest and how far it read (reply and
 *   discussion sequence numbers): the next digest starts there, however long the bot was down.
 * - `digests`: one row per member and slot, claimed by the unique key in the transaction that
 *   decides it is due, so two schedulers (or a tick fired twice) claim it once. It names what it
 *   covers by sequence range, never by text: a reply deleted before the digest is sent is left
 *   out when the digest is written.
 * - Discussions get an insertion sequence like replies', so "new discussions since" is a range.
 * - Preferences gain the weekly digest's day (ISO: 1 Monday … 7 Sunday) and the platform to
 *   send on; identities remember when their DMs were found closed, so they are not retried for
 *   ever and are told how to fix it once.
 * - The outbox carries digests too; they belong to a person, not a community.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table discussions add column seq bigint generated always as identity`.execute(db)
  await sql`create unique index discussions_seq on discussions (seq)`.execute(db)
  await sql`create index discussions_community_seq on discussions (community_id, seq)`.execute(db)
  await sql`
    alter table member_preferences
      add column digest_weekday smallint not null default 1 check (digest_weekday between 1 and 7),
      add column preferred_platform text check (preferred_platform in ('discord', 'slack'))
  `.execute(db)
  await sql`
    alter table identities
      add column dms_closed_at timestamptz,
      add column dms_closed_told_at timestamptz
  `.execute(db)
  await sql`
    create table digest_cursors (
      member_id uuid primary key references members (id) on delete cascade,
      last_slot_at timestamptz,
      reply_seq bigint not null default 0,
      discussion_seq bigint not null default 0,
      updated_at timestamptz not null default now()
    )
  `.execute(db)
  await sql`
    create table digests (
      id bigint generated always as identity primary key,
      member_id uuid not null references members (id) on delete cascade,
      -- The scheduled local time it is for (daily, weekly), or its burst's first reply (immediate).
      slot_at timestamptz not null,
      frequency text not null check (frequency in ('immediate', 'daily', 'weekly')),
      reply_seq_after bigint not null,
      reply_seq_upto bigint not null,
      discussion_seq_after bigint not null,
      discussion_seq_upto bigint not null,
      status text not null default 'pending' check (status in ('pending', 'sent', 'empty', 'undeliverable')),
      platform text check (platform in ('discord', 'slack')),
      created_at timestamptz not null default now(),
      sent_at timestamptz,
      unique (member_id, slot_at)
    )
  `.execute(db)
  await sql`create index subscriptions_watching_member on subscriptions (member_id) where level = 'watching'`.execute(
    db,
  )
  await sql`alter table outbox alter column community_id drop not null`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`delete from outbox where community_id is null`.execute(db)
  await sql`alter table outbox alter column community_id set not null`.execute(db)
  await sql`drop index subscriptions_watching_member`.execute(db)
  await sql`drop table digests`.execute(db)
  await sql`drop table digest_cursors`.execute(db)
  await sql`alter table identities drop column dms_closed_told_at, drop column dms_closed_at`.execute(db)
  await sql`alter table member_preferences drop column preferred_platform, drop column digest_weekday`.execute(
    db,
  )
  await sql`drop index discussions_community_seq`.execute(db)
  await sql`drop index discussions_seq`.execute(db)
  await sql`alter table discussions drop column seq`.execute(db)
}
