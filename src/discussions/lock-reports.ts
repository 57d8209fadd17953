import { sql } from 'kysely'
import type { Clock } from '../clock.ts'
import { type Executor, inTransaction } from '../db/in-transaction.ts'
import { enqueue } from '../outbox/outbox.ts'
import type { Platform } from '../platform/platform.ts'

/** A platform's report that one of its threads is now locked, or unlocked. */
export interface LockReport {
  /** What the report says (Discord: THREAD_UPDATE's `thread_metadata.locked`). */
  locked: boolean
  /**
   * The thread's state now, read afresh from the platform (undefined: the thread is gone). A
   * report can arrive after the bridge has already changed the thread again, so it is only a
   * reason to look; what the thread is now decides. Without it the report itself is taken.
   */
  readNow?: () => Promise<boolean | undefined>
}

/** What the core wants of a discussion's lock, and what of it is still on its way out. */
interface WantedLock {
  locked: boolean
  deleted: boolean
  /** The newest lock command queued for the discussion (an outbox id), null if none ever was. */
  lastCommand: string | null
  /** A lock command is still to be carried out on the reporting platform (an outbox row, pending). */
  pending: boolean
  /**
   * The newest lock command meant for the reporting platform died there (dead-lettered): the
   * thread is not yet as the core wants, and that is the bridge's doing, not a person's.
   */
  newestDead: boolean
}

/**
 * A thread locked or unlocked on its platform. The bridge locks and unlocks threads itself, and
 * the platform reports those changes back like anyone else's (a THREAD_UPDATE names no one), so
 * a report is the bridge's own echo, not a person's action, when:
 *
 * - it agrees with what the core wants (the discussion's `locked_at`): nothing to do;
 * - the newest lock command meant for that platform died there (dead-lettered): the thread still
 *   shows what it showed before it, so its disagreement is the failed command's, not a person's
 *   (a moderator sees the dead letter and retries it; an older dead command that a later one
 *   overtook proves nothing, and hides no one);
 * - the thread, read afresh, is as the core wants: the report was of a change since undone by the
 *   bridge (a lock and an unlock 0 ms apart, the lock's echo arriving after the unlock).
 *
 * A report that comes while a lock command of the core's is still queued for that platform (an
 * outbox row, pending) cannot be judged yet: it may be the echo of an earlier command, or a
 * person's change made just after our command landed, before its job was marked done. It is set
 * aside as a job of its own (`discussion.lock_recheck`), queued behind our commands, so it is
 * looked at again, with the thread read afresh, once they are carried out (recheckLockReport).
 *
 * Only a thread that is now, with nothing of ours on its way, not as the core wants was changed
 * by someone on the platform: the discussion follows, it is audited once as that platform's
 * moderator, and the other platforms hear of it (never the reporting one, which already shows it).
 * Everything it decides on is in the database or on the platform, so it holds across restarts,
 * and a report that arrives twice changes nothing the second time. Returns true when the
 * discussion changed.
 */
export async function applyLockReport(
  db: Executor,
  clock: Clock,
  discussionId: string,
  platform: Platform,
  report: LockReport,
): Promise<boolean> {
  const wanted = await wantedLock(db, discussionId, platform)
  if (wanted === undefined || wanted.deleted || wanted.locked === report.locked) return false
  if (wanted.pending) {
    await setAside(db, clock, discussionId, platform, report.locked)
    return false
  }
  if (wanted.newestDead) return false
  return followThread(db, clock, discussionId, platform, wanted, report)
}

/**
 * A report set aside while our lock commands were on their way, looked at again once they are
 * carried out: what the thread is now decides, not what the report said then (a person who
 * changed it as our command landed left it so; an echo of ours left it as the core wants). A
 * command queued since is the last one, and wins: a change made after it lands is reported
 * afresh. Returns true when the discussion changed.
 */
export async function recheckLockReport(
  db: Executor,
  clock: Clock,
  discussionId: string,
  platform: Platform,
  report: LockReport,
): Promise<boolean> {
  const wanted = await wantedLock(db, discussionId, platform)
  if (wanted === undefined || wanted.deleted || wanted.pending || wanted.newestDead) return false
  return followThread(db, clock, discussionId, platform, wanted, report)
}

