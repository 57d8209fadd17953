import type { Executor } from '../db/in-transaction.ts'
import type { Platform } from '../platform/platform.ts'

/**
 * Notes that a job's delivery to a platform is starting, before anything is posted. Returns when
 * an earlier attempt started, if one did (it may have posted without recording it: look before
 * posting again), or undefined for a first attempt. One statement on the first attempt, the
 * common case: the insert answers whether the row was already there.
 */
export async function beginMirrorAttempt(
  db: Executor,
  outboxId: string,
  platform: Platform,
  now: Date,
): Promise<Date | undefined> {
  const inserted = await db
    .insertInto('mirror_attempts')
    .values({ outbox_id: outboxId, platform, started_at: now })
    .onConflict((conflict) => conflict.doNothing())
    .returning('started_at')
    .executeTakeFirst()
  if (inserted !== undefined) return undefined
  const earlier = await db
    .selectFrom('mirror_attempts')
    .select('started_at')
    .where('outbox_id', '=', outboxId)
    .where('platform', '=', platform)
    .executeTakeFirstOrThrow()
  return earlier.started_at
}
