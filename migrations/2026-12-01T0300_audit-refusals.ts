import { type Kysely, sql } from 'kysely'

/**
 * The audit records refused attempts as well as actions. Someone refused may have no member
 * record (a visitor who never joined), so the moderator column becomes optional and the row keeps
 * who tried, as the platform named them then, and on which platform; `outcome` says whether the
 * action was done or refused.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table moderation_actions alter column moderator_member_id drop not null`.execute(db)
  await sql`alter table moderation_actions add column actor_name text`.execute(db)
  await sql`alter table moderation_actions add column actor_platform text check (actor_platform in ('discord', 'slack'))`.execute(
    db,
  )
  await sql`alter table moderation_actions add column outcome text not null default 'done' check (outcome in ('done', 'refused'))`.execute(
    db,
  )
  // Who did something is known by member or, for a refusal, at least by name.
  await sql`alter table moderation_actions add constraint moderation_actions_actor check (moderator_member_id is not null or actor_name is not null)`.execute(
    db,
  )
}

export async function down(db: Kysely<any>): Promise<void> {
  // Refusals by people with no member record cannot be kept without the new columns.
  await sql`delete from moderation_actions where moderator_member_id is null`.execute(db)
  await sql`alter table moderation_actions drop constraint moderation_actions_actor`.execute(db)
  await sql`alter table moderation_actions drop column outcome`.execute(db)
  await sql`alter table moderation_actions drop column actor_platform`.execute(db)
  await sql`alter table moderation_actions drop column actor_name`.execute(db)
  await sql`alter table moderation_actions alter column moderator_member_id set not null`.execute(db)
}
