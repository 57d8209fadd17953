import type { Transaction } from 'kysely'
import type { Database } from '../db/schema.ts'
import type { InboundOrigin } from '../platform/platform.ts'

/**
 * Claims an inbound event id inside the transaction that applies its effect. Returns false if it
 * was claimed before: the platform redelivered it, and its effect is already committed. If the
 * transaction fails, the claim rolls back with it, so a retry can still apply the event.
 */
export async function claimInboundEvent(
  tx: Transaction<Database>,
  origin: InboundOrigin,
  now: Date,
): Promise<boolean> {
  const claimed = await tx
    .insertInto('processed_events')
    .values({ platform: origin.platform, event_id: origin.eventId, processed_at: now })
    .onConflict((conflict) => conflict.columns(['platform', 'event_id']).doNothing())
    .returning('event_id')
    .executeTakeFirst()
  return claimed !== undefined
}
