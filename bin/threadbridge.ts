/**
 * `npm start`: the composition root. Reads configuration, claims the data directory, opens and
 * migrates the database, serves health and metrics, connects to both platforms (or, with no
 * tokens at all, to the local sandbox emulators, which it starts), applies the configured
 * communities once both answered, then runs until Ctrl-C. Anything that stops it from bridging
 * ends start-up with one line, and has changed nothing in the database but its schema.
 */

import path from 'node:path'
import { SANDBOX_SIGNING_SECRET, type Sandbox, startSandbox } from '../sandbox/sandbox.ts'
import { postSeedContent } from '../sandbox/seed/post-seed-content.ts'
import type { Config } from '../src/config/load-config.ts'
import { checkSandboxStart } from '../src/config/sandbox-guard.ts'
import { unknownVariableWarnings } from '../src/config/unknown-variables.ts'
import { Core } from '../src/core.ts'
import { migrateToLatest } from '../src/db/migrate.ts'
import { BannedError, ThreadbridgeError } from '../src/errors.ts'
import { connectSharedRateStore, type SharedRateStore } from '../src/mirror/shared-rate-store.ts'
import { type Bridge, startBridge } from './bridge-runtime.ts'
import { BROKEN_PIPE_EXIT, onBrokenPipe } from './broken-pipe.ts'
import { exitWithError, openConfiguredDatabase } from './cli-support.ts'
import { checkPortsFree, type WantedPort } from './free-ports.ts'
import { type HttpServer, startHttpServer } from './http-server.ts'
import { createPrometheusMetrics } from './prometheus-metrics.ts'
import { checkReadiness } from './readiness.ts'

/** However a stop goes (a database or Redis that never answers goodbye), the process ends by then. */
const STOP_DEADLINE_MS = 8000
/** How long Redis may take to answer at start-up. */
const REDIS_CHECK_MS = 5000

// Ctrl-C while the database is still being opened (one that never answers, say) stops at once,
// saying so; once it is open, stop() below takes over and closes what was opened.
const stopEarly = () => {
  console.log('Threadbridge stopped before it had started.')
  process.exit(130)
}
process.on('SIGINT', stopEarly)
process.on('SIGTERM', stopEarly)
// Before anything is opened: a variable Threadbridge does not read is named (a misspelled token
// would otherwise start the sandbox without a word), and a sandbox where a real install's
// settings are is refused in one line.
const { config, logger, database } = await openConfiguredDatabase(process.env, 'always', (loaded) => {
  const notices = [...unknownVariableWarnings(process.env), ...checkSandboxStart(loaded, process.env)]
  for (const notice of notices) console.warn(`threadbridge: warning: ${notice}`)
})
process.off('SIGINT', stopEarly)
process.off('SIGTERM', stopEarly)
const prometheus = createPrometheusMetrics()
let http: HttpServer | undefined
let sandbox: Sandbox | undefined
let bridge: Bridge | undefined
let rateStore: SharedRateStore | undefined

/** Stops claiming, lets what is in flight finish (bounded), then closes every connection. */
async function shutDown(): Promise<void> {
  const quietly = (what: string) => (error: unknown) =>
    logger.warn(
      { reason: error instanceof Error ? error.message : String(error) },
      `${what} did not stop cleanly`,
    )
  await bridge?.stop().catch(quietly('the bridge'))
  await rateStore?.stop().catch(quietly('the rate-limit store'))
  await http?.close().catch(quietly('the health and metrics server'))
  await sandbox?.stop().catch(quietly('the sandbox'))
  await database.close().catch(quietly('the database'))
}

/** The hard deadline: unref'd, so it never keeps a process alive that has nothing left to do. */
function exitBy(deadlineMs: number): void {
  setTimeout(() => {
    console.error(
      `threadbridge: stopping took longer than ${deadlineMs / 1000} s; exiting without finishing it`,
    )
    process.exit(1)
  }, deadlineMs).unref()
}

