import { type Kysely, sql } from 'kysely'

/**
 * Why someone is a moderator, so the configuration can take back what it gave:
 * `memberships.moderator_source` is `configuration` (named in the configuration file, made a
 * moderator at a start) or `appointment` (`/moderators add`); null for a member who does not
 * moderate. A platform's own rights (a Discord role, a Slack admin) are never written down: they
 * are asked of the platform when a command runs, so they lapse when the platform takes them away.
 *
 * Existing moderators: appointed if the audit holds an appointment of theirs in that community
 * (appointments have always been audited; the configuration's grants never were), else configured.
 *
 * Frozen in time: never edit this file once landed; add a new migration instead.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table memberships add column moderator_source text
    check (moderator_source in ('configuration', 'appointment'))`.execute(db)
  await sql`
    update memberships m set moderator_source = case
      when exists (
        select 1 from moderation_actions a
        where a.community_id = m.community_id and a.target_member_id = m.member_id
          and a.action = 'grant_moderator' and a.outcome = 'done'
      ) then 'appointment' else 'configuration' end
    where m.role = 'moderator'`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table memberships drop column moderator_source`.execute(db)
}
