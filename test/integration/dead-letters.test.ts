import { sql } from 'kysely'
import { beforeEach, describe, expect, it } from 'vitest'
import { systemClock } from '../../src/clock.ts'
import { DEFAULT_RETRY_POLICY, OutboxQueue } from '../../src/mirror/outbox-queue.ts'
import { eventually } from '../support/bridge-harness.ts'
import { useCore } from '../support/core-fixture.ts'
import { jo, lightbulb } from '../support/people.ts'
import { targetName } from '../support/test-database.ts'

describe(`dead letters put back once their cause is gone (${targetName})`, () => {
  const t = useCore()
  beforeEach(async () => {
    await t.core.memberships.join(lightbulb.id, jo)
  })

  const deadWith = async (title: string, lastError: string) => {
    const discussion = await t.core.discussions.start({
      communityId: lightbulb.id,
      author: jo,
      title,
      body: title,
      format: 'discord',
    })
    await sql`update outbox set status = 'dead', last_error = ${lastError}
      where payload->>'discussionId' = ${discussion.id}`.execute(t.handle.db)
    return discussion.id
  }

  it('requeues only the community’s jobs that failed for that reason, and wakes the workers', async () => {
    const archived = await deadWith('one', 'slack: is_archived')
    const other = await deadWith('two', 'slack: channel_not_found')
    // LIKE's wildcards in a reason are taken literally, not as patterns.
    const lookalike = await deadWith('three', 'slack: isXarchived')
    const heard: string[] = []
    const unlisten = await t.handle.listen('threadbridge_outbox', (payload) => heard.push(payload))

    const queue = new OutboxQueue(t.handle.db, systemClock, { leaseMs: 60_000, retry: DEFAULT_RETRY_POLICY })
    expect(await queue.retryDeadFailedWith('another-community', 'slack: is_archived')).toBe(0)
    expect(await queue.retryDeadFailedWith(lightbulb.id, 'slack: is_archived')).toBe(1)
    await eventually(
      async () => heard,
      (h) => h.includes(''),
    )
    await unlisten()

    const rows = await t.handle.db
      .selectFrom('outbox')
      .select([sql<string>`payload->>'discussionId'`.as('discussion'), 'status', 'attempts'])
      .execute()
    const statusOf = (id: string) => rows.find((r) => r.discussion === id)
    expect(statusOf(archived)).toMatchObject({ status: 'pending', attempts: 0 })
    expect(statusOf(other)?.status).toBe('dead')
    expect(statusOf(lookalike)?.status).toBe('dead')
  })
})