let stopping = false
function stop(signal: string, exitCode = 0): void {
  if (stopping) process.exit(130) // A second Ctrl-C means "now".
  stopping = true
  logger.info({ signal }, 'stopping')
  exitBy(STOP_DEADLINE_MS)
  void shutDown().then(() => {
    console.log('Threadbridge stopped.')
    process.exit(exitCode)
  })
}
process.on('SIGINT', () => stop('SIGINT'))
process.on('SIGTERM', () => stop('SIGTERM'))
// Its output's reader gone (`npm start | head`): it stops as for Ctrl-C, connections closed, then
// ends as a program stopped by SIGPIPE.
onBrokenPipe(() => stop('SIGPIPE', BROKEN_PIPE_EXIT))

try {
  // Every port it listens on is taken or checked first: one held by something else ends start-up
  // before the database is migrated or the sandbox announced. Then the banner, before the rest.
  const served = await serveHttp()
  http = served.server
  await checkPortsFree(portsToListenOn())
  if (config.sandbox) printSandboxBanner()
  if (served.movedFrom !== undefined)
    logger.warn({ port: served.movedFrom }, 'the health and metrics port is taken; using a free one')
  console.log(`Health and metrics at ${http.url} (/healthz, /readyz, /metrics)`)
  // Before anything slow: a Redis that is not there is told in seconds.
  if (config.rateLimits.store === 'redis') {
    rateStore = connectSharedRateStore(config.rateLimits.url, logger)
    await rateStore.ready(REDIS_CHECK_MS)
  }
  const applied = await migrateToLatest(database.db)
  logger.info({ migrations: applied.map((m) => m.migrationName) }, 'database schema is up to date')
  const core = new Core(database.db)

  if (config.sandbox) {
    sandbox = await startSandbox({
      dataDir: config.dataDir,
      discordPort: config.sandbox.discordPort,
      slackPort: config.sandbox.slackPort,
      ...(config.sandbox.slack.mode === 'http' ? { slackSigningSecret: SANDBOX_SIGNING_SECRET } : {}),
    }).catch((error: unknown) => {
      // Taken since it was checked: said the same way.
      const code = (error as { code?: string }).code
      throw code === 'EADDRINUSE'
        ? new ThreadbridgeError(
            'config_invalid',
            `a sandbox port is already in use (${String((error as { port?: number }).port ?? '')}); set THREADBRIDGE_SANDBOX_DISCORD_PORT / THREADBRIDGE_SANDBOX_SLACK_PORT to a free one`,
          )
        : error
    })
  }
  const configured = sandbox ? [sandbox.community] : config.communities

  const discordToken = sandbox ? sandbox.tokens.discord : config.discord?.token
  const sandboxSlack = config.sandbox?.slack
  const slackTokens = sandbox
    ? sandboxSlack?.mode === 'http'
      ? {
          botToken: sandbox.tokens.slackBot,
          http: { signingSecret: SANDBOX_SIGNING_SECRET, port: sandboxSlack.httpPort, host: '127.0.0.1' },
        }
      : { botToken: sandbox.tokens.slackBot, appToken: sandbox.tokens.slackApp }
    : config.slack?.mode === 'http'
      ? {
          botToken: config.slack.botToken,
          http: { signingSecret: config.slack.signingSecret, port: config.slack.httpPort },
        }
      : config.slack?.appToken
        ? { botToken: config.slack.botToken, appToken: config.slack.appToken }
        : undefined
  bridge = await startBridge({
    database,
    core,
    logger,
    spoolDir: path.join(config.dataDir, 'inbound-spool'),
    vacuum: { delayMs: config.vacuumDelayMs },
    rateStore,
    metrics: prometheus.metrics,
    discord: discordToken
      ? { token: discordToken, apiUrl: sandbox?.discord.apiUrl ?? config.discord?.apiUrl }
      : undefined,
    slack: slackTokens
      ? { ...slackTokens, apiUrl: sandbox?.slack.apiUrl ?? config.slack?.apiUrl }
      : undefined,
    // Once both platforms answered, and not before: a start that fails changes nothing.
    prepare: () => applyConfiguration(core, configured, sandbox),
  })
  const running = bridge
  // The sandbox's Slack is told its Request URL once the app listens, as an admin pastes it.
  const sandboxEvents =
    sandbox?.slack.http && bridge.slackHttpPort !== undefined
      ? `http://127.0.0.1:${bridge.slackHttpPort}/slack/events`
      : undefined
  if (sandbox?.slack.http && sandboxEvents) sandbox.slack.http.requestUrl = sandboxEvents
  prometheus.setSources({ outbox: () => running.queue.depth(), spoolDepth: () => running.spoolDepth() })
  const { discord } = bridge

  console.log(
    sandbox
      ? 'Threadbridge is running in the sandbox (no DISCORD_TOKEN or SLACK_BOT_TOKEN was found): local emulators, not Discord or Slack.'
      : 'Threadbridge is running.',
  )
  console.log(
    `  database:    ${database.kind === 'embedded' ? 'embedded PostgreSQL' : 'PostgreSQL'} at ${database.location}`,
  )
  console.log(
    `  rate limits: ${rateStore ? 'shared through Redis (REDIS_URL)' : 'counted in this process (set REDIS_URL to share them between processes)'}`,
  )
  console.log(
    // What this start runs, as configured: the database also keeps communities no longer listed.
    `  communities: ${configured.map((c) => c.name).join(', ')} (from ${sandbox ? 'the sandbox' : config.configSource})`,
  )
  console.log(`  health:      ${http.url}/readyz, metrics at ${http.url}/metrics`)
  if (sandbox) {
    console.log(`  Discord:     sandbox at ${sandbox.discord.url} (connected as ${discord?.user?.username})`)
    console.log(
      `  Slack:       sandbox at ${sandbox.slack.url} (connected as ${sandbox.slack.state.botUser.name}${sandboxEvents ? `, over HTTP: signed requests to ${sandboxEvents}, signing secret "${SANDBOX_SIGNING_SECRET}"` : ', over Socket Mode'})`,
    )
    console.log(
      `  Act as a person through the control API: curl ${sandbox.discord.url}/_sandbox/state (see docs/sandbox.md)`,
    )
  } else {
    // Both are connected by now: configuration refuses one without the other, and a platform
    // that refused or could not be reached ended start-up.
    console.log(`  Discord:     connected as ${discord?.user?.username}`)
    console.log(
      `  Slack:       ${bridge.slackHttpPort === undefined ? 'connected (Socket Mode)' : `serving /slack/events on port ${bridge.slackHttpPort}`}`,
    )
  }
  console.log('Press Ctrl-C to stop.')

  if (sandbox?.firstStart) {
    await postSeedContent(sandbox, (message) => logger.info({}, message))
    await sandbox.save()
  }
} catch (error) {
  // A signal during start-up is already stopping everything; what failed because of it is no news.
  if (!stopping) {
    stopping = true
    exitBy(STOP_DEADLINE_MS)
    await shutDown()
    exitWithError(error)
  }
}

