import { type Kysely, sql } from 'kysely'

/**
 * When the last edit applied to a discussion's opening post or a reply was made, as its platform
 * stamped it (Slack's `edited.ts`, Discord's `edited_timestamp`), in microseconds since the epoch.
 * Deliveries of edits can arrive out of order; one stamped before this is older and is ignored.
 * Null until a stamped edit is applied (a command's edit carries no stamp and leaves it).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table discussions add column source_edited_us bigint`.execute(db)
  await sql`alter table replies add column source_edited_us bigint`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table replies drop column source_edited_us`.execute(db)
  await sql`alter table discussions drop column source_edited_us`.execute(db)
}
