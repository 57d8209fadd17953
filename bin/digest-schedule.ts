import cron from 'node-cron'
import type { Clock } from '../src/clock.ts'
import type { Executor } from '../src/db/in-transaction.ts'
import { type ClaimOptions, claimDueDigests, type DigestRunResult } from '../src/digests/claim-due-digests.ts'
import type { Logger } from '../src/logger.ts'
import { type Metrics, noMetrics } from '../src/metrics/metrics.ts'

/**
 * Every 15 seconds: an immediate digest is due a minute after its burst began, and arrives within
 * about 75 s of it rather than two minutes with a once-a-minute tick. A run with nothing due is a
 * page of cheap checks.
 */
export const DIGEST_SCHEDULE = '*/15 * * * * *'

/**
 * Runs the digest scheduler on a cron (node-cron). Correctness lives in PostgreSQL: a tick that
 * fires twice, or another process's scheduler, claims nothing twice (claimDueDigests); this only
 * keeps one run of this process going at a time and logs what it did.
 */
export function scheduleDigests(
  db: Executor,
  clock: Clock,
  logger: Logger,
  /** A cron expression (`schedule`; false for none: runs on demand only) and how runs claim. */
  { schedule = DIGEST_SCHEDULE, ...claim }: ClaimOptions & { schedule?: string | false } = {},
  metrics: Metrics = noMetrics,
) {
  const runNow = async (): Promise<DigestRunResult | undefined> => {
    try {
      const result = await claimDueDigests(db, clock.now(), claim)
      metrics.digestRun()
      if (result.claimed > 0)
        logger.info({ claimed: result.claimed, members: result.members }, 'digests claimed')
      return result
    } catch (error) {
      // The next tick tries again; nothing was claimed by a run that failed (one transaction).
      logger.warn({ err: error }, 'the digest run failed')
      return undefined
    }
  }
  const task =
    schedule === false
      ? undefined
      : cron.schedule(schedule, runNow, { noOverlap: true, name: 'threadbridge-digests' })
  return {
    /** Decides due digests now, outside the cron: for tests, and for a run on demand. */
    runNow,
    async stop() {
      await task?.stop()
      await task?.destroy()
    },
  }
}
