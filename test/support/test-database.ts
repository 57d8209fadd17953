import { randomBytes } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import pg from 'pg'
import { inject } from 'vitest'
import { migrateToLatest } from '../../src/db/migrate.ts'
import { type DatabaseHandle, openDatabase } from '../../src/db/open-database.ts'

/**
 * A database of the test's own, on whichever PostgreSQL this run targets: the server named by
 * DATABASE_URL (a fresh database is created and dropped), or an embedded one in memory.
 * The same tests run against both; `.ci/run` runs them both ways.
 */
export async function createTestDatabase(
  options: {
    migrate?: boolean
    /** Embedded only: keep the files in this directory rather than in memory (tests that read them). */
    dataDir?: string
  } = {},
): Promise<DatabaseHandle> {
  const handle = process.env.DATABASE_URL
    ? await createServerDatabase(process.env.DATABASE_URL)
    : await createEmbedded(options.dataDir)
  if (options.migrate ?? true) await migrateToLatest(handle.db)
  return handle
}

export const targetName = process.env.DATABASE_URL ? 'postgres server' : 'embedded pglite'

async function createEmbedded(dataDir: string | undefined): Promise<DatabaseHandle> {
  const snapshot = await readFile(inject('pgliteSnapshot'))
  return openDatabase({ kind: 'embedded', dataDir, loadDataDir: new Blob([snapshot]) })
}

async function createServerDatabase(adminUrl: string): Promise<DatabaseHandle> {
  const name = `threadbridge_test_${randomBytes(6).toString('hex')}`
  const admin = new pg.Client({ connectionString: adminUrl })
  await admin.connect()
  try {
    await admin.query(`create database ${name}`)
  } finally {
    await admin.end()
  }
  const url = new URL(adminUrl)
  url.pathname = `/${name}`
  const handle = await openDatabase({ kind: 'postgres', url: url.toString() })
  return {
    ...handle,
    close: async () => {
      await handle.close()
      const cleanup = new pg.Client({ connectionString: adminUrl })
      await cleanup.connect()
      try {
        await cleanup.query(`drop database if exists ${name} with (force)`)
      } finally {
        await cleanup.end()
      }
    },
  }
}
