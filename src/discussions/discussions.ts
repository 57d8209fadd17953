import type { Transaction } from 'kysely'
import type { Clock } from '../clock.ts'
import { type Executor, inTransaction } from '../db/in-transaction.ts'
import type { BodyFormat, Database, Discussion } from '../db/schema.ts'
import { requestVacuum } from '../erasure/request-vacuum.ts'
import { ContentDeletedError, NotFoundError, PermissionDeniedError } from '../errors.ts'
import { recordSourceMessage } from '../links/message-links.ts'
import { moderatesNow, recordModeration, requirePostingRights } from '../members/memberships.ts'
import { resolveMember } from '../members/resolve-member.ts'
import { enqueue } from '../outbox/outbox.ts'
import type { Platform, PlatformActor, PlatformMessageRef } from '../platform/platform.ts'
import { autoSubscribe } from '../subscriptions/subscriptions.ts'
import { type AttachmentInput, checkBody, checkTitle, insertAttachments } from './content-rules.ts'
import { editStamp } from './edit-stamps.ts'

export interface StartDiscussionInput {
  communityId: string
  author: PlatformActor
  title: string
  body: string
  /** The markup the body is written in, kept so a conversion can be redone later. */
  format: BodyFormat
  attachments?: readonly AttachmentInput[]
  /** The platform message the discussion was started from, when it was started on a platform. */
  source?: PlatformMessageRef
}

/** Discussions: started by members, edited by their authors, locked and deleted by moderators. */
export class Discussions {
  constructor(
    private readonly db: Executor,
    private readonly clock: Clock,
  ) {}

  async start(input: StartDiscussionInput): Promise<Discussion> {
    const title = checkTitle(input.title)
    const body = checkBody(input.body, input.attachments)
    const now = this.clock.now()
    return inTransaction(this.db, async (tx) => {
      const authorId = await resolveMember(tx, input.author, now)
      await requirePostingRights(tx, input.communityId, authorId)
      const { last_discussion_number: number } = await tx
        .updateTable('communities')
        .set((eb) => ({ last_discussion_number: eb('last_discussion_number', '+', 1) }))
        .where('id', '=', input.communityId)
        .returning('last_discussion_number')
        .executeTakeFirstOrThrow()
      const discussion = await tx
        .insertInto('discussions')
        .values({
          community_id: input.communityId,
          number,
          author_member_id: authorId,
          author_platform: input.author.platform,
          author_platform_user_id: input.author.platformUserId,
          title,
          body,
          body_format: input.format,
          created_at: now,
          edited_at: null,
          locked_at: null,
          deleted_at: null,
        })
        .returningAll()
        .executeTakeFirstOrThrow()
      await insertAttachments(
        tx,
        { discussion_id: discussion.id, reply_id: null },
        input.attachments ?? [],
        now,
      )
      if (input.source)
        await recordSourceMessage(tx, input.source, { discussionId: discussion.id, replyId: null }, now)
      await autoSubscribe(tx, authorId, discussion.id, now)
      await enqueue(
        tx,
        input.communityId,
        {
          type: 'discussion.created',
          discussionId: discussion.id,
          sourcePlatform: input.source?.platform ?? null,
        },
        now,
      )
      return discussion
    })
  }

  /**
   * Only the author edits their words; moderators remove, they do not rewrite. An edit its
   * platform stamped before the last one applied arrived late and changes nothing (see editStamp).
   */
  async edit(input: {
    discussionId: string
    editor: PlatformActor
    title?: string
    body?: string
    sourcePlatform?: PlatformActor['platform'] | null
    /** When the edit was made on its platform, in microseconds since the epoch. */
    editedAtUs?: number
  }): Promise<Discussion> {
    const now = this.clock.now()
    const title = input.title === undefined ? undefined : checkTitle(input.title)
    const body = input.body === undefined ? undefined : checkBody(input.body)
    return inTransaction(this.db, async (tx) => {
      const editorId = await resolveMember(tx, input.editor, now)
      const discussion = await loadLive(tx, input.discussionId)
      if (discussion.author_member_id !== editorId) throw new PermissionDeniedError('edit this discussion')
      await requirePostingRights(tx, discussion.community_id, editorId)
      const stamp = editStamp(input.editedAtUs)
      const updated = await tx
        .updateTable('discussions')
        .set({
          ...(title === undefined ? {} : { title }),
          ...(body === undefined ? {} : { body }),
          edited_at: now,
          ...stamp.set,
        })
        .where('id', '=', discussion.id)
        .where(stamp.notOlder)
        .returningAll()
        .executeTakeFirst()
      if (updated === undefined) return discussion
      // The replaced title and body stay in the table's files until it is rewritten (see Replies.edit).
      await requestVacuum(tx, ['discussions'])
      await enqueue(
        tx,
        discussion.community_id,
        {
          type: 'discussion.edited',
          discussionId: discussion.id,
          sourcePlatform: input.sourcePlatform ?? null,
        },
        now,
      )
      return updated
    })
  }

