import { type Kysely, sql } from 'kysely'

/**
 * A moderator's role belongs to the account it was given to, not to the person behind it: linking
 * an account to a moderator's must not make it a moderator, nor may unlinking take the role from
 * the account that was given it. `moderator_accounts` holds which accounts moderate which
 * community, and why (`configuration` or `appointment`); `memberships.role` stays as a summary
 * (the member has such an account) for listings. `link_codes` gains the account that entered the
 * code, which the code's maker must confirm before anything is linked.
 *
 * Existing roles go to the accounts they can be traced to: the accounts the configuration names;
 * the one account of an unlinked member; for a linked member, each account an appointment was
 * given to while it was its own member's, or any appointment after the link (the person was then
 * appointed as one). A linked member's role traced to neither account goes to neither: an
 * appointment gives it back, and the configuration restores its own at every start.
 *
 * Frozen in time: never edit this file once landed; add a new migration instead.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table moderator_accounts (
      community_id text not null references communities (id) on delete cascade,
      platform text not null check (platform in ('discord', 'slack')),
      platform_user_id text not null,
      source text not null check (source in ('configuration', 'appointment')),
      granted_at timestamptz not null default now(),
      primary key (community_id, platform, platform_user_id),
      foreign key (platform, platform_user_id) references identities (platform, platform_user_id) on delete cascade
    )`.execute(db)
  await sql`create index moderator_accounts_account on moderator_accounts (platform, platform_user_id)`.execute(
    db,
  )

  await sql`
    insert into moderator_accounts (community_id, platform, platform_user_id, source)
    select m.community_id, i.platform, i.platform_user_id, 'configuration'
    from memberships m
    join communities c on c.id = m.community_id
    join identities i on i.member_id = m.member_id
    where m.role = 'moderator'
      and c.configured_moderators @> jsonb_build_array(jsonb_build_object('platform', i.platform, 'userId', i.platform_user_id))
    on conflict do nothing`.execute(db)
  await sql`
    insert into moderator_accounts (community_id, platform, platform_user_id, source)
    select m.community_id, i.platform, i.platform_user_id, 'appointment'
    from memberships m
    join identities i on i.member_id = m.member_id
    left join account_links l on l.platform = i.platform and l.platform_user_id = i.platform_user_id
    where m.role = 'moderator'
      and (
        (select count(*) from identities o where o.member_id = m.member_id) = 1
        or exists (
          select 1 from moderation_actions a
          where a.community_id = m.community_id and a.action = 'grant_moderator' and a.outcome = 'done'
            and (
              (l.platform is null and a.target_member_id = m.member_id)
              or (l.platform is not null and a.target_member_id = l.former_member_id and a.created_at < l.linked_at)
              or (l.platform is not null and a.target_member_id = m.member_id and a.created_at >= l.linked_at)
            )
        )
      )
    on conflict do nothing`.execute(db)
  // The summary follows: a member none of whose accounts could be traced moderates no more.
  await sql`
    update memberships m set role = 'member'
    where m.role = 'moderator' and not exists (
      select 1 from moderator_accounts r join identities i
        on i.platform = r.platform and i.platform_user_id = r.platform_user_id
      where r.community_id = m.community_id and i.member_id = m.member_id)`.execute(db)

  await sql`alter table link_codes add column entered_platform text check (entered_platform in ('discord', 'slack'))`.execute(
    db,
  )
  await sql`alter table link_codes add column entered_platform_user_id text`.execute(db)
  await sql`alter table link_codes add column entered_at timestamptz`.execute(db)
  await sql`alter table link_codes add constraint link_codes_entered foreign key (entered_platform, entered_platform_user_id) references identities (platform, platform_user_id) on delete cascade`.execute(
    db,
  )
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table link_codes drop constraint link_codes_entered`.execute(db)
  await sql`alter table link_codes drop column entered_at`.execute(db)
  await sql`alter table link_codes drop column entered_platform_user_id`.execute(db)
  await sql`alter table link_codes drop column entered_platform`.execute(db)
  await sql`drop table moderator_accounts`.execute(db)
}