/** The health server, and the port it was asked for when it had to take another (said after the banner). */
async function serveHttp(): Promise<{ server: HttpServer; movedFrom?: number }> {
  const endpoints = {
    readiness: () => checkReadiness(database, bridge?.connected),
    metrics: () => prometheus.scrape(),
  }
  try {
    return { server: await startHttpServer(config.http, endpoints) }
  } catch (error) {
    // A newcomer's `npm start` must not fail because something else has port 3000: with the
    // sandbox and the port left to its default, take a free one and say where. A deployment
    // (tokens set) or a port asked for by name fails in one line instead: probes expect it there.
    const defaulted = (process.env.THREADBRIDGE_HTTP_PORT ?? '') === ''
    if (!(error instanceof ThreadbridgeError) || !config.sandbox || !defaulted) throw error
    return {
      server: await startHttpServer({ ...config.http, port: 0 }, endpoints),
      movedFrom: config.http.port,
    }
  }
}

/** The ports start-up listens on besides the health server's: the emulators', and Slack's in HTTP mode. */
function portsToListenOn(): WantedPort[] {
  const slackHttp = (port: number, host?: string): WantedPort => ({
    port,
    host,
    taken: (p) =>
      `the port for Slack's requests is already in use (${p}); set THREADBRIDGE_SLACK_HTTP_PORT to a free one`,
  })
  const sandboxPort = (port: number, setting: string): WantedPort => ({
    port,
    host: '127.0.0.1',
    taken: (p) => `a sandbox port is already in use (${p}); set ${setting} to a free one`,
  })
  if (config.sandbox === null) return config.slack?.mode === 'http' ? [slackHttp(config.slack.httpPort)] : []
  return [
    sandboxPort(config.sandbox.discordPort, 'THREADBRIDGE_SANDBOX_DISCORD_PORT'),
    sandboxPort(config.sandbox.slackPort, 'THREADBRIDGE_SANDBOX_SLACK_PORT'),
    ...(config.sandbox.slack.mode === 'http' ? [slackHttp(config.sandbox.slack.httpPort, '127.0.0.1')] : []),
  ]
}

