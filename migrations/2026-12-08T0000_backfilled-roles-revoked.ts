import { type Kysely, sql } from 'kysely'

/**
 * The moderator_accounts backfill (2026-12-07T2300) gave a linked member's account the role if any
 * appointment had ever reached it, without reading what came after: an account appointed, then
 * removed (`revoke_moderator`) or banned (which ended the role), got the role back when the member
 * was a moderator through its other account. This takes back, from the roles that backfill wrote,
 * each one whose account's last audited role event of that time is a removal or a ban.
 *
 * An event reached an account as the backfill reads it: one naming its member, or, for an account
 * a link moved in, one naming its former member before the link and its member from the link on.
 * A role with no such event is left as it is (nothing says it was taken away). The backfill's
 * rows are told apart from appointments since by time: it wrote them at the database's time when
 * it ran, before kysely recorded it as done (`kysely_migration`); an appointment since carries the
 * bridge's time when it was made, later. Only events up to then are read: from then on an event
 * names the member but was for one account, which the audit does not say.
 *
 * Frozen in time: never edit this file once landed; add a new migration instead.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    with backfilled as (
      select "timestamp"::timestamptz as at from kysely_migration
      where name = '2026-12-07T2300_moderator-accounts'
    ),
    events as (
      select r.community_id, r.platform, r.platform_user_id, a.action, a.created_at
      from moderator_accounts r
      join identities i on i.platform = r.platform and i.platform_user_id = r.platform_user_id
      left join account_links l on l.platform = i.platform and l.platform_user_id = i.platform_user_id
      join moderation_actions a on a.community_id = r.community_id
      where a.action in ('grant_moderator', 'revoke_moderator', 'ban') and a.outcome = 'done'
        and a.created_at <= (select at from backfilled)
        and (
          (l.platform is null and a.target_member_id = i.member_id)
          or (l.platform is not null and a.target_member_id = l.former_member_id and a.created_at < l.linked_at)
          or (l.platform is not null and a.target_member_id = i.member_id and a.created_at >= l.linked_at)
        )
    )
    delete from moderator_accounts r
    where r.source = 'appointment'
      and r.granted_at <= (select at from backfilled)
      and (
        select e.action from events e
        where e.community_id = r.community_id and e.platform = r.platform
          and e.platform_user_id = r.platform_user_id
        -- At the same instant, a removal outranks an appointment: the role is not given back.
        order by e.created_at desc, (e.action = 'grant_moderator')
        limit 1
      ) in ('revoke_moderator', 'ban')`.execute(db)
  // The summary follows, as the backfill's: a member none of whose accounts holds the role moderates no more.
  await sql`
    update memberships m set role = 'member'
    where m.role = 'moderator' and not exists (
      select 1 from moderator_accounts r join identities i
        on i.platform = r.platform and i.platform_user_id = r.platform_user_id
      where r.community_id = m.community_id and i.member_id = m.member_id)`.execute(db)
}

/** Nothing to undo: the roles taken back were given in error, and are not given again. */
export async function down(): Promise<void> {}
