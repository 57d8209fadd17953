import type { Transaction } from 'kysely'
import type { Database } from '../db/schema.ts'
import type { OutboxEvent } from './outbox-event.ts'

/**
 * Records an event for the mirror engine. Takes a Transaction, not a Kysely: an outbox row
 * written outside the state change it describes is exactly the bug the outbox exists to prevent.
 */
export async function enqueue(
  tx: Transaction<Database>,
  communityId: string,
  event: OutboxEvent,
  now: Date,
): Promise<void> {
  await tx
    .insertInto('outbox')
    .values({
      community_id: communityId,
      discussion_id: 'discussionId' in event ? event.discussionId : null,
      event_type: event.type,
      payload: JSON.stringify(event),
      created_at: now,
      available_at: now,
    })
    .execute()
}
