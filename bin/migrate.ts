/**
 * `npm run migrate` brings the schema up to date; `npm run migrate -- down` undoes the last step.
 * Uses the same DATABASE_URL (or embedded data directory) as `npm start`.
 */
import { migrateDown, migrateToLatest } from '../src/db/migrate.ts'
import { exitWithError, openConfiguredDatabase } from './cli-support.ts'

const direction = process.argv[2] ?? 'latest'
if (direction !== 'latest' && direction !== 'down') {
  console.error(`threadbridge: unknown migrate direction "${direction}"; expected "latest" or "down"`)
  process.exit(2)
}

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
