import { type Kysely, sql } from 'kysely'

/**
 * For the digest scheduler's earliest-new-reply question (src/digests/claim-due-digests.ts) when
 * it is catching up: the first live reply in time order, within a discussion or across them, is
 * one index entry away instead of a read of every reply past the member's cursor. Deleted replies
 * never count, so they are left out of the indexes; what the search filters on (sequence, author)
 * is carried in them, so it is decided without visiting the table.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create index replies_live_discussion_created on replies (discussion_id, created_at) include (seq, author_member_id) where deleted_at is null`.execute(
    db,
  )
  await sql`create index replies_live_created on replies (created_at) include (seq, author_member_id, discussion_id) where deleted_at is null`.execute(
    db,
  )
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index replies_live_created`.execute(db)
  await sql`drop index replies_live_discussion_created`.execute(db)
}
