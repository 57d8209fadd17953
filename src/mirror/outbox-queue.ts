import { randomUUID } from 'node:crypto'
import { sql } from 'kysely'
import type { Clock } from '../clock.ts'
import { type Executor, inTransaction } from '../db/in-transaction.ts'
import type { OutboxEvent } from '../outbox/outbox-event.ts'

export interface ClaimedJob {
  id: string
  /** Null for a person's own delivery (a digest). */
  communityId: string | null
  discussionId: string | null
  event: OutboxEvent
  /** 1 on the first try. More than 1 means an earlier attempt may have reached the platform. */
  attempt: number
  leaseToken: string
  /** When the event was queued, in the database's terms: where mirror latency is measured from. */
  createdAt: Date
}

export interface RetryPolicy {
  /** Attempts before a job is dead-lettered. */
  maxAttempts: number
  baseDelayMs: number
  maxDelayMs: number
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 12,
  baseDelayMs: 1000,
  maxDelayMs: 5 * 60_000,
}

/**
 * The outbox as a work queue. Jobs are claimed with a lease (FOR UPDATE SKIP LOCKED picks rows no
 * other worker holds) and worked on outside any transaction, so a slow platform never holds the
 * database. A job is only claimable when no earlier job of the same discussion is still pending:
 * a reply never overtakes its discussion or an earlier reply. A worker that dies loses its lease
 * when it expires, and the job is claimed again.
 */
export class OutboxQueue {
  constructor(
    private readonly db: Executor,
    private readonly clock: Clock,
    private readonly options: { leaseMs: number; retry: RetryPolicy } = {
      leaseMs: 60_000,
      retry: DEFAULT_RETRY_POLICY,
    },
  ) {}

  async claim(limit: number): Promise<ClaimedJob[]> {
    const now = this.clock.now()
    const leaseUntil = new Date(now.getTime() + this.options.leaseMs)
    const token = randomUUID()
    const result = await sql<{
      id: string
      community_id: string | null
      discussion_id: string | null
      payload: OutboxEvent
      attempts: number
      created_at: Date | string
    }>`
      update outbox set lease_token = ${token}, lease_until = ${leaseUntil}, attempts = attempts + 1
      where id in (
        select o.id from outbox o
        where o.status = 'pending'
          and o.available_at <= ${now}
          and (o.lease_until is null or o.lease_until <= ${now})
          and not exists (
            select 1 from outbox earlier
            where earlier.discussion_id = o.discussion_id
              and earlier.status = 'pending'
              and earlier.id < o.id
          )
          -- /bridge pause: a paused community's or discussion's jobs wait, in order, for resume.
          and not exists (
            select 1 from communities c where c.id = o.community_id and c.mirroring_paused_at is not null
          )
          and not exists (
            select 1 from discussions d where d.id = o.discussion_id and d.mirroring_paused_at is not null
          )
        order by o.id
        limit ${limit}
        for update skip locked
      )
      returning id, community_id, discussion_id, payload, attempts, created_at`.execute(this.db)
    return result.rows
      .map((row) => ({
        id: row.id,
        communityId: row.community_id,
        discussionId: row.discussion_id,
        event: row.payload,
        attempt: row.attempts,
        leaseToken: token,
        createdAt: new Date(row.created_at),
      }))
      .sort((a, b) => Number(BigInt(a.id) - BigInt(b.id)))
  }

  /** How long a claim lasts unless renewed: a worker renews its jobs well within it. */
  get leaseMs(): number {
    return this.options.leaseMs
  }

  /**
   * Extends the leases of jobs still being worked on, to a full lease from now. A job waiting its
   * turn at a rate limit, or for a slow platform, stays its worker's: without this a job held
   * past its lease is claimed again while the first attempt is still going, and posted twice.
   * Jobs whose lease was already lost (another worker took them over) are left alone. Returns
   * how many leases were extended.
   */
  async renew(jobs: readonly ClaimedJob[]): Promise<number> {
    if (jobs.length === 0) return 0
    const result = await this.db
      .updateTable('outbox')
      .set({ lease_until: new Date(this.clock.now().getTime() + this.options.leaseMs) })
      .where('status', '=', 'pending')
      .where((eb) =>
        eb.or(jobs.map((job) => eb.and([eb('id', '=', job.id), eb('lease_token', '=', job.leaseToken)]))),
      )
      .executeTakeFirst()
    return Number(result.numUpdatedRows)
  }

  /** Marks a job done. False if the lease was lost meanwhile (another worker owns it now). */
  async complete(job: ClaimedJob): Promise<boolean> {
    const result = await this.db
      .updateTable('outbox')
      .set({
        status: 'done',
        processed_at: this.clock.now(),
        lease_token: null,
        lease_until: null,
        last_error: null,
      })
      .where('id', '=', job.id)
      .where('lease_token', '=', job.leaseToken)
      .executeTakeFirst()
    return result.numUpdatedRows > 0n
  }

