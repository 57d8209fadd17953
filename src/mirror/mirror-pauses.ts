import { sql } from 'kysely'
import type { Clock } from '../clock.ts'
import { type Executor, inTransaction } from '../db/in-transaction.ts'
import { NotFoundError } from '../errors.ts'
import { recordModeration } from '../members/memberships.ts'
import { resolveMember } from '../members/resolve-member.ts'
import type { PlatformActor } from '../platform/platform.ts'

export interface MirrorPauseInput {
  communityId: string
  /** One discussion of the community; undefined: the whole community. */
  discussionId?: string | undefined
  paused: boolean
  /** The moderator (rights were checked by the command, when it ran). */
  moderator: PlatformActor
}

/**
 * `/bridge pause` and `/bridge resume`: a moderator stops all mirroring of one discussion, or of
 * the whole community, at once, and starts it again. Nothing is dropped meanwhile: changes are
 * still recorded and queued (outbox), and the queue's claim leaves a paused community's or
 * discussion's jobs waiting, in order, until resume. Audited (`pause_mirroring`,
 * `resume_mirroring`) when it changed anything. Returns false when it was already so.
 * Throws NotFoundError for a discussion not in the community.
 */
export async function setMirroringPaused(
  db: Executor,
  clock: Clock,
  input: MirrorPauseInput,
): Promise<boolean> {
  const now = clock.now()
  return inTransaction(db, async (tx) => {
    const pausedAt = input.paused ? now : null
    const changed =
      input.discussionId === undefined
        ? await tx
            .updateTable('communities')
            .set({ mirroring_paused_at: pausedAt })
            .where('id', '=', input.communityId)
            .where('mirroring_paused_at', input.paused ? 'is' : 'is not', null)
            .executeTakeFirst()
        : await tx
            .updateTable('discussions')
            .set({ mirroring_paused_at: pausedAt })
            .where('id', '=', input.discussionId)
            .where('community_id', '=', input.communityId)
            .where('mirroring_paused_at', input.paused ? 'is' : 'is not', null)
            .executeTakeFirst()
    if (changed.numUpdatedRows === 0n) {
      if (input.discussionId !== undefined) {
        const found = await tx
          .selectFrom('discussions')
          .select('id')
          .where('id', '=', input.discussionId)
          .where('community_id', '=', input.communityId)
          .executeTakeFirst()
        if (found === undefined) throw new NotFoundError('discussion', input.discussionId)
      }
      return false
    }
    const moderatorId = await resolveMember(tx, input.moderator, now)
    await recordModeration(
      tx,
      input.communityId,
      moderatorId,
      input.paused ? 'pause_mirroring' : 'resume_mirroring',
      input.discussionId === undefined ? {} : { target_discussion_id: input.discussionId },
      now,
    )
    // What waited is claimable again: wake the mirror worker now rather than at its next poll.
    if (!input.paused) await sql`select pg_notify('threadbridge_outbox', '')`.execute(tx)
    return true
  })
}

/** What is paused in a community: since when for all of it, and the numbers of its paused discussions. */
export async function mirroringPauses(
  db: Executor,
  communityId: string,
): Promise<{ community: Date | null; discussions: number[] }> {
  const community = await db
    .selectFrom('communities')
    .select('mirroring_paused_at')
    .where('id', '=', communityId)
    .executeTakeFirst()
  const discussions = await db
    .selectFrom('discussions')
    .select('number')
    .where('community_id', '=', communityId)
    .where('mirroring_paused_at', 'is not', null)
    .orderBy('number')
    .execute()
  return { community: community?.mirroring_paused_at ?? null, discussions: discussions.map((d) => d.number) }
}
