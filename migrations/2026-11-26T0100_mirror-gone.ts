import { type Kysely, sql } from 'kysely'

/**
 * A discussion whose thread on one platform was deleted there: the mirror stops writing to that
 * platform for it (instead of retrying forever), and moderators are told once.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table mirror_gone (
      discussion_id uuid not null references discussions (id) on delete cascade,
      platform text not null check (platform in ('discord', 'slack')),
      reason text not null,
      created_at timestamptz not null default now(),
      primary key (discussion_id, platform)
    )`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table mirror_gone`.execute(db)
}
