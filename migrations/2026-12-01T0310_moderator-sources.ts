import { type Kysely, sql } from 'kysely'

/**
 * Who else moderates, as the configuration says, kept where the configuration is already written:
 * per bridged channel, on Discord the roles whose holders moderate (ids or names, read from the
 * member when a command runs) and on Slack whether the workspace's admins and owners do; per
 * community, the moderators it names, whom a command cannot remove for good (each start makes
 * them moderators again), so the command can say so instead.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table community_bridges add column moderator_roles jsonb not null default '[]'`.execute(db)
  await sql`alter table community_bridges add column workspace_admins_moderate boolean not null default false`.execute(
    db,
  )
  await sql`alter table communities add column configured_moderators jsonb not null default '[]'`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table communities drop column configured_moderators`.execute(db)
  await sql`alter table community_bridges drop column workspace_admins_moderate`.execute(db)
  await sql`alter table community_bridges drop column moderator_roles`.execute(db)
}
