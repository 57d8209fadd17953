import type { Executor } from '../db/in-transaction.ts'
import type { ModerationOutcome } from '../db/schema.ts'
import type { Platform } from '../platform/platform.ts'

/** One moderator action as the audit shows it: never the words of what was deleted. */
export interface AuditEntry {
  at: Date
  /** Who acted, or tried: a refused person as they were named when they tried. */
  moderator: string
  /** Where they tried, for a refusal (a refused person may be known by nothing else). */
  platform: Platform | null
  /** `refused`: someone without the right tried; `action` is then the command they ran. */
  outcome: ModerationOutcome
  /** How many times: a refusal's row counts one person's attempts at one command in one hour. */
  attempts: number
  action: string
  /** The person acted on, if any. */
  member: string | null
  /** The discussion acted on (or the reply's), by number and, while it has one, title. */
  discussion: { number: number; title: string | null } | null
  onReply: boolean
  reason: string | null
}

/**
 * A community's moderator actions, newest first, a page at a time (`page` from 1). Titles are
 * read live, so a deleted discussion shows as its number only: the audit keeps who, what, when and
 * why, never deleted text.
 */
export async function readAuditLog(
  db: Executor,
  communityId: string,
  page: number,
  pageSize: number,
): Promise<{ entries: AuditEntry[]; total: number }> {
  const rows = await db
    .selectFrom('moderation_actions as a')
    .leftJoin('members as mod', 'mod.id', 'a.moderator_member_id')
    .leftJoin('members as target', 'target.id', 'a.target_member_id')
    .leftJoin('replies as r', 'r.id', 'a.target_reply_id')
    .leftJoin('discussions as d', (join) =>
      join.on((eb) =>
        eb.or([
          eb('d.id', '=', eb.ref('a.target_discussion_id')),
          eb('d.id', '=', eb.ref('r.discussion_id')),
        ]),
      ),
    )
    .select([
      'a.created_at',
      'a.action',
      'a.reason',
      'a.target_reply_id',
      'a.outcome',
      'a.attempts',
      'a.actor_name',
      'a.actor_platform',
      'mod.display_name as moderator',
      'target.display_name as member',
      'd.number',
      'd.title',
    ])
    .where('a.community_id', '=', communityId)
    .orderBy('a.created_at', 'desc')
    .orderBy('a.id')
    .limit(pageSize)
    .offset((page - 1) * pageSize)
    .execute()
  const count = await db
    .selectFrom('moderation_actions')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('community_id', '=', communityId)
    .executeTakeFirstOrThrow()
  return {
    total: Number(count.n),
    entries: rows.map((row) => ({
      at: row.created_at,
      // A refusal shows the name they tried under; an action, the moderator's name now.
      moderator:
        (row.outcome === 'refused' ? row.actor_name : row.moderator) ??
        row.moderator ??
        row.actor_name ??
        'someone',
      platform: row.actor_platform,
      outcome: row.outcome,
      attempts: row.attempts,
      action: row.action,
      member: row.member,
      discussion: row.number === null ? null : { number: row.number, title: row.title },
      onReply: row.target_reply_id !== null,
      reason: row.reason,
    })),
  }
}
