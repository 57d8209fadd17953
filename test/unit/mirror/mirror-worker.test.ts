import { afterEach, describe, expect, it } from 'vitest'
import { silentLogger } from '../../../src/logger.ts'
import { MirrorWorker } from '../../../src/mirror/mirror-worker.ts'
import { FakeWorkQueue } from '../../fakes/fake-work-queue.ts'
import { eventually } from '../../support/bridge-harness.ts'

describe('MirrorWorker', () => {
  const workers: MirrorWorker[] = []
  afterEach(async () => {
    for (const worker of workers.splice(0)) await worker.stop()
  })
  const start = async (queue: FakeWorkQueue, deliver: (id: string) => Promise<void>) => {
    const worker = new MirrorWorker(
      queue,
      { deliver: (job) => deliver(job.id) },
      silentLogger,
      // No notification ever comes, as when the LISTEN connection died with the database.
      { concurrency: 2, listen: async () => async () => {}, queueRetryMs: 10, idlePollMs: 60_000 },
    )
    workers.push(worker)
    await worker.start()
    return worker
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
})