  /**
   * Records a failure: retried later with exponential backoff and jitter (or after the platform's
   * own Retry-After), or dead-lettered when permanent or out of attempts.
   */
  async fail(
    job: ClaimedJob,
    error: { message: string; retryable: boolean; retryAfterMs?: number | undefined },
  ): Promise<'retry' | 'dead'> {
    const now = this.clock.now()
    const dead = !error.retryable || job.attempt >= this.options.retry.maxAttempts
    const delay = error.retryAfterMs ?? backoff(job.attempt, this.options.retry)
    await this.db
      .updateTable('outbox')
      .set({
        status: dead ? 'dead' : 'pending',
        available_at: dead ? now : new Date(now.getTime() + delay),
        last_error: error.message.slice(0, 2000),
        lease_token: null,
        lease_until: null,
        ...(dead ? { processed_at: now } : {}),
      })
      .where('id', '=', job.id)
      .where('lease_token', '=', job.leaseToken)
      .execute()
    return dead ? 'dead' : 'retry'
  }

  /** When the next pending job (not paused) becomes claimable, if any: the worker's timer for backed-off jobs. */
  async nextAvailableAt(): Promise<Date | undefined> {
    const row = await this.db
      .selectFrom('outbox')
      .select((eb) =>
        eb.fn.min(sql<Date>`greatest(available_at, coalesce(lease_until, available_at))`).as('next'),
      )
      .where('status', '=', 'pending')
      // Paused jobs are not waited for: resume wakes the worker (NOTIFY).
      .where(sql<boolean>`not exists (
        select 1 from communities c where c.id = outbox.community_id and c.mirroring_paused_at is not null
      )`)
      .where(sql<boolean>`not exists (
        select 1 from discussions d where d.id = outbox.discussion_id and d.mirroring_paused_at is not null
      )`)
      .executeTakeFirst()
    return row?.next ? new Date(row.next) : undefined
  }

  /** Dead-lettered jobs of a community, newest first, with why they failed: for moderators. */
  async deadLetters(communityId: string) {
    return this.db
      .selectFrom('outbox')
      .select(['id', 'event_type', 'discussion_id', 'last_error', 'attempts', 'processed_at'])
      .where('community_id', '=', communityId)
      .where('status', '=', 'dead')
      .orderBy('id', 'desc')
      .execute()
  }

  /** Puts a dead job back in the queue (a moderator fixed the cause). */
  async retryDead(jobId: string): Promise<boolean> {
    return (await this.requeueDead({ jobId })) > 0
  }

  /**
   * Puts back every dead job of a community whose failure began with `reasonPrefix` (say
   * "slack: is_archived" once the channel is unarchived). They keep their order: the queue hands
   * out each discussion's oldest job first. Returns how many.
   */
  retryDeadFailedWith(communityId: string, reasonPrefix: string): Promise<number> {
    return this.requeueDead({ communityId, reasonPattern: `${reasonPrefix.replace(/[\\%_]/g, '\\$&')}%` })
  }

  /** Puts back every dead job of a community (a moderator's /bridge retry). Returns how many. */
  retryAllDead(communityId: string): Promise<number> {
    return this.requeueDead({ communityId })
  }

  /** What waits for every community's mirrors and every digest: how many jobs, since when. */
  async depth(): Promise<{ pending: number; oldest: Date | null }> {
    const row = await this.db
      .selectFrom('outbox')
      .select((eb) => [eb.fn.countAll<string>().as('n'), eb.fn.min('created_at').as('oldest')])
      .where('status', '=', 'pending')
      .executeTakeFirstOrThrow()
    return { pending: Number(row.n), oldest: row.oldest === null ? null : new Date(row.oldest) }
  }

  /** What waits for a community's mirrors: how many jobs, since when. */
  async waiting(communityId: string): Promise<{ pending: number; oldest: Date | null }> {
    const row = await this.db
      .selectFrom('outbox')
      .select((eb) => [eb.fn.countAll<string>().as('n'), eb.fn.min('created_at').as('oldest')])
      .where('community_id', '=', communityId)
      .where('status', '=', 'pending')
      .executeTakeFirstOrThrow()
    return { pending: Number(row.n), oldest: row.oldest === null ? null : new Date(row.oldest) }
  }

  private requeueDead(which: { jobId?: string; communityId?: string; reasonPattern?: string }) {
    return inTransaction(this.db, async (tx) => {
      let query = tx
        .updateTable('outbox')
        .set({ status: 'pending', attempts: 0, available_at: this.clock.now(), processed_at: null })
        .where('status', '=', 'dead')
      if (which.jobId !== undefined) query = query.where('id', '=', which.jobId)
      if (which.communityId !== undefined) query = query.where('community_id', '=', which.communityId)
      if (which.reasonPattern !== undefined) query = query.where('last_error', 'like', which.reasonPattern)
      const result = await query.executeTakeFirst()
      // Only new rows notify by themselves; the workers must hear of these too.
      if (result.numUpdatedRows > 0n) await sql`select pg_notify('threadbridge_outbox', '')`.execute(tx)
      return Number(result.numUpdatedRows)
    })
  }
}

/** Exponential backoff with ±20 % jitter, so retries from many jobs do not arrive in lockstep. */
export function backoff(attempt: number, policy: RetryPolicy, random = Math.random): number {
  const exponential = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempt - 1))
  return Math.round(exponential * (0.8 + 0.4 * random()))
}
