import type { Transaction } from 'kysely'
import type { Clock } from '../clock.ts'
import { type Executor, inTransaction } from '../db/in-transaction.ts'
import type { BodyFormat, Database, Reply } from '../db/schema.ts'
import { requestVacuum } from '../erasure/request-vacuum.ts'
import {
  ContentDeletedError,
  DiscussionLockedError,
  NotFoundError,
  PermissionDeniedError,
} from '../errors.ts'
import { recordSourceMessage } from '../links/message-links.ts'
import { moderatesNow, recordModeration, requirePostingRights } from '../members/memberships.ts'
import { resolveMember } from '../members/resolve-member.ts'
import { enqueue } from '../outbox/outbox.ts'
import type { Platform, PlatformActor, PlatformMessageRef } from '../platform/platform.ts'
import { autoSubscribe } from '../subscriptions/subscriptions.ts'
import { type AttachmentInput, checkBody, insertAttachments } from './content-rules.ts'
import { loadLive } from './discussions.ts'
import { editStamp } from './edit-stamps.ts'

export interface PostReplyInput {
  discussionId: string
  /** The reply this one answers, for nested replies; it must be in the same discussion. */
  parentReplyId?: string | null
  author: PlatformActor
  body: string
  format: BodyFormat
  attachments?: readonly AttachmentInput[]
  source?: PlatformMessageRef
}

/** Replies: members only, never into a locked discussion; deletion purges and leaves a tombstone. */
export class Replies {
  constructor(
    private readonly db: Executor,
    private readonly clock: Clock,
  ) {}

  async post(input: PostReplyInput): Promise<Reply> {
    const body = checkBody(input.body, input.attachments)
    const now = this.clock.now()
    return inTransaction(this.db, async (tx) => {
      const authorId = await resolveMember(tx, input.author, now)
      // Locking the discussion row orders this reply against a concurrent lock or delete.
      const discussion = await loadLive(tx, input.discussionId)
      await requirePostingRights(tx, discussion.community_id, authorId)
      if (discussion.locked_at !== null) throw new DiscussionLockedError(discussion.id)
      if (input.parentReplyId != null) {
        const parent = await tx
          .selectFrom('replies')
          .select(['id', 'discussion_id'])
          .where('id', '=', input.parentReplyId)
          .executeTakeFirst()
        if (parent === undefined || parent.discussion_id !== discussion.id) {
          throw new NotFoundError('reply', input.parentReplyId)
        }
        // Answering a deleted reply is allowed: the tombstone keeps its place in the thread.
      }
      const reply = await tx
        .insertInto('replies')
        .values({
          discussion_id: discussion.id,
          parent_reply_id: input.parentReplyId ?? null,
          author_member_id: authorId,
          author_platform: input.author.platform,
          author_platform_user_id: input.author.platformUserId,
          body,
          body_format: input.format,
          created_at: now,
          edited_at: null,
          deleted_at: null,
        })
        .returningAll()
        .executeTakeFirstOrThrow()
      await insertAttachments(tx, { discussion_id: null, reply_id: reply.id }, input.attachments ?? [], now)
      if (input.source)
        await recordSourceMessage(tx, input.source, { discussionId: discussion.id, replyId: reply.id }, now)
      await autoSubscribe(tx, authorId, discussion.id, now)
      await enqueue(
        tx,
        discussion.community_id,
        {
          type: 'reply.created',
          discussionId: discussion.id,
          replyId: reply.id,
          sourcePlatform: input.source?.platform ?? null,
        },
        now,
      )
      return reply
    })
  }

  /**
   * Only the author edits. The edit keeps the time it was made. An edit its platform stamped
   * before the last one applied arrived late and changes nothing (see editStamp).
   */
  async edit(input: {
    replyId: string
    editor: PlatformActor
    body: string
    sourcePlatform?: Platform | null
    /** When the edit was made on its platform, in microseconds since the epoch. */
    editedAtUs?: number
  }): Promise<Reply> {
    const body = checkBody(input.body)
    const now = this.clock.now()
    return inTransaction(this.db, async (tx) => {
      const editorId = await resolveMember(tx, input.editor, now)
      const reply = await loadReply(tx, input.replyId)
      if (reply.deleted_at !== null) throw new ContentDeletedError('reply', reply.id)
      if (reply.author_member_id !== editorId) throw new PermissionDeniedError('edit this reply')
      const discussion = await loadLive(tx, reply.discussion_id)
      await requirePostingRights(tx, discussion.community_id, editorId)
      const stamp = editStamp(input.editedAtUs)
      const updated = await tx
        .updateTable('replies')
        .set({ body, edited_at: now, ...stamp.set })
        .where('id', '=', reply.id)
        .where(stamp.notOlder)
        .returningAll()
        .executeTakeFirst()
      if (updated === undefined) return reply
      // The words replaced stay in the table's files until it is rewritten: an edit often takes
      // back something its author regrets, so it is erased like a deletion.
      await requestVacuum(tx, ['replies'])
      await enqueue(
        tx,
        discussion.community_id,
        {
          type: 'reply.edited',
          discussionId: discussion.id,
          replyId: reply.id,
          sourcePlatform: input.sourcePlatform ?? null,
        },
        now,
      )
      return updated
    })
  }

