import type { CommunityBridge } from '../communities/community-registry.ts'
import type { Executor } from '../db/in-transaction.ts'
import type { Platform } from '../platform/platform.ts'

/**
 * What an adapter calls when its platform took away a mirror's home (a thread, a channel): the
 * community's moderators hear of it, privately. The composition root decides how.
 */
/** The dead letters an adapter may put back once their cause is gone (a channel unarchived). */
export interface DeadLetters {
  retryDeadFailedWith(communityId: string, reasonPrefix: string): Promise<number>
}

export interface ModeratorAlerts {
  /**
   * `cause` names what went wrong, for telling the moderators once rather than once per
   * failure (by default the text itself).
   */
  tellModerators(communityId: string, text: string, cause?: string): Promise<void>
}

/**
 * Records that a discussion's thread on a platform is gone (deleted there). Returns true the first
 * time, when moderators should be told.
 */
export async function markMirrorGone(
  db: Executor,
  discussionId: string,
  platform: Platform,
  reason: string,
): Promise<boolean> {
  const inserted = await db
    .insertInto('mirror_gone')
    .values({ discussion_id: discussionId, platform, reason })
    .onConflict((conflict) => conflict.doNothing())
    .returning('discussion_id')
    .executeTakeFirst()
  return inserted !== undefined
}

/**
 * The channels a community is bridged to where this discussion still has a home: one whose
 * thread was deleted there takes nothing more for it. One statement for the bridges and the
 * gone marks together, since every mirror job asks both.
 */
export async function bridgesStillMirroring(
  db: Executor,
  communityId: string,
  discussionId: string,
): Promise<CommunityBridge[]> {
  const rows = await db
    .selectFrom('community_bridges as b')
    .select(['b.platform', 'b.workspace_id', 'b.channel_id'])
    .where('b.community_id', '=', communityId)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('mirror_gone as g')
            .select('g.platform')
            .where('g.discussion_id', '=', discussionId)
            .whereRef('g.platform', '=', 'b.platform'),
        ),
      ),
    )
    .orderBy('b.platform')
    .execute()
  return rows.map((row) => ({
    platform: row.platform,
    workspaceId: row.workspace_id,
    channelId: row.channel_id,
  }))
}
