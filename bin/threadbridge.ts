/**
 * `npm start`: the composition root. Reads configuration, opens and migrates the database,
 * applies the configured communities, then runs until Ctrl-C.
 */
import { Core } from '../src/core.ts'
import { migrateToLatest } from '../src/db/migrate.ts'
import { exitWithError, openConfiguredDatabase } from './cli-support.ts'

const { config, logger, database } = await openConfiguredDatabase(process.env)

let stopping = false
async function stop(signal: string): Promise<void> {
  if (stopping) {
    // A second Ctrl-C means "now": do not wait for the database to close.
    process.exit(130)
  }
  stopping = true
  logger.info({ signal }, 'stopping')
  await database.close().catch((error: unknown) => logger.warn({ err: error }, 'closing the database failed'))
  console.log('Threadbridge stopped.')
  process.exit(0)
}
process.on('SIGINT', () => void stop('SIGINT'))
process.on('SIGTERM', () => void stop('SIGTERM'))

try {
  const applied = await migrateToLatest(database.db)
  logger.info({ migrations: applied.map((m) => m.migrationName) }, 'database schema is up to date')
  const core = new Core(database.db)
  await core.applyConfig(config.communities)

  const communities = await core.communities.list()
  console.log(`Threadbridge is running.`)
  console.log(
    `  database:    ${database.kind === 'embedded' ? 'embedded PostgreSQL' : 'PostgreSQL'} at ${database.location}`,
  )
  console.log(`  communities: ${communities.map((c) => c.name).join(', ')} (from ${config.configSource})`)
  console.log(
    `  Discord:     ${config.discord ? 'token set; the Discord adapter is not built yet' : 'not configured (set DISCORD_TOKEN)'}`,
  )
  console.log(
    `  Slack:       ${config.slack ? 'token set; the Slack adapter is not built yet' : 'not configured (set SLACK_BOT_TOKEN and SLACK_APP_TOKEN)'}`,
  )
  console.log('Press Ctrl-C to stop.')
} catch (error) {
  await database.close().catch(() => {})
  exitWithError(error)
}

// Nothing else holds the event loop open until the adapters exist; keep running until a signal.
setInterval(() => {}, 1 << 30)
