import { type Kysely, sql } from 'kysely'

/**
 * The mirror engine's bookkeeping: leases on outbox rows (so a delivery holds no transaction
 * open while it talks to a platform), a NOTIFY on every new outbox row, a record of delivery
 * attempts (so a retry after a crash looks before it re-posts), and the one-notice-per-discussion
 * record for people who have not joined.
 */
export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of [
    `alter table outbox add column lease_token uuid`,
    `alter table outbox add column lease_until timestamptz`,
    `create index outbox_dead on outbox (community_id, created_at) where status = 'dead'`,
    `create function threadbridge_outbox_notify() returns trigger language plpgsql as $$
       begin
         perform pg_notify('threadbridge_outbox', new.id::text);
         return new;
       end
     $$`,
    `create trigger outbox_notify after insert on outbox for each row execute function threadbridge_outbox_notify()`,
    `create table mirror_attempts (
       outbox_id bigint not null references outbox (id) on delete cascade,
       platform text not null check (platform in ('discord', 'slack')),
       started_at timestamptz not null default now(),
       primary key (outbox_id, platform)
     )`,
    `create table non_member_notices (
       platform text not null check (platform in ('discord', 'slack')),
       platform_user_id text not null,
       discussion_id uuid not null references discussions (id) on delete cascade,
       created_at timestamptz not null default now(),
       primary key (platform, platform_user_id, discussion_id)
     )`,
  ]) {
    await sql.raw(statement).execute(db)
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const statement of [
    `drop table non_member_notices`,
    `drop table mirror_attempts`,
    `drop trigger outbox_notify on outbox`,
    `drop function threadbridge_outbox_notify()`,
    `drop index outbox_dead`,
    `alter table outbox drop column lease_until`,
    `alter table outbox drop column lease_token`,
  ]) {
    await sql.raw(statement).execute(db)
  }
}