  /** Locks (no more replies) or unlocks. The discussion's author or a moderator may. */
  async setLocked(input: {
    discussionId: string
    actor: PlatformActor
    locked: boolean
    /** Why, for the audit log. */
    reason?: string | undefined
    /**
     * The actor's platform says, at this moment, that they moderate the bridged channel (Discord's
     * Manage Messages or Manage Threads there): as good as our own moderator role.
     */
    platformModerator?: boolean
  }): Promise<Discussion> {
    const now = this.clock.now()
    return inTransaction(this.db, async (tx) => {
      const actorId = await resolveMember(tx, input.actor, now)
      const discussion = await loadLive(tx, input.discussionId)
      const moderator = await moderatesNow(
        tx,
        discussion.community_id,
        actorId,
        input.actor,
        input.platformModerator === true,
      )
      if (!moderator && discussion.author_member_id !== actorId) {
        throw new PermissionDeniedError(input.locked ? 'lock this discussion' : 'unlock this discussion')
      }
      if ((discussion.locked_at !== null) === input.locked) return discussion
      const updated = await tx
        .updateTable('discussions')
        .set({ locked_at: input.locked ? now : null })
        .where('id', '=', discussion.id)
        .returningAll()
        .executeTakeFirstOrThrow()
      if (moderator) {
        await recordModeration(
          tx,
          discussion.community_id,
          actorId,
          input.locked ? 'lock' : 'unlock',
          { target_discussion_id: discussion.id, reason: input.reason },
          now,
        )
      }
      await enqueue(
        tx,
        discussion.community_id,
        {
          type: 'discussion.locked',
          discussionId: discussion.id,
          locked: input.locked,
          sourcePlatform: null,
        },
        now,
      )
      return updated
    })
  }

  /**
   * Deletes a discussion's opening post: its title, body and attachments are purged, the row
   * stays as a tombstone so its replies keep their place, and it is locked. Author or moderator.
   */
  async delete(input: {
    discussionId: string
    actor: PlatformActor
    reason?: string | undefined
    sourcePlatform?: PlatformActor['platform'] | null
    /** The actor's platform says, now, that they moderate the bridged channel (see setLocked). */
    platformModerator?: boolean
  }): Promise<void> {
    const now = this.clock.now()
    await inTransaction(this.db, async (tx) => {
      const actorId = await resolveMember(tx, input.actor, now)
      const discussion = await load(tx, input.discussionId)
      if (discussion.deleted_at !== null) return
      const moderator = await moderatesNow(
        tx,
        discussion.community_id,
        actorId,
        input.actor,
        input.platformModerator === true,
      )
      if (!moderator && discussion.author_member_id !== actorId)
        throw new PermissionDeniedError('delete this discussion')
      if (discussion.author_member_id !== actorId) {
        await recordModeration(
          tx,
          discussion.community_id,
          actorId,
          'delete_discussion',
          {
            target_discussion_id: discussion.id,
            target_member_id: discussion.author_member_id,
            reason: input.reason,
          },
          now,
        )
      }
      await purgeOpeningPost(tx, discussion, now, input.sourcePlatform ?? null)
    })
  }

  async get(discussionId: string): Promise<Discussion> {
    return load(this.db, discussionId)
  }
}

/**
 * A discussion's opening post was deleted on its platform (its author deleted it, or the whole
 * thread). Deleted words are purged, wherever they were deleted; but the replies must not be
 * orphaned, so the discussion stays as a locked tombstone and its thread remains readable.
 */
export async function deleteOpeningPostAtSource(
  db: Executor,
  clock: Clock,
  discussionId: string,
  sourcePlatform: Platform,
): Promise<void> {
  const now = clock.now()
  await inTransaction(db, async (tx) => {
    const discussion = await load(tx, discussionId)
    if (discussion.deleted_at === null) await purgeOpeningPost(tx, discussion, now, sourcePlatform)
  })
}

/**
 * Purges the opening post (title, body, attachments), keeps the row as the replies' tombstone,
 * locks it, and tells the mirrors (all but the platform where it was deleted, which shows its own).
 */
export async function purgeOpeningPost(
  tx: Transaction<Database>,
  discussion: Discussion,
  now: Date,
  sourcePlatform: Platform | null,
): Promise<void> {
  await tx
    .updateTable('discussions')
    .set({ title: null, body: null, deleted_at: now, locked_at: discussion.locked_at ?? now })
    .where('id', '=', discussion.id)
    .execute()
  await tx.deleteFrom('attachments').where('discussion_id', '=', discussion.id).execute()
  await requestVacuum(tx, ['discussions', 'attachments'])
  await enqueue(
    tx,
    discussion.community_id,
    { type: 'discussion.deleted', discussionId: discussion.id, sourcePlatform },
    now,
  )
}

async function load(db: Executor, discussionId: string): Promise<Discussion> {
  const discussion = await db
    .selectFrom('discussions')
    .selectAll()
    .where('id', '=', discussionId)
    .executeTakeFirst()
  if (discussion === undefined) throw new NotFoundError('discussion', discussionId)
  return discussion
}

/** Loads a discussion that has not been deleted, locking its row against concurrent changes. */
export async function loadLive(tx: Transaction<Database>, discussionId: string): Promise<Discussion> {
  const discussion = await tx
    .selectFrom('discussions')
    .selectAll()
    .where('id', '=', discussionId)
    .forUpdate()
    .executeTakeFirst()
  if (discussion === undefined) throw new NotFoundError('discussion', discussionId)
  if (discussion.deleted_at !== null) throw new ContentDeletedError('discussion', discussionId)
  return discussion
}
