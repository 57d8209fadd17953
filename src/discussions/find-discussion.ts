import { sql } from 'kysely'
import type { Executor } from '../db/in-transaction.ts'
import { findDiscussionInThread, findLinkedContent } from '../links/message-links.ts'
import type { Platform } from '../platform/platform.ts'
import type { DiscussionRef } from './discussion-ref.ts'

/** A discussion as a command names and checks it. */
export interface DiscussionSummary {
  id: string
  communityId: string
  /** Its short number in the community: `#12`. */
  number: number
  /** Null once the opening post was deleted (its words are purged). */
  title: string | null
  locked: boolean
  deleted: boolean
}

/** A number, a link, or the platform thread a command was run in. */
export type DiscussionLookup = DiscussionRef | { kind: 'thread'; platform: Platform; threadId: string }

/**
 * The community's discussion a person named, or undefined: no such number, a link to a message
 * we do not know, or a discussion of another community (named from the wrong server or
 * workspace, it is not theirs to reply to here).
 */
export async function findDiscussion(
  db: Executor,
  communityId: string,
  lookup: DiscussionLookup,
): Promise<DiscussionSummary | undefined> {
  const query = db
    .selectFrom('discussions')
    .select(['id', 'community_id', 'number', 'title', 'locked_at', 'deleted_at'])
    .where('community_id', '=', communityId)
  let row: Awaited<ReturnType<typeof query.executeTakeFirst>>
  if (lookup.kind === 'number') {
    row = await query.where('number', '=', lookup.number).executeTakeFirst()
  } else {
    const linked =
      lookup.kind === 'message' && lookup.messageId !== undefined
        ? await findLinkedContent(db, {
            platform: lookup.platform,
            channelId: lookup.channelId,
            messageId: lookup.messageId,
          })
        : undefined
    const threadId = lookup.threadId
    const inThread =
      linked ??
      (threadId === undefined
        ? undefined
        : await findDiscussionInThread(db, { platform: lookup.platform, threadId }))
    if (inThread === undefined) return undefined
    row = await query.where('id', '=', inThread.discussionId).executeTakeFirst()
  }
  return row === undefined ? undefined : summaryOf(row)
}

/** A live (not deleted) discussion by its id, whatever its community. */
export async function findDiscussionById(db: Executor, id: string): Promise<DiscussionSummary | undefined> {
  const row = await db
    .selectFrom('discussions')
    .select(['id', 'community_id', 'number', 'title', 'locked_at', 'deleted_at'])
    .where('id', '=', id)
    .where('deleted_at', 'is', null)
    .executeTakeFirst()
  return row === undefined ? undefined : summaryOf(row)
}

function summaryOf(row: {
  id: string
  community_id: string
  number: number
  title: string | null
  locked_at: Date | null
  deleted_at: Date | null
}): DiscussionSummary {
  return {
    id: row.id,
    communityId: row.community_id,
    number: row.number,
    title: row.title,
    locked: row.locked_at !== null,
    deleted: row.deleted_at !== null,
  }
}

/**
 * The community's live discussions a person may mean while typing (autocomplete): by number
 * when they type digits (`1` finds #1, #12, #104), else by words in the title; newest first.
 */
export async function searchDiscussions(
  db: Executor,
  communityId: string,
  typed: string,
  limit = 25,
): Promise<DiscussionSummary[]> {
  const text = typed.trim().replace(/^#/, '')
  // LIKE's wildcards typed by a person are meant literally.
  const pattern = text.replace(/[\\%_]/g, (c) => `\\${c}`)
  const rows = await db
    .selectFrom('discussions')
    .select(['id', 'community_id', 'number', 'title', 'locked_at', 'deleted_at'])
    .where('community_id', '=', communityId)
    .where('deleted_at', 'is', null)
    .$if(/^\d+$/.test(text), (qb) => qb.where(sql<string>`number::text`, 'like', `${pattern}%`))
    .$if(text !== '' && !/^\d+$/.test(text), (qb) => qb.where('title', 'ilike', `%${pattern}%`))
    .orderBy('created_at', 'desc')
    .orderBy('number', 'desc')
    .limit(limit)
    .execute()
  return rows.map(summaryOf)
}
