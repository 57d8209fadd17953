import cron from 'node-cron'
import type { DatabaseHandle } from '../src/db/open-database.ts'
import { type VacuumOptions, type VacuumRun, vacuumRequested } from '../src/erasure/vacuum-requested.ts'
import type { Logger } from '../src/logger.ts'

/** Every 30 seconds: a request is served within its delay plus at most this. */
export const VACUUM_SCHEDULE = '*/30 * * * * *'

/** Five minutes: a burst of deletions (a moderator cleaning up, an erasure) costs one rewrite. */
export const DEFAULT_VACUUM_DELAY_MS = 5 * 60_000

/**
 * Runs the vacuum job on a cron (node-cron). Which tables and when is decided in PostgreSQL
 * (vacuumRequested: requests rows and an advisory lock), so several processes may run this.
 */
export function scheduleVacuum(
  database: Pick<DatabaseHandle, 'db' | 'kind'>,
  logger: Logger,
  {
    schedule = VACUUM_SCHEDULE,
    delayMs = DEFAULT_VACUUM_DELAY_MS,
  }: Partial<VacuumOptions> & { schedule?: string | false } = {},
) {
  const runNow = async (): Promise<VacuumRun | undefined> => {
    try {
      const run = await vacuumRequested(database, { delayMs })
      if (run !== undefined)
        logger.info(
          { tables: run.tables, deferred: run.deferred, requests: run.requests },
          'rewrote the tables deletions and edits touched',
        )
      return run
    } catch (error) {
      // The requests stay; the next tick tries again.
      logger.warn({ err: error }, 'the vacuum run failed')
      return undefined
    }
  }
  const task =
    schedule === false
      ? undefined
      : cron.schedule(schedule, runNow, { noOverlap: true, name: 'threadbridge-vacuum' })
  return {
    /** Serves the due vacuum requests now, outside the cron: for tests, and for a run on demand. */
    runNow,
    async stop() {
      await task?.stop()
      await task?.destroy()
    },
  }
}
