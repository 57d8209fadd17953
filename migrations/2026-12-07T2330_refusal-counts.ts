import { type Kysely, sql } from 'kysely'

/**
 * Refused attempts are merged: one row per person, command and hour, counting the attempts, so
 * repeating a moderators' command cannot fill the audit. A refused person is known by their
 * platform account (`actor_platform_user_id`; a visitor has no member row), and `refused_hour`
 * is the hour, UTC, the row gathers. Rows written before this count one attempt each and keep no
 * key, so nothing is merged into them.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table moderation_actions add column actor_platform_user_id text`.execute(db)
  await sql`alter table moderation_actions add column attempts integer not null default 1 check (attempts >= 1)`.execute(
    db,
  )
  await sql`alter table moderation_actions add column refused_hour timestamptz`.execute(db)
  await sql`
    create unique index moderation_actions_refusal_hour
      on moderation_actions (community_id, actor_platform, actor_platform_user_id, action, refused_hour)
      where refused_hour is not null
  `.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index moderation_actions_refusal_hour`.execute(db)
  await sql`alter table moderation_actions drop column refused_hour`.execute(db)
  await sql`alter table moderation_actions drop column attempts`.execute(db)
  await sql`alter table moderation_actions drop column actor_platform_user_id`.execute(db)
}
