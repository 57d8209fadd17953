import { type Kysely, sql } from 'kysely'

/**
 * `/bridge pause`: a moderator stops all mirroring of one discussion, or of the whole community,
 * until `/bridge resume`. The outbox keeps what waits meanwhile; only its claim looks here.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table communities add column mirroring_paused_at timestamptz`.execute(db)
  await sql`alter table discussions add column mirroring_paused_at timestamptz`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table discussions drop column mirroring_paused_at`.execute(db)
  await sql`alter table communities drop column mirroring_paused_at`.execute(db)
}
