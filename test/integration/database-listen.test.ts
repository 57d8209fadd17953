import { sql } from 'kysely'
import { afterEach, describe, expect, it } from 'vitest'
import type { DatabaseHandle } from '../../src/db/open-database.ts'
import { eventually } from '../support/bridge-harness.ts'
import { createTestDatabase } from '../support/test-database.ts'

/**
 * LISTEN through a PostgreSQL server (DATABASE_URL): its connection can die with the server, and
 * the worker it wakes must not go deaf. The embedded database has no connection to lose.
 */
describe.runIf(process.env.DATABASE_URL)('LISTEN on a PostgreSQL server (DATABASE_URL)', () => {
  let handle: DatabaseHandle | undefined
  afterEach(async () => {
    await handle?.close()
  })

  it('hears notifications again after its connection was cut, and says it is back', async () => {
    handle = await createTestDatabase({ migrate: false })
    const db = handle.db
    const channel = `tb_listen_${process.pid}`
    const heard: string[] = []
    const stop = await handle.listen(channel, (payload) => heard.push(payload))
    await sql`select pg_notify(${channel}, 'before')`.execute(db)
    await eventually(
      async () => heard,
      (h) => h.includes('before'),
    )

    // What a server restart or a failover does to the listening connection.
    const cut = await sql<{ cut: boolean }>`
      select pg_terminate_backend(pid) as cut from pg_stat_activity
      where query = ${`listen "${channel}"`}`.execute(db)
    expect(cut.rows).toEqual([{ cut: true }])

    await eventually(
      async () => {
        await sql`select pg_notify(${channel}, 'after')`.execute(db)
        return heard
      },
      (h) => h.includes('after'),
    )
    // The '' is the "I was away, look again" call that follows a reconnection.
    expect(heard).toContain('')
    await stop()
  })
})
