import { type Kysely, sql } from 'kysely'

/**
 * One person across Discord and Slack. `/link` hands out a single-use code (only its hash is
 * kept); entering it on the other platform moves that account under the code maker's member, and
 * `account_links` remembers the member it came from so `/unlink` can put it back.
 *
 * Content now names the account it was written from as well as its member: once a member has two
 * accounts, "the account they last acted from" would sign a reply written on Slack with a Discord
 * name. Existing rows are filled from their member's one account (no member had two before this).
 *
 * Frozen in time: never edit this file once landed; add a new migration instead.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table link_codes (
      code_hash text primary key,
      platform text not null check (platform in ('discord', 'slack')),
      platform_user_id text not null,
      expires_at timestamptz not null,
      used_at timestamptz,
      created_at timestamptz not null default now(),
      foreign key (platform, platform_user_id) references identities (platform, platform_user_id) on delete cascade
    )`.execute(db)
  await sql`create index link_codes_identity on link_codes (platform, platform_user_id)`.execute(db)

  await sql`
    create table account_links (
      platform text not null check (platform in ('discord', 'slack')),
      platform_user_id text not null,
      member_id uuid not null references members (id) on delete cascade,
      former_member_id uuid not null references members (id) on delete cascade,
      linked_at timestamptz not null default now(),
      primary key (platform, platform_user_id),
      foreign key (platform, platform_user_id) references identities (platform, platform_user_id) on delete cascade,
      check (member_id <> former_member_id)
    )`.execute(db)
  await sql`create index account_links_member on account_links (member_id)`.execute(db)
  // A person has at most one account per platform: a link can never give a member two.
  await sql`create unique index identities_member_platform on identities (member_id, platform)`.execute(db)

  for (const table of ['discussions', 'replies']) {
    await sql`alter table ${sql.table(table)} add column author_platform text check (author_platform in ('discord', 'slack'))`.execute(
      db,
    )
    await sql`alter table ${sql.table(table)} add column author_platform_user_id text`.execute(db)
    await sql`
      update ${sql.table(table)} as content set author_platform = i.platform, author_platform_user_id = i.platform_user_id
      from identities i where i.member_id = content.author_member_id`.execute(db)
  }
  await sql`create index replies_author_identity on replies (author_platform, author_platform_user_id)`.execute(
    db,
  )
  await sql`create index discussions_author_identity on discussions (author_platform, author_platform_user_id)`.execute(
    db,
  )
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index discussions_author_identity`.execute(db)
  await sql`drop index replies_author_identity`.execute(db)
  for (const table of ['discussions', 'replies']) {
    await sql`alter table ${sql.table(table)} drop column author_platform_user_id`.execute(db)
    await sql`alter table ${sql.table(table)} drop column author_platform`.execute(db)
  }
  await sql`drop index identities_member_platform`.execute(db)
  await sql`drop table account_links`.execute(db)
  await sql`drop table link_codes`.execute(db)
}