  /**
   * Deletes a reply: its body and attachments are purged from the database (not hidden), and its
   * row stays as a tombstone, "This reply was deleted.", so nested replies keep their parent.
   * The author or a moderator may; deleting twice is a no-op.
   */
  async delete(input: {
    replyId: string
    actor: PlatformActor
    reason?: string | undefined
    sourcePlatform?: Platform | null
    /** The actor's platform says, now, that they moderate the bridged channel (see Discussions.setLocked). */
    platformModerator?: boolean
  }): Promise<void> {
    const now = this.clock.now()
    await inTransaction(this.db, async (tx) => {
      const actorId = await resolveMember(tx, input.actor, now)
      const reply = await loadReply(tx, input.replyId)
      if (reply.deleted_at !== null) return
      const discussion = await tx
        .selectFrom('discussions')
        .select(['id', 'community_id'])
        .where('id', '=', reply.discussion_id)
        .executeTakeFirstOrThrow()
      const byAuthor = reply.author_member_id === actorId
      const moderator = await moderatesNow(
        tx,
        discussion.community_id,
        actorId,
        input.actor,
        input.platformModerator === true,
      )
      if (!byAuthor && !moderator) {
        throw new PermissionDeniedError('delete this reply')
      }
      if (!byAuthor) {
        await recordModeration(
          tx,
          discussion.community_id,
          actorId,
          'delete_reply',
          { target_reply_id: reply.id, target_member_id: reply.author_member_id, reason: input.reason },
          now,
        )
      }
      await purgeReply(tx, reply, discussion, input.sourcePlatform ?? null, now)
    })
  }
}

/**
 * A reply's source message was deleted on its platform. The platform already decided who may
 * delete it (its author, or one of its moderators), so no rights check runs here; the effect is
 * the same as any deletion: purged words, a tombstone, and the mirrors updated.
 */
export async function deleteAtSource(
  db: Executor,
  clock: Clock,
  input: { replyId: string; sourcePlatform: Platform },
) {
  const now = clock.now()
  await inTransaction(db, async (tx) => {
    const reply = await loadReply(tx, input.replyId)
    if (reply.deleted_at !== null) return
    const discussion = await tx
      .selectFrom('discussions')
      .select(['id', 'community_id'])
      .where('id', '=', reply.discussion_id)
      .executeTakeFirstOrThrow()
    await purgeReply(tx, reply, discussion, input.sourcePlatform, now)
  })
}

/**
 * The deletion itself, whoever asked for it (an author, a moderator, a platform, an erasure):
 * words and attachments gone, the mirrors told.
 */
export async function purgeReply(
  tx: Transaction<Database>,
  reply: Reply,
  discussion: { id: string; community_id: string },
  sourcePlatform: Platform | null,
  now: Date,
): Promise<void> {
  await tx.updateTable('replies').set({ body: null, deleted_at: now }).where('id', '=', reply.id).execute()
  await tx.deleteFrom('attachments').where('reply_id', '=', reply.id).execute()
  await requestVacuum(tx, ['replies', 'attachments'])
  await enqueue(
    tx,
    discussion.community_id,
    { type: 'reply.deleted', discussionId: discussion.id, replyId: reply.id, sourcePlatform },
    now,
  )
  // Mirrors of the replies that answer it quote its first line: shown again, they quote the
  // tombstone, so its words are gone from every platform, not only from its own mirror.
  const answers = await tx
    .selectFrom('replies')
    .select(['id', 'body_format'])
    .where('parent_reply_id', '=', reply.id)
    .where('deleted_at', 'is', null)
    .execute()
  for (const answer of answers)
    await enqueue(
      tx,
      discussion.community_id,
      {
        type: 'reply.edited',
        discussionId: discussion.id,
        replyId: answer.id,
        // Its own platform shows the answer natively (a Discord reply), without our quote.
        sourcePlatform: answer.body_format === 'plain' ? null : answer.body_format,
      },
      now,
    )
}

async function loadReply(tx: Transaction<Database>, replyId: string): Promise<Reply> {
  const reply = await tx
    .selectFrom('replies')
    .selectAll()
    .where('id', '=', replyId)
    .forUpdate()
    .executeTakeFirst()
  if (reply === undefined) throw new NotFoundError('reply', replyId)
  return reply
}
