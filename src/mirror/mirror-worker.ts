import { type Clock, systemClock } from '../clock.ts'
import { asThreadbridgeError, DeliveryError, type ThreadbridgeError } from '../errors.ts'
import type { Logger } from '../logger.ts'
import { type Metrics, noMetrics } from '../metrics/metrics.ts'
import type { Platform } from '../platform/platform.ts'
import type { MirrorEngine } from './mirror-engine.ts'
import type { ClaimedJob, OutboxQueue } from './outbox-queue.ts'

const MIN_RECHECK_MS = 200

export interface MirrorWorkerOptions {
  /** Jobs worked on at once. Per-discussion order holds whatever this is. */
  concurrency: number
  /** Subscribes to new-outbox notifications; resolves to an unsubscribe function. */
  listen(onNotify: () => void): Promise<() => Promise<void>>
  /** A safety net for a lost notification; the happy path never waits for it. */
  idlePollMs?: number
  /** Called once for each job that is dead-lettered, with why: moderators should hear of it. */
  onDeadLetter?: (job: ClaimedJob, error: ThreadbridgeError) => Promise<void>
  /** The first wait after the queue itself could not be read (the database away); it doubles. */
  queueRetryMs?: number
  /** The queue's clock: a job's available time is in its terms. */
  clock?: Clock
  /** Counts outcomes, latency, rate limits. */
  metrics?: Metrics
  /**
   * How long a stop waits for jobs in flight (a platform call, a wait for the rate limiter)
   * before leaving them: their leases expire and the next start finds what they posted.
   */
  stopGraceMs?: number
  /**
   * How often the leases of jobs in flight are renewed (a third of the lease, say); never when
   * undefined. A job may wait longer than a lease at a rate limit, and must stay this worker's.
   */
  renewLeasesEveryMs?: number
}

/** What the worker needs of the outbox queue and the engine (fakes stand in for them in tests). */
export type WorkQueue = Pick<OutboxQueue, 'claim' | 'complete' | 'fail' | 'nextAvailableAt' | 'renew'>
export type JobDeliverer = Pick<MirrorEngine, 'deliver'>

/**
 * Drains the outbox into the mirror engine. Woken by LISTEN/NOTIFY (no polling delay on the happy
 * path), and by a timer for jobs backing off; each claimed job is completed or failed under its
 * lease, so a job another worker took over is never settled twice.
 */
export class MirrorWorker {
  private running = false
  private readonly inFlight = new Set<Promise<void>>()
  /** The jobs in flight by id, whose leases are renewed while they are worked on. */
  private readonly held = new Map<string, ClaimedJob>()
  private renewal: NodeJS.Timeout | undefined
  private unlisten: (() => Promise<void>) | undefined
  private timer: NodeJS.Timeout | undefined
  private pumping = false
  private pumpAgain = false
  private idleWaiters: (() => void)[] = []
  private queueFailures = 0

  constructor(
    private readonly queue: WorkQueue,
    private readonly engine: JobDeliverer,
    private readonly logger: Logger,
    private readonly options: MirrorWorkerOptions,
  ) {}

  async start(): Promise<void> {
    this.running = true
    this.unlisten = await this.options.listen(() => this.kick())
    const every = this.options.renewLeasesEveryMs
    if (every !== undefined) {
      this.renewal = setInterval(() => void this.renewLeases(), every)
      this.renewal.unref()
    }
    this.kick()
  }

  private async renewLeases(): Promise<void> {
    if (this.held.size === 0) return
    try {
      await this.queue.renew([...this.held.values()])
    } catch (error) {
      // The database is away: the next renewal tries again, and if none gets through, the lease
      // ends and another worker's retry finds what this one posted.
      this.logger.warn(
        { code: asThreadbridgeError(error).code, jobs: this.held.size },
        'could not renew the leases of jobs in flight',
      )
    }
  }

  async stop(): Promise<void> {
    this.running = false
    clearTimeout(this.timer)
    // A LISTEN connection to a database that is gone may never answer its goodbye.
    await this.within(this.options.stopGraceMs ?? 5000, this.unlisten?.() ?? Promise.resolve())
    const inFlight = this.inFlight.size
    const settled = await this.within(
      this.options.stopGraceMs ?? 5000,
      Promise.allSettled([...this.inFlight]),
    )
    clearInterval(this.renewal)
    if (!settled)
      this.logger.warn(
        { inFlight },
        'stopped without waiting for jobs in flight; they are retried after their lease',
      )
  }

