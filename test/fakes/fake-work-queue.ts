import type { WorkQueue } from '../../src/mirror/mirror-worker.ts'
import type { ClaimedJob } from '../../src/mirror/outbox-queue.ts'

/**
 * An outbox queue in memory, with an outage switch: while `down`, every call fails as a refused
 * database connection does. Records what was completed and failed.
 */
export class FakeWorkQueue implements WorkQueue {
  down = false
  readonly pending: ClaimedJob[] = []
  readonly completed: string[] = []
  /** Every job handed out by claim, and every job completed, as the worker passed them. */
  readonly claimedJobs: ClaimedJob[] = []
  readonly completedJobs: ClaimedJob[] = []
  readonly failed: { id: string; message: string }[] = []
  /** The ids of each renewal, in order. */
  readonly renewals: string[][] = []
  claims = 0
  /** What fail answers: retried later, or dead-lettered. */
  failOutcome: 'retry' | 'dead' = 'retry'

  add(id: string): void {
    this.pending.push({
      id,
      communityId: 'lightbulb-moment',
      discussionId: `d-${id}`,
      event: { type: 'discussion.created', discussionId: `d-${id}`, sourcePlatform: 'discord' },
      attempt: 1,
      leaseToken: `lease-${id}`,
      createdAt: new Date(),
    })
  }

  async claim(limit: number): Promise<ClaimedJob[]> {
    this.claims += 1
    this.check()
    const jobs = this.pending.splice(0, limit)
    this.claimedJobs.push(...jobs)
    return jobs
  }

  async complete(job: ClaimedJob): Promise<boolean> {
    this.check()
    this.completed.push(job.id)
    this.completedJobs.push({ ...job })
    return true
  }

  async fail(job: ClaimedJob, error: { message: string }): Promise<'retry' | 'dead'> {
    this.check()
    this.failed.push({ id: job.id, message: error.message })
    return this.failOutcome
  }

  async renew(jobs: readonly ClaimedJob[]): Promise<number> {
    this.check()
    this.renewals.push(jobs.map((job) => job.id))
    return jobs.length
  }

  async nextAvailableAt(): Promise<Date | undefined> {
    this.check()
    return undefined
  }

  private check(): void {
    if (this.down)
      throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' })
  }
}
