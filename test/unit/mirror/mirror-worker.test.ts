import { afterEach, describe, expect, it } from 'vitest'
import { silentLogger } from '../../../src/logger.ts'
import { MirrorWorker, type MirrorWorkerOptions } from '../../../src/mirror/mirror-worker.ts'
import type { ClaimedJob } from '../../../src/mirror/outbox-queue.ts'
import { FakeWorkQueue } from '../../fakes/fake-work-queue.ts'
import { eventually } from '../../support/bridge-harness.ts'

describe('MirrorWorker', () => {
  const workers: MirrorWorker[] = []
  afterEach(async () => {
    for (const worker of workers.splice(0)) await worker.stop()
  })
  const start = async (
    queue: FakeWorkQueue,
    deliver: (id: string) => Promise<void>,
    renewLeasesEveryMs?: number,
  ) => {
    const worker = new MirrorWorker(
      queue,
      { deliver: (job) => deliver(job.id) },
      silentLogger,
      // No notification ever comes, as when the LISTEN connection died with the database.
      {
        concurrency: 2,
        listen: async () => async () => {},
        queueRetryMs: 10,
        idlePollMs: 60_000,
        ...(renewLeasesEveryMs === undefined ? {} : { renewLeasesEveryMs }),
      },
    )
    workers.push(worker)
    await worker.start()
    return worker
  }
  /**
   * A worker that hears the notifications the test sends: `notifier.notify()` is a new outbox
   * row's NOTIFY. `notifier` is the caller's, so hooks in `options` can send one too.
   */
  const startNotified = async (
    queue: FakeWorkQueue,
    deliver: (job: ClaimedJob) => Promise<void>,
    notifier: { notify: () => void },
    options: Partial<MirrorWorkerOptions> = {},
  ) => {
    const worker = new MirrorWorker(queue, { deliver }, silentLogger, {
      concurrency: 2,
      listen: async (onNotify) => {
        notifier.notify = onNotify
        return async () => {}
      },
      idlePollMs: 60_000,
      ...options,
    })
    workers.push(worker)
    await worker.start()
  }

  it('keeps looking at its queue after the database was away, without a notification to wake it', async () => {
    const queue = new FakeWorkQueue()
    queue.down = true
    const delivered: string[] = []
    await start(queue, async (id) => {
      delivered.push(id)
    })
    await eventually(
      async () => queue.claims,
      (claims) => claims >= 2,
    )
    queue.add('job-1')
    queue.down = false
    await eventually(
      async () => queue.completed,
      (done) => done.length === 1,
    )
    expect(delivered).toEqual(['job-1'])
  })

  it('survives not being able to record a job’s outcome: no crash, the lease decides', async () => {
    const queue = new FakeWorkQueue()
    queue.add('job-1')
    let deliveries = 0
    await start(queue, async () => {
      deliveries += 1
      queue.down = true // the database goes away mid-job: neither completion nor failure can be written
    })
    await eventually(
      async () => deliveries,
      (n) => n === 1,
    )
    await eventually(
      async () => queue.claims,
      (claims) => claims >= 3,
    )
    expect(queue.completed).toEqual([])
    expect(queue.failed).toEqual([])
    queue.down = false
  })

  it('renews the leases of the jobs it holds for as long as it holds them, and no longer', async () => {
    const queue = new FakeWorkQueue()
    queue.add('slow')
    queue.add('quick')
    const gates = new Map<string, () => void>()
    const held = (id: string) => new Promise<void>((resolve) => gates.set(id, resolve))
    await start(queue, (id) => (id === 'quick' ? Promise.resolve() : held(id)), 5)
    await eventually(
      async () => queue.completed,
      (done) => done.includes('quick'),
    )
    // Renewed again and again while the slow job waits; the quick one, done, is not.
    await eventually(
      async () => queue.renewals.filter((ids) => ids.join() === 'slow').length,
      (n) => n >= 3,
    )
    // The next job is claimed when the slow one is done (nothing else wakes this worker).
    queue.add('next')
    gates.get('slow')?.()
    await eventually(
      async () => queue.completed,
      (done) => done.includes('slow'),
    )
    // Held from when the slow one was let go: every renewal since names only the next one.
    await eventually(
      async () => queue.renewals.filter((ids) => ids.includes('next')).length,
      (n) => n >= 2,
    )
    const since = queue.renewals.findIndex((ids) => ids.includes('next'))
    expect(queue.renewals.slice(since).flat()).not.toContain('slow')
    gates.get('next')?.()
  })

  it('carries on an attempt under the new lease when its job is claimed again, never a second attempt', async () => {
    const queue = new FakeWorkQueue()
    queue.add('job-1')
    const deliveries: string[] = []
    let release = () => {}
    const held = new Promise<void>((resolve) => {
      release = resolve
    })
    const notifier = { notify: () => {} }
    await startNotified(
      queue,
      (job) => {
        deliveries.push(job.id)
        return held
      },
      notifier,
    )
    await eventually(
      async () => deliveries,
      (d) => d.length === 1,
    )
    // Its lease ran out unrenewed (a starved event loop), and this worker claims it again.
    const [first] = queue.claimedJobs
    queue.pending.push({ ...(first as ClaimedJob), leaseToken: 'lease-again', attempt: 2 })
    const claims = queue.claims
    notifier.notify()
    await eventually(
      async () => queue.claims,
      (n) => n > claims && queue.pending.length === 0,
    )
    release()
    await eventually(
      async () => queue.completedJobs,
      (done) => done.length === 1,
    )
    expect(deliveries).toEqual(['job-1'])
    expect(queue.completedJobs.map((job) => job.leaseToken)).toEqual(['lease-again'])
  })

  it('runs a job put back while its last attempt is still being reported, rather than taking it for that one', async () => {
    const queue = new FakeWorkQueue()
    queue.failOutcome = 'dead'
    queue.add('job-1')
    let deliveries = 0
    const notifier = { notify: () => {} }
    await startNotified(
      queue,
      async () => {
        deliveries += 1
        if (deliveries === 1) throw new Error('the channel is archived')
      },
      notifier,
      {
        // While moderators hear of the dead letter, one of them puts it back, and it is claimed.
        onDeadLetter: async (job) => {
          const claims = queue.claims
          queue.pending.push({ ...job, leaseToken: 'lease-again', attempt: 1 })
          notifier.notify()
          await eventually(
            async () => queue.claims,
            (n) => n > claims && queue.pending.length === 0,
          )
        },
      },
    )
    await eventually(
      async () => queue.completedJobs,
      (done) => done.length === 1,
    )
    expect(deliveries).toBe(2)
    expect(queue.completedJobs.map((job) => job.leaseToken)).toEqual(['lease-again'])
  })
})
