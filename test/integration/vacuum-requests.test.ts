import { randomBytes } from 'node:crypto'
import { sql } from 'kysely'
import { beforeEach, describe, expect, it } from 'vitest'
import { requestVacuum } from '../../src/erasure/request-vacuum.ts'
import { vacuumRequested } from '../../src/erasure/vacuum-requested.ts'
import { useCore } from '../support/core-fixture.ts'
import { databaseFilesDir, filesHolding } from '../support/find-text.ts'
import { jo, lightbulb, mark } from '../support/people.ts'
import { targetName } from '../support/test-database.ts'

describe(`vacuum requests (${targetName})`, () => {
  const t = useCore()
  beforeEach(async () => {
    await t.core.memberships.join(lightbulb.id, jo)
  })
  const requests = () =>
    t.handle.db.selectFrom('vacuum_requests').select('table_name').orderBy('table_name').execute()
  const start = () =>
    t.core.discussions.start({
      communityId: lightbulb.id,
      author: jo,
      title: 'Something to regret',
      body: 'Words that will go.',
      format: 'plain',
    })

  it('are asked for by every deletion and edit, once per table and transaction', async () => {
    const discussion = await start()
    const reply = await t.core.replies.post({
      discussionId: discussion.id,
      author: jo,
      body: 'A reply',
      format: 'plain',
    })
    expect(await requests()).toEqual([])
    await t.core.replies.edit({ replyId: reply.id, editor: jo, body: 'A better reply' })
    await t.core.discussions.edit({ discussionId: discussion.id, editor: jo, body: 'Better words.' })
    expect(await requests()).toEqual([{ table_name: 'discussions' }, { table_name: 'replies' }])
    await t.core.replies.delete({ replyId: reply.id, actor: mark })
    await t.core.discussions.delete({ discussionId: discussion.id, actor: mark })
    expect((await requests()).map((r) => r.table_name)).toEqual([
      'attachments',
      'attachments',
      'discussions',
      'discussions',
      'replies',
      'replies',
    ])
    // One transaction asking again and again (an erasure purging many replies) is one row a table.
    await t.handle.db.transaction().execute(async (tx) => {
      for (let i = 0; i < 50; i += 1) await requestVacuum(tx, ['replies', 'identities', 'replies'])
    })
    expect((await requests()).filter((r) => r.table_name !== 'attachments')).toHaveLength(6)
  })

  it('vanish with a transaction that rolls back', async () => {
    await t.handle.db
      .transaction()
      .execute(async (tx) => {
        await requestVacuum(tx, ['replies'])
        throw new Error('rolled back')
      })
      .catch(() => {})
    expect(await requests()).toEqual([])
  })

  it('wait for their delay, then are served all at once, one rewrite a table', async () => {
    const discussion = await start()
    await t.core.discussions.delete({ discussionId: discussion.id, actor: jo })
    expect(await vacuumRequested(t.handle, { delayMs: 3_600_000 })).toBeUndefined()
    expect(await requests()).toHaveLength(2)
    await t.handle.db.transaction().execute((tx) => requestVacuum(tx, ['subscriptions']))
    expect(await vacuumRequested(t.handle, { delayMs: 0 })).toEqual({
      tables: ['attachments', 'discussions', 'subscriptions'],
      deferred: [],
      requests: 3,
    })
    expect(await requests()).toEqual([])
    expect(await vacuumRequested(t.handle, { delayMs: 0 })).toBeUndefined()
  })

  it('serves a burst of tens of thousands of requests in one run', async () => {
    // Each deletion by a different person is its own transaction, so its own row: more rows
    // than a statement can take parameters.
    await sql`
      insert into vacuum_requests (table_name, xact)
      select 'replies', g::text::xid8 from generate_series(1, 70000) g`.execute(t.handle.db)
    expect(await vacuumRequested(t.handle, { delayMs: 0 })).toEqual({
      tables: ['replies'],
      deferred: [],
      requests: 70_000,
    })
    expect(await requests()).toEqual([])
  })

  // One connection cannot hold a snapshot beside another's work: the embedded database has one.
  describe.runIf(process.env.DATABASE_URL)('with a snapshot held open on another connection', () => {
    it('serves no request that snapshot can still see, and serves it once the snapshot ends', async () => {
      const word = `zqheld${randomBytes(6).toString('hex')}`
      const discussion = await t.core.discussions.start({
        communityId: lightbulb.id,
        author: jo,
        title: 'Held open',
        body: `Words only an old snapshot sees: ${word}`,
        format: 'plain',
      })
      let release = () => {}
      const released = new Promise<void>((resolve) => {
        release = resolve
      })
      let holding = () => {}
      const held = new Promise<void>((resolve) => {
        holding = resolve
      })
      // A reader that began before the purge: its snapshot still sees the words.
      const reader = t.handle.db
        .transaction()
        .setIsolationLevel('repeatable read')
        .execute(async (tx) => {
          // Any statement takes the snapshot; reading another table holds no lock the rewrite waits for.
          await sql`select 1`.execute(tx)
          holding()
          await released
        })
      await held
      try {
        await t.core.discussions.delete({ discussionId: discussion.id, actor: jo })
        const whileHeld = await vacuumRequested(t.handle, { delayMs: 0 })
        expect(whileHeld?.tables).not.toContain('discussions')
        expect(whileHeld?.deferred).toContain('discussions')
        expect((await requests()).map((r) => r.table_name)).toContain('discussions')
      } finally {
        release()
        await reader
      }
      expect(await vacuumRequested(t.handle, { delayMs: 0 })).toMatchObject({
        tables: expect.arrayContaining(['discussions']),
        deferred: [],
      })
      expect(await requests()).toEqual([])
      await sql`checkpoint`.execute(t.handle.db)
      expect(filesHolding(await databaseFilesDir(t.handle, undefined), word)).toEqual([])
    })
  })
})
