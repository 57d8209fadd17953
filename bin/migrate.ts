/**
 * `threadbridge migrate` (`npm run migrate`) brings the schema up to date; `threadbridge migrate
 * down` undoes the last step. Uses the same DATABASE_URL (or embedded data directory) as `start`.
 */
import { migrateDown, migrateToLatest } from '../src/db/migrate.ts'
import { exitWithError, openConfiguredDatabase } from './cli-support.ts'

/** Which way to move the schema: to the newest step, or one step back. */
export type MigrateDirection = 'latest' | 'down'

export async function migrate(direction: MigrateDirection): Promise<void> {
  const { database } = await openConfiguredDatabase(process.env, 'embedded')
  try {
    const results = direction === 'down' ? await migrateDown(database.db) : await migrateToLatest(database.db)
    if (results.length === 0) console.log('Nothing to do: the schema is already where it should be.')
    for (const result of results)
      console.log(`${result.direction === 'Up' ? 'applied' : 'reverted'} ${result.migrationName}`)
  } catch (error) {
    await database.close().catch(() => {})
    exitWithError(error)
  }
  await database.close()
}
