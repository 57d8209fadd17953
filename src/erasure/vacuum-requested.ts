import { type Kysely, sql } from 'kysely'
import type { DatabaseTarget } from '../db/open-database.ts'
import type { Database } from '../db/schema.ts'
import { ERASABLE_TABLES } from './request-vacuum.ts'

/** One vacuum job at a time across every bridge process sharing the database. */
const VACUUM_LOCK = 0x7462_7663 // "tbvc"

/** How long a table's rewrite waits for its lock before it is left for the next run. */
const LOCK_TIMEOUT_MS = 5_000

export interface VacuumOptions {
  /**
   * How long after the oldest waiting request the job runs: every request of that window is
   * served by one rewrite per table. 0 runs whatever waits.
   */
  delayMs: number
}

export interface VacuumRun {
  /** The tables rewritten, in name order. */
  tables: string[]
  /**
   * Tables with requests left waiting: the table's lock was not granted in time, or a snapshot
   * another connection holds began before the request's transaction ended. They wait for the
   * next run.
   */
  deferred: string[]
  /** How many requests were served. */
  requests: number
}

/**
 * Rewrites the tables purges and edits asked for (requestVacuum), once the oldest request is
 * `delayMs` old; undefined when nothing was due or another process holds the job.
 *
 * Why VACUUM FULL and not a plain VACUUM: measured on PostgreSQL 15 and on the embedded
 * PostgreSQL 17, with 20,000 rows of which 2,857 had their text set to NULL, a plain VACUUM
 * left the old text of 1,034 of them (974 embedded) readable in the table's files: it marks the
 * dead versions' space free and compacts pages, but never overwrites what compaction does not
 * move over. VACUUM FULL writes the live rows into new files (heap, TOAST and indexes alike) and
 * truncates the old ones at commit, leaving none. Its price is an exclusive lock on the table
 * while it copies: bench/vacuum-bench.ts measures it (docs/erasure.md has the figures). The
 * lock is waited for at most LOCK_TIMEOUT_MS, since every query on the table queues behind a
 * waiting VACUUM FULL: a long transaction defers the rewrite rather than stalling the bridge.
 *
 * On the embedded database the job also closes the write-ahead log's segment and checkpoints
 * with segment recycling off, so the segment holding the old rows is deleted instead of renamed
 * for reuse: the data directory then holds no copy at all. A server's WAL (and its archive and
 * replicas) is the operator's: its checkpointer recycles segments on its own settings.
 *
 * The connection's user must own the tables (it does when the bridge ran the migrations):
 * PostgreSQL skips a VACUUM FULL by anyone else with a warning, not an error.
 */
export async function vacuumRequested(
  database: { db: Kysely<Database>; kind: DatabaseTarget['kind'] },
  options: VacuumOptions,
): Promise<VacuumRun | undefined> {
  // A session-level advisory lock and the VACUUMs (which cannot run in a transaction) need one
  // connection throughout.
  return database.db.connection().execute(async (connection) => {
    const locked = await sql<{
      locked: boolean
    }>`select pg_try_advisory_lock(${VACUUM_LOCK}) as locked`.execute(connection)
    if (locked.rows[0]?.locked !== true) return undefined
    try {
      // `held`: another connection's snapshot (or running transaction) began before the request's
      // transaction committed, so it may still see the rows that transaction removed or changed.
      // VACUUM FULL copies every row version some snapshot can see into the new files: serving
      // such a request now would count the words gone while they are still on disk. xid has no
      // ordering operator, so xids are compared by age (transactions since), which orders them
      // while they are within 2^31 of each other, as every live xid is. The oldest snapshot is
      // read once (an uncorrelated subquery), not once per request: a burst leaves thousands.
      const waiting = await connection
        .selectFrom('vacuum_requests as r')
        .select([
          'r.id',
          'r.table_name',
          sql<boolean>`r.requested_at <= now() - make_interval(secs => ${options.delayMs / 1000})`.as('due'),
          sql<boolean>`coalesce(age(r.xact::xid) <= (
            select max(greatest(age(a.backend_xmin), age(a.backend_xid))) from pg_stat_activity a
            where a.pid <> pg_backend_pid() and a.datname = current_database()), false)`.as('held'),
        ])
        .orderBy('r.id')
        .execute()
      if (!waiting.some((request) => request.due)) return undefined
      const servable = waiting.filter((request) => !request.held)
      const tables = [...new Set(servable.map((request) => request.table_name))].sort()
      const done: string[] = []
      await sql.raw(`set lock_timeout = ${LOCK_TIMEOUT_MS}`).execute(connection)
      try {
        for (const table of tables) {
          // A name not on the list is never interpolated; its request is dropped as served.
          if (!ERASABLE_TABLES.has(table)) {
            done.push(table)
            continue
          }
          try {
            await sql`vacuum (full) ${sql.table(table)}`.execute(connection)
            done.push(table)
          } catch (error) {
            if ((error as { code?: unknown }).code !== '55P03') throw error
          }
        }
      } finally {
        await sql`reset lock_timeout`.execute(connection)
      }
      if (database.kind === 'embedded') await dropOldLog(connection)
      const served = servable.filter((request) => done.includes(request.table_name)).map((r) => r.id)
      // One array parameter, not one per id: a burst of deletions can leave tens of thousands.
      if (served.length > 0)
        await connection
          .deleteFrom('vacuum_requests')
          .where(sql<boolean>`id = any(${served}::bigint[])`)
          .execute()
      const servedIds = new Set(served)
      const left = waiting.filter((request) => !servedIds.has(request.id))
      return {
        tables: done.filter((table) => ERASABLE_TABLES.has(table)),
        deferred: [...new Set(left.map((request) => request.table_name))].sort(),
        requests: served.length,
      }
    } finally {
      await sql`select pg_advisory_unlock(${VACUUM_LOCK})`.execute(connection)
    }
  })
}

/**
 * Embedded only: starts a new log segment and checkpoints, removing (not recycling) the segments
 * that held the old rows. Measured: the deleted words are then in no file of the data directory.
 */
async function dropOldLog(connection: Kysely<Database>): Promise<void> {
  await sql`set wal_recycle = off`.execute(connection)
  await sql`select pg_switch_wal()`.execute(connection)
  await sql`checkpoint`.execute(connection)
}
