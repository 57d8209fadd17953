import type { Clock } from '../clock.ts'
import { type Executor, inTransaction } from '../db/in-transaction.ts'
import { recordModeration } from '../members/memberships.ts'
import { resolveMember } from '../members/resolve-member.ts'
import type { PlatformActor } from '../platform/platform.ts'
import { OutboxQueue } from './outbox-queue.ts'

/**
 * Puts a community's dead-lettered jobs back in the queue at a moderator's request
 * (`/bridge retry`), and writes it to the audit log when anything was put back: it is a
 * moderator's action like any other. Returns how many jobs were put back.
 */
export async function retryDeadLetters(
  db: Executor,
  clock: Clock,
  communityId: string,
  moderator: PlatformActor,
): Promise<number> {
  return inTransaction(db, async (tx) => {
    const retried = await new OutboxQueue(tx, clock).retryAllDead(communityId)
    if (retried > 0) {
      const now = clock.now()
      const moderatorId = await resolveMember(tx, moderator, now)
      await recordModeration(tx, communityId, moderatorId, 'retry_deliveries', {}, now)
    }
    return retried
  })
}
