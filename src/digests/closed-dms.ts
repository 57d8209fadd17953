import type { Executor } from '../db/in-transaction.ts'
import type { PlatformActor } from '../platform/platform.ts'

/**
 * True the first time a person whose DMs were found closed is met afterwards (they ran a
 * command): the one moment the bot can tell them privately, in the community, how to get their
 * digests again. Later calls are false until their DMs are found closed again.
 */
export async function firstClosedDmsNotice(db: Executor, actor: PlatformActor, now: Date): Promise<boolean> {
  const marked = await db
    .updateTable('identities')
    .set({ dms_closed_told_at: now })
    .where('platform', '=', actor.platform)
    .where('platform_user_id', '=', actor.platformUserId)
    .where('dms_closed_at', 'is not', null)
    .where('dms_closed_told_at', 'is', null)
    .returning('platform')
    .execute()
  return marked.length > 0
}

/** They changed how digests reach them: try their DMs again, and tell them again if still closed. */
export async function reopenDms(db: Executor, memberId: string): Promise<void> {
  await db
    .updateTable('identities')
    .set({ dms_closed_at: null, dms_closed_told_at: null })
    .where('member_id', '=', memberId)
    .where('dms_closed_at', 'is not', null)
    .execute()
}
