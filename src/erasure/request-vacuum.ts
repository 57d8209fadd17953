import type { Transaction } from 'kysely'
import type { Database } from '../db/schema.ts'

/**
 * Every table, and whether it can hold what people wrote or who they are. A `Record` over the
 * schema, so a new table fails to compile until someone decides. Only tables marked true may be
 * asked for: the vacuum job rewrites nothing else.
 */
const HOLDS_PERSONAL_DATA = {
  replies: true,
  discussions: true,
  attachments: true,
  reactions: true,
  members: true,
  identities: true,
  member_preferences: true,
  memberships: true,
  subscriptions: true,
  link_codes: true,
  account_links: true,
  moderator_accounts: true,
  digest_cursors: true,
  digests: true,
  moderation_actions: true,
  message_links: true,
  non_member_notices: true,
  outbox: true,
  mirror_attempts: false,
  mirror_gone: false,
  processed_events: false,
  communities: false,
  community_bridges: false,
  vacuum_requests: false,
  // A keyed hash of a banned person's account: no words, no id in clear, but still about them.
  ban_marks: true,
  ban_mark_key: false,
} as const satisfies Record<keyof Database, boolean>

export type ErasableTable = {
  [T in keyof Database]: (typeof HOLDS_PERSONAL_DATA)[T] extends true ? T : never
}[keyof Database]

export const ERASABLE_TABLES: ReadonlySet<string> = new Set(
  Object.entries(HOLDS_PERSONAL_DATA)
    .filter(([, holds]) => holds)
    .map(([table]) => table),
)

/**
 * Asks for `tables` to be vacuumed, so that what this transaction removes or overwrites leaves
 * the disk too, not only the rows. PostgreSQL keeps an updated or deleted row's old version in
 * the table's files (and TOAST) until the table is rewritten; the vacuum job (vacuumRequested)
 * rewrites the asked-for tables a few minutes later, all requests of that window at once.
 *
 * Call it in the same transaction as the change, from every place that removes words or a
 * person: a purge (`replies`, `attachments`; `discussions`), an edit (the old text is on disk as
 * well), an erasure (`identities`, `members`, `member_preferences`, `subscriptions`,
 * `link_codes`, ...). Calling it again in the same transaction, for the same or other tables,
 * is cheap: one row per table and transaction. If the transaction rolls back, so does the ask.
 *
 * ```ts
 * await requestVacuum(tx, ['replies', 'attachments'])
 * ```
 */
export async function requestVacuum(
  tx: Transaction<Database>,
  tables: readonly ErasableTable[],
): Promise<void> {
  if (tables.length === 0) return
  await tx
    .insertInto('vacuum_requests')
    .values([...new Set(tables)].map((table_name) => ({ table_name })))
    .onConflict((conflict) => conflict.columns(['table_name', 'xact']).doNothing())
    .execute()
}
