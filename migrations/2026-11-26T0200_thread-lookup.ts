import { type Kysely, sql } from 'kysely'

/**
 * Replies find their discussion by the thread they are in. A Discord text channel's thread
 * starts from a message that lives beside it, not in it, so the opening post's own link cannot
 * be looked up from the thread's id; its thread id can.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create index message_links_opening_post_thread on message_links (platform, thread_id) where reply_id is null`.execute(
    db,
  )
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index message_links_opening_post_thread`.execute(db)
}
