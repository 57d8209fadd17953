import { type Kysely, sql } from 'kysely'

/**
 * The discussion core: communities and their bridged channels, people and their platform
 * accounts, discussions and replies, subscriptions, the outbox, the inbound-event ledger and
 * the links between our records and platform messages.
 *
 * Frozen in time: never edit this file once landed; add a new migration instead.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await runStatements(
    db,
    `
    create table communities (
      id text primary key check (id ~ '^[a-z0-9][a-z0-9-]{0,62}$'),
      name text not null check (length(name) between 1 and 100),
      created_at timestamptz not null default now()
    );

    -- Where a community lives on each platform. A Discord snowflake and a Slack id never share a
    -- column without the platform beside them.
    create table community_bridges (
      community_id text not null references communities (id) on delete cascade,
      platform text not null check (platform in ('discord', 'slack')),
      workspace_id text not null,
      channel_id text not null,
      created_at timestamptz not null default now(),
      primary key (community_id, platform),
      unique (platform, workspace_id, channel_id)
    );

    create table members (
      id uuid primary key default gen_random_uuid(),
      display_name text not null,
      created_at timestamptz not null default now()
    );

    create table identities (
      platform text not null check (platform in ('discord', 'slack')),
      platform_user_id text not null,
      member_id uuid not null references members (id) on delete cascade,
      display_name text not null,
      avatar_url text,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      primary key (platform, platform_user_id)
    );
    create index identities_member_id on identities (member_id);

    create table memberships (
      community_id text not null references communities (id) on delete cascade,
      member_id uuid not null references members (id) on delete cascade,
      status text not null check (status in ('joined', 'left', 'banned')),
      role text not null default 'member' check (role in ('member', 'moderator')),
      joined_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      primary key (community_id, member_id)
    );

    create table member_preferences (
      member_id uuid primary key references members (id) on delete cascade,
      auto_subscribe boolean not null default true,
      digest_frequency text not null default 'daily'
        check (digest_frequency in ('off', 'immediate', 'daily', 'weekly')),
      timezone text not null default 'UTC',
      digest_hour smallint not null default 9 check (digest_hour between 0 and 23),
      updated_at timestamptz not null default now()
    );

    -- A deleted discussion or reply keeps its row (so the thread keeps its shape) but not its
    -- words: the checks make a tombstone with text in it impossible to store.
    create table discussions (
      id uuid primary key default gen_random_uuid(),
      community_id text not null references communities (id) on delete cascade,
      author_member_id uuid not null references members (id),
      title text,
      body text,
      body_format text not null check (body_format in ('plain', 'discord', 'slack')),
      created_at timestamptz not null default now(),
      edited_at timestamptz,
      locked_at timestamptz,
      deleted_at timestamptz,
      check ((deleted_at is null) = (title is not null and body is not null))
    );
    create index discussions_community_created on discussions (community_id, created_at);

    create table replies (
      id uuid primary key default gen_random_uuid(),
      -- Insertion order: two replies can share a timestamp, and uuids are not ordered.
      seq bigint generated always as identity unique,
      discussion_id uuid not null references discussions (id) on delete cascade,
      parent_reply_id uuid,
      author_member_id uuid not null references members (id),
      body text,
      body_format text not null check (body_format in ('plain', 'discord', 'slack')),
      created_at timestamptz not null default now(),
      edited_at timestamptz,
      deleted_at timestamptz,
      check ((deleted_at is null) = (body is not null)),
      unique (id, discussion_id),
      -- A nested reply's parent is in the same discussion.
      foreign key (parent_reply_id, discussion_id) references replies (id, discussion_id)
    );
    create index replies_discussion_seq on replies (discussion_id, seq);
    create index replies_parent on replies (parent_reply_id) where parent_reply_id is not null;

    create table attachments (
      id uuid primary key default gen_random_uuid(),
      discussion_id uuid references discussions (id) on delete cascade,
      reply_id uuid references replies (id) on delete cascade,
      file_name text not null,
      url text not null,
      size_bytes bigint,
      content_type text,
      created_at timestamptz not null default now(),
      check ((discussion_id is null) <> (reply_id is null))
    );
    create index attachments_discussion on attachments (discussion_id) where discussion_id is not null;
    create index attachments_reply on attachments (reply_id) where reply_id is not null;

    -- "Notify me when people reply": watching a discussion or a whole community. A 'muted' row
    -- remembers that someone opted out, so replying again does not re-subscribe them.
    create table subscriptions (
      id uuid primary key default gen_random_uuid(),
      member_id uuid not null references members (id) on delete cascade,
      discussion_id uuid references discussions (id) on delete cascade,
      community_id text references communities (id) on delete cascade,
      level text not null check (level in ('watching', 'muted')),
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      check ((discussion_id is null) <> (community_id is null)),
      unique (member_id, discussion_id),
      unique (member_id, community_id)
    );

    -- Every state change writes its outbox rows in the same transaction. Payloads carry ids,
    -- never message text, so purging a deleted reply leaves nothing behind in the queue.
    create table outbox (
      id bigint generated always as identity primary key,
      community_id text not null references communities (id) on delete cascade,
      discussion_id uuid references discussions (id) on delete cascade,
      event_type text not null,
      payload jsonb not null,
      status text not null default 'pending' check (status in ('pending', 'done', 'dead')),
      attempts integer not null default 0,
      available_at timestamptz not null default now(),
      last_error text,
      created_at timestamptz not null default now(),
      processed_at timestamptz
    );
    create index outbox_pending on outbox (available_at, id) where status = 'pending';
    create index outbox_discussion on outbox (discussion_id, id);

    -- Platform events are delivered at least once; this ledger makes their effect at most once.
    create table processed_events (
      platform text not null check (platform in ('discord', 'slack')),
      event_id text not null,
      processed_at timestamptz not null default now(),
      primary key (platform, event_id)
    );

    -- Each platform message that is, or mirrors, one of our discussions or replies. A long
    -- message split into parts has one row per part.
    create table message_links (
      platform text not null check (platform in ('discord', 'slack')),
      channel_id text not null,
      message_id text not null,
      discussion_id uuid not null references discussions (id) on delete cascade,
      reply_id uuid references replies (id) on delete cascade,
      part smallint not null default 0 check (part >= 0),
      origin text not null check (origin in ('source', 'mirror')),
      -- The platform thread the message lives in (Discord thread channel id, Slack thread_ts).
      thread_id text,
      created_at timestamptz not null default now(),
      primary key (platform, channel_id, message_id),
      unique nulls not distinct (discussion_id, reply_id, platform, part)
    );
    create index message_links_reply on message_links (reply_id) where reply_id is not null;

    create table moderation_actions (
      id uuid primary key default gen_random_uuid(),
      community_id text not null references communities (id) on delete cascade,
      moderator_member_id uuid not null references members (id),
      action text not null,
      target_member_id uuid references members (id),
      target_discussion_id uuid references discussions (id) on delete set null,
      target_reply_id uuid references replies (id) on delete set null,
      reason text,
      created_at timestamptz not null default now()
    );
    create index moderation_actions_community on moderation_actions (community_id, created_at);
  `,
  )
}

export async function down(db: Kysely<any>): Promise<void> {
  await runStatements(
    db,
    `
    drop table moderation_actions;
    drop table message_links;
    drop table processed_events;
    drop table outbox;
    drop table subscriptions;
    drop table attachments;
    drop table replies;
    drop table discussions;
    drop table member_preferences;
    drop table memberships;
    drop table identities;
    drop table members;
    drop table community_bridges;
    drop table communities;
  `,
  )
}

/**
 * Runs a script one statement at a time: the embedded database takes one statement per query.
 * Statements end with a semicolon at the end of a line; comments never do.
 */
async function runStatements(db: Kysely<any>, script: string): Promise<void> {
  const statements = script
    .split(/;\s*$/m)
    .map((statement) => statement.trim())
    .filter((statement) => statement.length > 0)
  for (const statement of statements) await sql.raw(statement).execute(db)
}
