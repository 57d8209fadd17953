import { type Kysely, sql } from 'kysely'

/**
 * Deleted words leave the disk, not only the rows (docs/erasure.md).
 *
 * - `vacuum_requests`: a purge (or an edit) asks, in its own transaction, for the tables it
 *   touched to be rewritten; the vacuum job takes the requests a few minutes later, all at once.
 *   One row per table and transaction (the unique key makes repeated asks in one transaction one
 *   row), insert-only, so concurrent purges never wait on each other's request.
 * - The columns that hold what people wrote, or who they are, keep no planner statistics: ANALYZE
 *   (autovacuum runs it on its own) copies sample values into pg_statistic, where a deleted
 *   reply's words would outlive the reply. The type change to the same type rewrites nothing but
 *   drops the statistics already gathered, which setting the target to 0 alone leaves in place.
 *
 * Frozen in time: never edit this file once landed; add a new migration instead.
 */
const WORDS: readonly (readonly [string, string])[] = [
  ['replies', 'body'],
  ['discussions', 'title'],
  ['discussions', 'body'],
  ['attachments', 'file_name'],
  ['attachments', 'url'],
  ['members', 'display_name'],
  ['identities', 'display_name'],
  ['identities', 'avatar_url'],
  ['moderation_actions', 'reason'],
]

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table vacuum_requests (
      id bigint generated always as identity primary key,
      table_name text not null,
      xact xid8 not null default pg_current_xact_id(),
      requested_at timestamptz not null default now(),
      unique (table_name, xact)
    )`.execute(db)
  for (const [table, column] of WORDS) {
    await sql`alter table ${sql.table(table)} alter column ${sql.ref(column)} set statistics 0`.execute(db)
    await sql`alter table ${sql.table(table)} alter column ${sql.ref(column)} type text`.execute(db)
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const [table, column] of WORDS)
    await sql`alter table ${sql.table(table)} alter column ${sql.ref(column)} set statistics -1`.execute(db)
  await sql`drop table vacuum_requests`.execute(db)
}
