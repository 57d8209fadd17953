import { type Kysely, sql } from 'kysely'

/**
 * Who reacted with what to a discussion's opening post or a reply, on which platform: so the
 * mirror can show an emoji once while anyone on the other side still has it, and take it away
 * when the last person removes theirs.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table reactions (
      discussion_id uuid not null references discussions (id) on delete cascade,
      reply_id uuid references replies (id) on delete cascade,
      emoji text not null check (length(emoji) between 1 and 100),
      platform text not null check (platform in ('discord', 'slack')),
      platform_user_id text not null,
      created_at timestamptz not null default now(),
      unique nulls not distinct (discussion_id, reply_id, emoji, platform, platform_user_id)
    )`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table reactions`.execute(db)
}
