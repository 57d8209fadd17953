import { describe, expect, it } from 'vitest'
import { DEFAULT_RETRY_POLICY, OutboxQueue } from '../../src/mirror/outbox-queue.ts'
import { useCore } from '../support/core-fixture.ts'
import { jo, lightbulb } from '../support/people.ts'
import { targetName } from '../support/test-database.ts'

describe(`outbox leases (${targetName})`, () => {
  const t = useCore()

  it('a renewed lease keeps a job its worker’s; an unrenewed one is claimed again', async () => {
    const queue = new OutboxQueue(t.handle.db, t.clock, { leaseMs: 60_000, retry: DEFAULT_RETRY_POLICY })
    const other = new OutboxQueue(t.handle.db, t.clock, { leaseMs: 60_000, retry: DEFAULT_RETRY_POLICY })
    await t.core.memberships.join(lightbulb.id, jo)
    for (const job of await queue.claim(10)) await queue.complete(job) // jo's joining
    for (const title of ['kept', 'lapsed'])
      await t.core.discussions.start({
        communityId: lightbulb.id,
        author: jo,
        title,
        body: title,
        format: 'discord',
      })
    const [kept, lapsed] = await queue.claim(10)
    expect([kept, lapsed].every(Boolean)).toBe(true)
    if (kept === undefined || lapsed === undefined) return

    t.clock.advance(40_000)
    expect(await queue.renew([kept])).toBe(1)
    t.clock.advance(40_000) // 80 s after the claim: the lapsed lease ended 20 s ago, the kept one runs on
    const taken = await other.claim(10)
    expect(taken.map((job) => job.id)).toEqual([lapsed.id])

    // The lapsed job is the other worker's now: renewing it under the old lease does nothing,
    // and neither does completing it.
    expect(await queue.renew([lapsed])).toBe(0)
    expect(await queue.complete(lapsed)).toBe(false)
    expect(await queue.complete(kept)).toBe(true)
    expect(await queue.renew([kept])).toBe(0) // done: nothing to renew
  })
})