  /** Whether `work` settled within `ms`; it is left running (unawaited) if not. */
  private async within(ms: number, work: Promise<unknown>): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined
    const late = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), ms)
    })
    try {
      return await Promise.race([
        work.then(
          () => true,
          () => true,
        ),
        late,
      ])
    } finally {
      clearTimeout(timer)
    }
  }

  /**
   * Resolves when nothing is claimable and nothing is in flight: for tests and benchmarks. It
   * waits on real events (a job finishing, a timer), never in a tight loop: the embedded database
   * answers through microtasks, and a loop of queries would starve every timer in the process.
   */
  async idle(): Promise<void> {
    for (;;) {
      if (this.inFlight.size > 0) {
        await Promise.race([...this.inFlight])
        continue
      }
      if (this.pumping) {
        await new Promise<void>((resolve) => this.idleWaiters.push(resolve))
        continue
      }
      const next = await this.queue.nextAvailableAt()
      const wait = next === undefined ? Number.POSITIVE_INFINITY : next.getTime() - this.now()
      if (wait > MIN_RECHECK_MS) return
      await new Promise<void>((resolve) => setTimeout(resolve, Math.max(10, wait)))
      this.kick()
    }
  }

  private kick(): void {
    if (!this.running) return
    if (this.pumping) {
      this.pumpAgain = true
      return
    }
    this.pumping = true
    void this.pump()
      .then(
        () => {
          this.queueFailures = 0
        },
        (error: unknown) => {
          // The queue could not be read (the database is away). No notification may come to wake
          // us (a LISTEN connection dies with its server), so look again later, less and less often.
          this.queueFailures += 1
          const retryMs = Math.min(
            30_000,
            (this.options.queueRetryMs ?? 1000) * 2 ** (this.queueFailures - 1),
          )
          this.logger.error(
            { code: asThreadbridgeError(error).code, reason: asThreadbridgeError(error).message, retryMs },
            'the mirror worker could not read its queue; it will look again',
          )
          clearTimeout(this.timer)
          this.timer = setTimeout(() => this.kick(), retryMs)
          this.timer.unref()
        },
      )
      .finally(() => {
        this.pumping = false
        if (this.pumpAgain) {
          this.pumpAgain = false
          this.kick()
        } else {
          this.wakeIdle()
        }
      })
  }

  private async pump(): Promise<void> {
    while (this.running) {
      const free = this.options.concurrency - this.inFlight.size
      if (free <= 0) return
      const jobs = await this.queue.claim(free)
      if (jobs.length === 0) break
      for (const job of jobs) {
        const running = this.held.get(job.id)
        if (running !== undefined) {
          // Claimed again while still being worked on here (its lease ended while this process
          // could not renew it): the attempt under way carries on under the new lease, rather
          // than a second attempt posting it again beside it.
          running.leaseToken = job.leaseToken
          continue
        }
        const work = this.run(job).finally(() => {
          this.inFlight.delete(work)
          this.kick()
        })
        this.inFlight.add(work)
      }
    }
    await this.scheduleNext()
  }

  private async scheduleNext(): Promise<void> {
    clearTimeout(this.timer)
    const next = await this.queue.nextAvailableAt()
    const poll = this.options.idlePollMs ?? 30_000
    // Jobs waiting behind an earlier job of their discussion are woken when it completes, not by
    // this timer; the floor keeps a blocked queue from being re-read in a tight loop.
    const wait = next === undefined ? poll : Math.max(MIN_RECHECK_MS, next.getTime() - this.now())
    this.timer = setTimeout(() => this.kick(), Math.min(wait, poll))
    this.timer.unref()
  }

  private async run(job: ClaimedJob): Promise<void> {
    this.held.set(job.id, job)
    try {
      try {
        await this.engine.deliver(job)
      } finally {
        // The attempt is over: a claim of this job from now on (a retry, a dead letter put back
        // while moderators are being told) is a new attempt to run, not this one's lease.
        this.held.delete(job.id)
      }
      // Wall-clock time, as the database's created_at is: an injected test clock is not.
      const posted = Date.now()
      if (!(await this.queue.complete(job)))
        this.logger.warn({ job: job.id }, 'lost the lease on a job before completing it')
      this.metrics.mirrorJob(sourceOf(job), 'mirrored', Math.max(0, posted - job.createdAt.getTime()) / 1000)
    } catch (caught) {
      const error = asThreadbridgeError(caught)
      if (error instanceof DeliveryError && error.retryAfterMs !== undefined)
        this.metrics.rateLimited(error.platform)
      const outcome = await this.queue
        .fail(job, {
          message: error.message,
          retryable: error.retryable || !(error instanceof DeliveryError),
          retryAfterMs: error instanceof DeliveryError ? error.retryAfterMs : undefined,
        })
        .catch((recordError: unknown) => {
          // Not even the failure could be written (the database is away): the job's lease will
          // expire and it will be tried again, and a delivery that landed is found, not repeated.
          this.logger.error(
            { job: job.id, reason: asThreadbridgeError(recordError).message },
            'could not record the outcome of a mirror job; it will be retried when its lease expires',
          )
          return 'unrecorded' as const
        })
      if (outcome === 'unrecorded') return
      this.metrics.mirrorJob(sourceOf(job), outcome === 'dead' ? 'dead_lettered' : 'retried')
      if (outcome === 'dead') {
        await this.options
          .onDeadLetter?.(job, error)
          .catch((alertError: unknown) =>
            this.logger.warn(
              { job: job.id, reason: String(alertError) },
              'could not report a dead-lettered job',
            ),
          )
      }
      const log = outcome === 'dead' ? this.logger.error : this.logger.warn
      log.call(
        this.logger,
        { job: job.id, type: job.event.type, attempt: job.attempt, code: error.code, reason: error.message },
        outcome === 'dead' ? 'mirror job dead-lettered' : 'mirror job will be retried',
      )
    }
  }

  private get metrics(): Metrics {
    return this.options.metrics ?? noMetrics
  }

  private now(): number {
    return (this.options.clock ?? systemClock).now().getTime()
  }

  private wakeIdle(): void {
    for (const wake of this.idleWaiters.splice(0)) wake()
  }
}

/** Where a job's content was written: its event's source platform, or `core` (a command, a digest). */
function sourceOf(job: ClaimedJob): Platform | 'core' {
  return ('sourcePlatform' in job.event ? job.event.sourcePlatform : null) ?? 'core'
}
