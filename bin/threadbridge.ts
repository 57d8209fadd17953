/**
 * `npm start`: the composition root. Reads configuration, opens and migrates the database,
 * applies the configured communities, connects to the platforms (or, with no tokens at all, to
 * the local sandbox emulators, which it starts), then runs until Ctrl-C.
 */

import path from 'node:path'
import { type Sandbox, startSandbox } from '../sandbox/sandbox.ts'
import { postSeedContent } from '../sandbox/seed/post-seed-content.ts'
import { Core } from '../src/core.ts'
import { migrateToLatest } from '../src/db/migrate.ts'
import { ThreadbridgeError } from '../src/errors.ts'
import { connectSharedRateStore, type SharedRateStore } from '../src/mirror/shared-rate-store.ts'
import { type Bridge, startBridge } from './bridge-runtime.ts'
import { exitWithError, openConfiguredDatabase } from './cli-support.ts'

const { config, logger, database } = await openConfiguredDatabase(process.env)
let sandbox: Sandbox | undefined
let bridge: Bridge | undefined
let rateStore: SharedRateStore | undefined

let stopping = false
async function stop(signal: string): Promise<void> {
  if (stopping) process.exit(130) // A second Ctrl-C means "now".
  stopping = true
  logger.info({ signal }, 'stopping')
  const quietly = (what: string) => (error: unknown) =>
    logger.warn({ err: error }, `${what} did not stop cleanly`)
  await bridge?.stop().catch(quietly('the bridge'))
  await rateStore?.stop().catch(quietly('the rate-limit store'))
  await sandbox?.stop().catch(quietly('the sandbox'))
  await database.close().catch(quietly('the database'))
  console.log('Threadbridge stopped.')
  process.exit(0)
}
process.on('SIGINT', () => void stop('SIGINT'))
process.on('SIGTERM', () => void stop('SIGTERM'))

try {
  const applied = await migrateToLatest(database.db)
  logger.info({ migrations: applied.map((m) => m.migrationName) }, 'database schema is up to date')
  const core = new Core(database.db)

  if (config.sandbox) {
    sandbox = await startSandbox({
      dataDir: config.dataDir,
      discordPort: config.sandbox.discordPort,
      slackPort: config.sandbox.slackPort,
    }).catch((error: unknown) => {
      const code = (error as { code?: string }).code
      throw code === 'EADDRINUSE'
        ? new ThreadbridgeError(
            'config_invalid',
            `a sandbox port is already in use (${String((error as { port?: number }).port ?? '')}); set THREADBRIDGE_SANDBOX_DISCORD_PORT / THREADBRIDGE_SANDBOX_SLACK_PORT`,
          )
        : error
    })
    await core.applyConfig([sandbox.community])
    for (const member of sandbox.members) await core.memberships.join(sandbox.community.id, member)
  } else {
    await core.applyConfig(config.communities)
  }

  const discordToken = sandbox ? sandbox.tokens.discord : config.discord?.token
  const slackTokens = sandbox
    ? { botToken: sandbox.tokens.slackBot, appToken: sandbox.tokens.slackApp }
    : config.slack?.mode === 'http'
      ? {
          botToken: config.slack.botToken,
          http: { signingSecret: config.slack.signingSecret, port: config.slack.httpPort },
        }
      : config.slack?.appToken
        ? { botToken: config.slack.botToken, appToken: config.slack.appToken }
        : undefined
  rateStore =
    config.rateLimits.store === 'redis' ? connectSharedRateStore(config.rateLimits.url, logger) : undefined
  bridge = await startBridge({
    database,
    core,
    logger,
    spoolDir: path.join(config.dataDir, 'inbound-spool'),
    rateStore,
    discord: discordToken ? { token: discordToken, apiUrl: sandbox?.discord.apiUrl } : undefined,
    slack: slackTokens ? { ...slackTokens, apiUrl: sandbox?.slack.apiUrl } : undefined,
  })
  const { discord, slack } = bridge

  const communities = await core.communities.list()
  console.log('Threadbridge is running.')
  console.log(
    `  database:    ${database.kind === 'embedded' ? 'embedded PostgreSQL' : 'PostgreSQL'} at ${database.location}`,
  )
  console.log(
    `  rate limits: ${rateStore ? 'shared through Redis (REDIS_URL)' : 'counted in this process (set REDIS_URL to share them between processes)'}`,
  )
  console.log(
    `  communities: ${communities.map((c) => c.name).join(', ')} (from ${sandbox ? 'the sandbox' : config.configSource})`,
  )
  if (sandbox) {
    console.log(`  Discord:     sandbox at ${sandbox.discord.url} (connected as ${discord?.user?.username})`)
    console.log(
      `  Slack:       sandbox at ${sandbox.slack.url} (connected as ${sandbox.slack.state.botUser.name})`,
    )
    console.log(
      `  Act as a person through the control API: curl ${sandbox.discord.url}/_sandbox/state (see docs/sandbox.md)`,
    )
  } else {
    console.log(
      `  Discord:     ${discord ? `connected as ${discord.user?.username}` : 'not configured (set DISCORD_TOKEN)'}`,
    )
    console.log(
      `  Slack:       ${slack ? (bridge.slackHttpPort === undefined ? 'connected (Socket Mode)' : `serving /slack/events on port ${bridge.slackHttpPort}`) : config.slack ? 'not connected (set SLACK_APP_TOKEN for Socket Mode)' : 'not configured (set SLACK_BOT_TOKEN and SLACK_APP_TOKEN)'}`,
    )
  }
  console.log('Press Ctrl-C to stop.')

  if (sandbox?.firstStart) {
    await postSeedContent(sandbox, (message) => logger.info({}, message))
    await sandbox.save()
  }
} catch (error) {
  await bridge?.stop().catch(() => {})
  await rateStore?.stop().catch(() => {})
  await sandbox?.stop().catch(() => {})
  await database.close().catch(() => {})
  exitWithError(error)
}

// With no platform connected (say, only a Slack bot token, no app token) nothing else holds the
// event loop open; the bot still runs, serving its database, until a signal stops it.
setInterval(() => {}, 1 << 30)