/** Says loudly, before anything else it prints, that this is the sandbox and why: no token was found. */
function printSandboxBanner(): void {
  const rule = '='.repeat(78)
  console.warn(
    [
      rule,
      '  SANDBOX: no DISCORD_TOKEN or SLACK_BOT_TOKEN was found, so Threadbridge runs against',
      '  local emulators of Discord and Slack. Nothing here reaches discord.com or slack.com.',
      '  To bridge a real community, set the tokens (docs/install-discord.md, docs/install-slack.md).',
      rule,
    ].join('\n'),
  )
}

/**
 * The start's last check and its first write, run once both platforms answered: a refused token
 * is the first thing an admin hears, and a start that fails has applied nothing.
 */
async function applyConfiguration(
  core: Core,
  communities: Config['communities'],
  sandbox: Sandbox | undefined,
): Promise<void> {
  // Tokens that work but nothing bridged would answer health checks and mirror nothing.
  if (!sandbox && !communities.some((c) => c.discord !== undefined && c.slack !== undefined))
    throw new ThreadbridgeError(
      'config_invalid',
      `no community is bridged to both a Discord and a Slack channel (communities from ${config.configSource}): set THREADBRIDGE_CONFIG to a file naming them (docs/configuration.md)`,
    )
  warnOfConfigurationChanges(await core.applyConfig(communities))
  if (sandbox === undefined) return
  // The sandbox's people are members from the start; one a moderator banned stays banned.
  for (const member of sandbox.members)
    await core.memberships.join(sandbox.community.id, member).catch((error: unknown) => {
      if (!(error instanceof BannedError)) throw error
    })
}

/**
 * What applying the configuration changed that an admin should hear of: a moderator it names but a
 * moderator banned (left banned), and what it took back or gave back.
 */
function warnOfConfigurationChanges(applied: Awaited<ReturnType<Core['applyConfig']>>): void {
  for (const { communityId, platform, userId } of applied.bannedModerators)
    logger.warn(
      { community: communityId, platform, user: userId },
      'a moderator named in the configuration is banned there, so is not made a moderator: lift the ban (/unban) or take them out of the configuration',
    )
  // What the configuration no longer gives is taken back at each start; the audit says so too.
  for (const { communityId, accounts } of applied.revoked.moderators)
    logger.warn(
      { community: communityId, accounts: accounts.map((a) => `${a.platform}:${a.userId}`) },
      'a moderator the configuration no longer names is a moderator no more (appointed moderators keep their role)',
    )
  for (const communityId of applied.revoked.unbridged)
    logger.warn(
      { community: communityId },
      'a community no longer in the configuration is no longer bridged: its discussions and members are kept, and listing it again bridges it again',
    )
  // And what it gives back after taking it, so the log tells the whole story, as the audit does.
  for (const { communityId, accounts } of applied.restored.moderators)
    logger.warn(
      { community: communityId, accounts: accounts.map((a) => `${a.platform}:${a.userId}`) },
      'a moderator the configuration names again is a moderator again',
    )
  for (const communityId of applied.restored.rebridged)
    logger.warn({ community: communityId }, 'a community in the configuration again is bridged again')
}
