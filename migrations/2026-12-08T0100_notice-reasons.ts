import { type Kysely, sql } from 'kysely'

/**
 * A refused writer is told privately once per discussion and reason, not once per discussion: a
 * person told "this discussion is locked" and banned afterwards must still hear that they are
 * banned. The reason is the refusal's error code (`not_a_member`, `banned`, `discussion_locked`,
 * `content_deleted`). Notices sent before this step did not record theirs: they count as
 * `not_a_member`, by far the most common, so nobody is told that one twice.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table non_member_notices add column reason text not null default 'not_a_member'
    check (reason in ('not_a_member', 'banned', 'discussion_locked', 'content_deleted'))`.execute(db)
  // Every notice from now on says its reason: no default to hide one left out.
  await sql`alter table non_member_notices alter column reason drop default`.execute(db)
  await sql`alter table non_member_notices drop constraint non_member_notices_pkey`.execute(db)
  await sql`alter table non_member_notices
    add primary key (platform, platform_user_id, discussion_id, reason)`.execute(db)
}

/** Back to one notice per discussion: of a person's notices there, the one whose reason sorts first stays. */
export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    delete from non_member_notices n where exists (
      select 1 from non_member_notices o
      where o.platform = n.platform and o.platform_user_id = n.platform_user_id
        and o.discussion_id = n.discussion_id and o.reason < n.reason)`.execute(db)
  await sql`alter table non_member_notices drop constraint non_member_notices_pkey`.execute(db)
  await sql`alter table non_member_notices drop column reason`.execute(db)
  await sql`alter table non_member_notices
    add primary key (platform, platform_user_id, discussion_id)`.execute(db)
}
