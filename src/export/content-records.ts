import type { Executor } from '../db/in-transaction.ts'
import type { Platform } from '../platform/platform.ts'
import {
  type DiscussionRecord,
  type ExportAttachment,
  type ExportAuthor,
  iso,
  isoOrNull,
  type ReplyRecord,
} from './export-records.ts'

/**
 * Discussions as export records, a community's or one author's, a page at a time in `seq`
 * order. Keyset paging: each page starts after the last one's key, so the thousandth page costs
 * what the first did, and only one page is in memory at once.
 */
export async function* discussionRecords(
  db: Executor,
  filter: { communityId: string } | { authorMemberId: string },
  pageSize: number,
): AsyncGenerator<DiscussionRecord> {
  let after: string | undefined
  for (;;) {
    let query = db
      .selectFrom('discussions as c')
      .innerJoin('members as m', 'm.id', 'c.author_member_id')
      .leftJoin('identities as i', (join) =>
        join
          .onRef('i.platform', '=', 'c.author_platform')
          .onRef('i.platform_user_id', '=', 'c.author_platform_user_id'),
      )
      .select(['c.id', 'c.community_id', 'c.number', 'c.seq', 'c.title', 'c.body', 'c.body_format'])
      .select(['c.created_at', 'c.edited_at', 'c.locked_at', 'c.deleted_at'])
      .select(['c.author_member_id', 'c.author_platform', 'm.display_name as member_name'])
      .select('i.display_name as account_name')
      .orderBy('c.seq')
      .limit(pageSize)
    query =
      'communityId' in filter
        ? query.where('c.community_id', '=', filter.communityId)
        : query.where('c.author_member_id', '=', filter.authorMemberId)
    if (after !== undefined) query = query.where('c.seq', '>', after)
    const page = await query.execute()
    const attachments = await attachmentsOf(db, 'discussion_id', page)
    for (const row of page) {
      const shared = {
        type: 'discussion' as const,
        id: row.id,
        communityId: row.community_id,
        number: row.number,
        author: authorOf(row),
        createdAt: iso(row.created_at),
        editedAt: isoOrNull(row.edited_at),
        lockedAt: isoOrNull(row.locked_at),
        deletedAt: isoOrNull(row.deleted_at),
      }
      yield row.deleted_at !== null || row.title === null || row.body === null
        ? { ...shared, deleted: true }
        : {
            ...shared,
            deleted: false,
            title: row.title,
            text: row.body,
            format: row.body_format,
            attachments: attachments.get(row.id) ?? [],
          }
    }
    if (page.length < pageSize) return
    after = page[page.length - 1]?.seq
  }
}

/** Replies as export records, a discussion's or one author's, a page at a time in `seq` order. */
export async function* replyRecords(
  db: Executor,
  filter: { discussionId: string } | { authorMemberId: string },
  pageSize: number,
): AsyncGenerator<ReplyRecord> {
  let after: string | undefined
  for (;;) {
    let query = db
      .selectFrom('replies as c')
      .innerJoin('members as m', 'm.id', 'c.author_member_id')
      .leftJoin('identities as i', (join) =>
        join
          .onRef('i.platform', '=', 'c.author_platform')
          .onRef('i.platform_user_id', '=', 'c.author_platform_user_id'),
      )
      .select(['c.id', 'c.discussion_id', 'c.parent_reply_id', 'c.seq', 'c.body', 'c.body_format'])
      .select(['c.created_at', 'c.edited_at', 'c.deleted_at'])
      .select(['c.author_member_id', 'c.author_platform', 'm.display_name as member_name'])
      .select('i.display_name as account_name')
      .orderBy('c.seq')
      .limit(pageSize)
    query =
      'discussionId' in filter
        ? query.where('c.discussion_id', '=', filter.discussionId)
        : query.where('c.author_member_id', '=', filter.authorMemberId)
    if (after !== undefined) query = query.where('c.seq', '>', after)
    const page = await query.execute()
    const attachments = await attachmentsOf(db, 'reply_id', page)
    for (const row of page) {
      const shared = {
        type: 'reply' as const,
        id: row.id,
        discussionId: row.discussion_id,
        parentReplyId: row.parent_reply_id,
        author: authorOf(row),
        createdAt: iso(row.created_at),
        editedAt: isoOrNull(row.edited_at),
        deletedAt: isoOrNull(row.deleted_at),
      }
      yield row.deleted_at !== null || row.body === null
        ? { ...shared, deleted: true }
        : {
            ...shared,
            deleted: false,
            text: row.body,
            format: row.body_format,
            attachments: attachments.get(row.id) ?? [],
          }
    }
    if (page.length < pageSize) return
    after = page[page.length - 1]?.seq
  }
}

/** The account it was written from when we know it, else the member's own name. */
function authorOf(row: {
  author_member_id: string
  author_platform: Platform | null
  member_name: string
  account_name: string | null
}): ExportAuthor {
  return {
    memberId: row.author_member_id,
    name: row.account_name ?? row.member_name,
    platform: row.author_platform,
  }
}

/** The attachments of one page of discussions or replies, in one statement, by owner id. */
async function attachmentsOf(
  db: Executor,
  owner: 'discussion_id' | 'reply_id',
  page: readonly { id: string }[],
): Promise<Map<string, ExportAttachment[]>> {
  const byOwner = new Map<string, ExportAttachment[]>()
  if (page.length === 0) return byOwner
  const rows = await db
    .selectFrom('attachments')
    .select(['discussion_id', 'reply_id', 'file_name', 'url', 'size_bytes', 'content_type'])
    .where(
      owner,
      'in',
      page.map((row) => row.id),
    )
    .orderBy('created_at')
    .orderBy('id')
    .execute()
  for (const row of rows) {
    const id = (owner === 'reply_id' ? row.reply_id : row.discussion_id) as string
    const list = byOwner.get(id) ?? []
    list.push({
      fileName: row.file_name,
      url: row.url,
      sizeBytes: row.size_bytes === null ? null : Number(row.size_bytes),
      contentType: row.content_type,
    })
    byOwner.set(id, list)
  }
  return byOwner
}
