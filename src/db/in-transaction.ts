import type { Kysely, Transaction } from 'kysely'
import type { Database } from './schema.ts'

export type Executor = Kysely<Database> | Transaction<Database>

/**
 * Runs `work` in a transaction, joining the caller's if there is one, so a service method
 * called inside a larger unit of work (an inbound event, a command) commits or fails with it.
 */
export function inTransaction<T>(db: Executor, work: (tx: Transaction<Database>) => Promise<T>): Promise<T> {
  if (db.isTransaction) return work(db as Transaction<Database>)
  return db.transaction().execute(work)
}
