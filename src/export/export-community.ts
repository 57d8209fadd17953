import type { Executor } from '../db/in-transaction.ts'
import { NotFoundError } from '../errors.ts'
import { discussionRecords, replyRecords } from './content-records.ts'
import type { DiscussionRecord, ReplyRecord } from './export-records.ts'

/**
 * A community's conversation, for archives and for moving hosts: each discussion (in the order
 * they were started), followed by its replies in the order they were written. Deleted content
 * is there as a tombstone (`deleted: true`, no words), so nested replies keep their parents.
 *
 * Streams: discussions and replies are read `pageSize` at a time, so a community of any size is
 * exported in constant memory. Run it in a REPEATABLE READ transaction for one consistent
 * snapshot (bin/export.ts does); otherwise what changes while it runs may be half in it.
 */
export async function* exportCommunity(
  db: Executor,
  communityId: string,
  { pageSize = 500 }: { pageSize?: number } = {},
): AsyncGenerator<DiscussionRecord | ReplyRecord> {
  const community = await db
    .selectFrom('communities')
    .select('id')
    .where('id', '=', communityId)
    .executeTakeFirst()
  if (community === undefined) throw new NotFoundError('community', communityId)
  for await (const discussion of discussionRecords(db, { communityId }, pageSize)) {
    yield discussion
    yield* replyRecords(db, { discussionId: discussion.id }, pageSize)
  }
}
