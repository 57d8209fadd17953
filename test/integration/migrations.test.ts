import { sql } from 'kysely'
import { afterEach, describe, expect, it } from 'vitest'
import { migrateDown, migrateTo, migrateToLatest } from '../../src/db/migrate.ts'
import type { DatabaseHandle } from '../../src/db/open-database.ts'
import { createTestDatabase, targetName } from '../support/test-database.ts'

async function tableNames(handle: DatabaseHandle): Promise<string[]> {
  const result = await sql<{ table_name: string }>`
    select table_name from information_schema.tables
    where table_schema = current_schema() and table_name not like 'kysely_%'
    order by table_name`.execute(handle.db)
  return result.rows.map((row) => row.table_name)
}

describe(`migrations (${targetName})`, () => {
  let handle: DatabaseHandle | undefined
  afterEach(async () => {
    await handle?.close()
  })

  it('run up, all the way down, and up again', async () => {
    handle = await createTestDatabase({ migrate: false })
    expect(await tableNames(handle)).toEqual([])

    const up = await migrateToLatest(handle.db)
    expect(up.length).toBeGreaterThan(0)
    expect(up.every((result) => result.status === 'Success')).toBe(true)
    const tables = await tableNames(handle)
    expect(tables).toEqual(
      expect.arrayContaining([
        'communities',
        'discussions',
        'replies',
        'outbox',
        'processed_events',
        'message_links',
      ]),
    )

    await migrateDown(handle.db, { all: true })
    expect(await tableNames(handle)).toEqual([])

    await migrateToLatest(handle.db)
    expect(await tableNames(handle)).toEqual(tables)
  })

  it('are a no-op when the schema is already current', async () => {
    handle = await createTestDatabase()
    expect(await migrateToLatest(handle.db)).toEqual([])
  })

  it('keep platform ids namespaced: the same id on two platforms is two identities', async () => {
    handle = await createTestDatabase()
    const member = await handle.db
      .insertInto('members')
      .values({ display_name: 'x' })
      .returning('id')
      .executeTakeFirstOrThrow()
    const identity = { platform_user_id: '123', member_id: member.id, display_name: 'x', avatar_url: null }
    await handle.db
      .insertInto('identities')
      .values({ ...identity, platform: 'discord' })
      .execute()
    await handle.db
      .insertInto('identities')
      .values({ ...identity, platform: 'slack' })
      .execute()
    await expect(
      handle.db
        .insertInto('identities')
        .values({ ...identity, platform: 'slack' })
        .execute(),
    ).rejects.toThrow(/duplicate key/)
  })
  it('keep a refusal notice sent before notices had reasons as a non-member’s, and go back to one a discussion', async () => {
    const before = '2026-12-08T0000_backfilled-roles-revoked'
    const [jo, discussion] = ['00000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-000000000002']
    handle = await createTestDatabase({ migrate: false })
    const db = handle.db
    await migrateTo(db, before)
    await sql`insert into communities (id, name) values ('c', 'C')`.execute(db)
    await sql`insert into members (id, display_name) values (${jo}, 'jo')`.execute(db)
    await sql`insert into discussions (id, community_id, author_member_id, number, title, body, body_format)
      values (${discussion}, 'c', ${jo}, 1, 't', 'b', 'plain')`.execute(db)
    const notice = (reason?: string) =>
      reason === undefined
        ? sql`insert into non_member_notices (platform, platform_user_id, discussion_id)
            values ('slack', 'U0JO', ${discussion})`
        : sql`insert into non_member_notices (platform, platform_user_id, discussion_id, reason)
            values ('slack', 'U0JO', ${discussion}, ${reason})`
    await notice().execute(db)
    await migrateToLatest(db)
    await notice('banned').execute(db)
    await expect(notice('not_a_member').execute(db)).rejects.toThrow(/duplicate key/)
    const reasons = await sql<{
      reason: string
    }>`select reason from non_member_notices order by reason`.execute(db)
    expect(reasons.rows).toEqual([{ reason: 'banned' }, { reason: 'not_a_member' }])

    await migrateTo(db, before)
    const left = await sql`select platform_user_id from non_member_notices`.execute(db)
    expect(left.rows).toEqual([{ platform_user_id: 'U0JO' }])
  })
})
