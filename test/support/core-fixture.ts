import { sql } from 'kysely'
import { afterAll, beforeAll, beforeEach } from 'vitest'
import { Core } from '../../src/core.ts'
import type { DatabaseHandle } from '../../src/db/open-database.ts'
import { FakeClock } from '../fakes/fake-clock.ts'
import { lightbulb } from './people.ts'
import { createTestDatabase } from './test-database.ts'

export interface CoreFixture {
  handle: DatabaseHandle
  core: Core
  clock: FakeClock
}

/**
 * One migrated database per test file, emptied before each test, with the seed community
 * configured (mark moderates it). Each test starts from the same state and runs the real SQL.
 */
export function useCore(): CoreFixture {
  const fixture = {} as CoreFixture
  beforeAll(async () => {
    fixture.handle = await createTestDatabase()
  })
  afterAll(async () => {
    await fixture.handle?.close()
  })
  beforeEach(async () => {
    const tables = await sql<{ table_name: string }>`
      select table_name from information_schema.tables
      where table_schema = current_schema() and table_name not like 'kysely_%'`.execute(fixture.handle.db)
    await sql
      .raw(`truncate ${tables.rows.map((row) => `"${row.table_name}"`).join(', ')} cascade`)
      .execute(fixture.handle.db)
    fixture.clock = new FakeClock()
    fixture.core = new Core(fixture.handle.db, fixture.clock)
    await fixture.core.applyConfig([lightbulb])
  })
  return fixture
}

/** Outbox rows as the mirror engine will see them, oldest first. */
export async function outboxEvents(handle: DatabaseHandle) {
  const rows = await handle.db.selectFrom('outbox').select(['event_type', 'payload']).orderBy('id').execute()
  return rows.map((row) => row.payload as { type: string; [key: string]: unknown })
}