/** The thread, read afresh, is not as the core wants and nothing of ours explains it: a person's. */
async function followThread(
  db: Executor,
  clock: Clock,
  discussionId: string,
  platform: Platform,
  wanted: WantedLock,
  report: LockReport,
): Promise<boolean> {
  // Read outside any transaction: a platform call can take seconds.
  const now = report.readNow ? await report.readNow() : report.locked
  if (now === undefined || now === wanted.locked) return false
  return inTransaction(db, async (tx) => {
    // The discussion's row is locked first, as every lock command does, so no command slips in
    // between this check and the change.
    const discussion = await tx
      .selectFrom('discussions')
      .select(['community_id', 'locked_at', 'deleted_at'])
      .where('id', '=', discussionId)
      .forUpdate()
      .executeTakeFirst()
    const again = await wantedLock(tx, discussionId, platform)
    // A command of ours came meanwhile: it is the last one, and it wins.
    if (discussion === undefined || again === undefined || again.lastCommand !== wanted.lastCommand)
      return false
    if (again.deleted || again.pending || again.newestDead || again.locked === now) return false
    const at = clock.now()
    await tx
      .updateTable('discussions')
      .set({ locked_at: now ? at : null })
      .where('id', '=', discussionId)
      .execute()
    // A moderator's action, though the platform does not say whose: the audit says where.
    await tx
      .insertInto('moderation_actions')
      .values({
        community_id: discussion.community_id,
        moderator_member_id: null,
        actor_name: `a ${platform === 'discord' ? 'Discord' : 'Slack'} moderator`,
        actor_platform: platform,
        action: now ? 'lock' : 'unlock',
        target_discussion_id: discussionId,
        created_at: at,
      })
      .execute()
    await enqueue(
      tx,
      discussion.community_id,
      { type: 'discussion.locked', discussionId, locked: now, sourcePlatform: platform },
      at,
    )
    return true
  })
}

/**
 * Queues a second look at a report that came while our lock commands were on their way. The
 * outbox runs a discussion's jobs in order, so it runs once every command queued before it is
 * carried out, and it survives a restart. One look queued behind the newest command serves every
 * report set aside until then.
 */
async function setAside(
  db: Executor,
  clock: Clock,
  discussionId: string,
  platform: Platform,
  locked: boolean,
): Promise<void> {
  await inTransaction(db, async (tx) => {
    // Locked as a command locks it, so the newest command cannot change while this looks.
    const discussion = await tx
      .selectFrom('discussions')
      .select('community_id')
      .where('id', '=', discussionId)
      .forUpdate()
      .executeTakeFirst()
    if (discussion === undefined) return
    const queued = await sql<{ id: string }>`
      select id from outbox
      where discussion_id = ${discussionId} and event_type = 'discussion.lock_recheck'
        and status = 'pending' and payload->>'platform' = ${platform}
        and id > coalesce((select max(id) from outbox
          where discussion_id = ${discussionId} and event_type = 'discussion.locked'), 0)
      limit 1`.execute(tx)
    if (queued.rows.length > 0) return
    await enqueue(
      tx,
      discussion.community_id,
      { type: 'discussion.lock_recheck', discussionId, platform, locked },
      clock.now(),
    )
  })
}

/**
 * The discussion's wanted lock and the lock commands queued for it. A command queued before
 * `sourcePlatform` was recorded goes to every platform.
 */
async function wantedLock(db: Executor, discussionId: string, platform: Platform) {
  const result = await sql<{
    locked: boolean
    deleted: boolean
    last_command: string | null
    pending: boolean | null
    newest_dead: boolean | null
  }>`
    select d.locked_at is not null as locked, d.deleted_at is not null as deleted,
      max(o.id)::text as last_command,
      bool_or(o.status = 'pending' and o.meant_here) as pending,
      (array_agg(o.status order by o.id desc) filter (where o.meant_here))[1] = 'dead' as newest_dead
    from discussions d
    left join (
      select id, discussion_id, status,
        coalesce(payload->>'sourcePlatform', '') <> ${platform} as meant_here
      from outbox
      where event_type = 'discussion.locked' and discussion_id = ${discussionId}
    ) o on o.discussion_id = d.id
    where d.id = ${discussionId}
    group by d.id`.execute(db)
  const row = result.rows[0]
  if (row === undefined) return undefined
  const wanted: WantedLock = {
    locked: row.locked,
    deleted: row.deleted,
    lastCommand: row.last_command,
    pending: row.pending === true,
    newestDead: row.newest_dead === true,
  }
  return wanted
}
