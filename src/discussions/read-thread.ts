import type { Executor } from '../db/in-transaction.ts'
import { NotFoundError } from '../errors.ts'
import { DELETED_DISCUSSION_TEXT, DELETED_REPLY_TEXT } from './content-rules.ts'

export interface ThreadAttachment {
  fileName: string
  url: string
  sizeBytes: number | null
}

export interface ThreadReply {
  id: string
  parentReplyId: string | null
  authorMemberId: string
  authorName: string
  /** The reply's words, or the tombstone text once it is deleted. */
  text: string
  deleted: boolean
  createdAt: Date
  editedAt: Date | null
  attachments: ThreadAttachment[]
}

export interface Thread {
  id: string
  communityId: string
  title: string
  text: string
  authorMemberId: string
  authorName: string
  deleted: boolean
  locked: boolean
  createdAt: Date
  editedAt: Date | null
  attachments: ThreadAttachment[]
  /** Oldest first; a nested reply names its parent. */
  replies: ThreadReply[]
}

/** A discussion as people see it: deleted content shows as its tombstone, in its place. */
export async function readThread(db: Executor, discussionId: string): Promise<Thread> {
  const discussion = await db
    .selectFrom('discussions as d')
    .innerJoin('members as m', 'm.id', 'd.author_member_id')
    .selectAll('d')
    .select('m.display_name as author_name')
    .where('d.id', '=', discussionId)
    .executeTakeFirst()
  if (discussion === undefined) throw new NotFoundError('discussion', discussionId)
  const replies = await db
    .selectFrom('replies as r')
    .innerJoin('members as m', 'm.id', 'r.author_member_id')
    .selectAll('r')
    .select('m.display_name as author_name')
    .where('r.discussion_id', '=', discussionId)
    .orderBy('r.seq')
    .execute()
  const attachments = await db
    .selectFrom('attachments')
    .select(['discussion_id', 'reply_id', 'file_name', 'url', 'size_bytes'])
    .where((eb) =>
      eb.or([
        eb('discussion_id', '=', discussionId),
        eb('reply_id', 'in', eb.selectFrom('replies').select('id').where('discussion_id', '=', discussionId)),
      ]),
    )
    .orderBy('created_at')
    .execute()
  const attachmentsOf = (owner: { discussion?: string; reply?: string }) =>
    attachments
      .filter((a) => (owner.reply ? a.reply_id === owner.reply : a.discussion_id === owner.discussion))
      .map((a) => ({
        fileName: a.file_name,
        url: a.url,
        sizeBytes: a.size_bytes === null ? null : Number(a.size_bytes),
      }))

  return {
    id: discussion.id,
    communityId: discussion.community_id,
    title: discussion.title ?? DELETED_DISCUSSION_TEXT,
    text: discussion.body ?? DELETED_DISCUSSION_TEXT,
    authorMemberId: discussion.author_member_id,
    authorName: discussion.author_name,
    deleted: discussion.deleted_at !== null,
    locked: discussion.locked_at !== null,
    createdAt: discussion.created_at,
    editedAt: discussion.edited_at,
    attachments: attachmentsOf({ discussion: discussion.id }),
    replies: replies.map((reply) => ({
      id: reply.id,
      parentReplyId: reply.parent_reply_id,
      authorMemberId: reply.author_member_id,
      authorName: reply.author_name,
      text: reply.body ?? DELETED_REPLY_TEXT,
      deleted: reply.deleted_at !== null,
      createdAt: reply.created_at,
      editedAt: reply.edited_at,
      attachments: attachmentsOf({ reply: reply.id }),
    })),
  }
}
