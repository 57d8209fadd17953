/**
 * `npm run backfill -- --since 30d`: mirrors what was written in the bridged channels before the
 * bridge saw it (threads opened since then, with their replies), oldest first, through the same
 * decisions, rules and outbox as live events, then waits until the outbox has delivered it all.
 * Stopped or killed, it is run again: nothing is mirrored twice. docs/backfill.md says when it
 * may run beside the bot.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { parseArgs } from 'node:util'
import pino from 'pino'
import { isTransientDiscordFailure } from '../adapters/discord/discord-errors.ts'
import { DiscordHistory } from '../adapters/discord/discord-history.ts'
import { isTransientSlackFailure } from '../adapters/slack/slack-errors.ts'
import { SlackHistory } from '../adapters/slack/slack-history.ts'
import { Backfill } from '../src/backfill/backfill.ts'
import type { HistoryReader } from '../src/backfill/history-reader.ts'
import { parseSince } from '../src/backfill/parse-since.ts'
import { Core } from '../src/core.ts'
import { migrateToLatest } from '../src/db/migrate.ts'
import { ValidationError } from '../src/errors.ts'
import { isTransientFailure } from '../src/inbound/transient-failure.ts'
import { connectSharedRateStore, type SharedRateStore } from '../src/mirror/shared-rate-store.ts'
import { BackfillProgressView } from './backfill-progress.ts'
import { type Bridge, startBridge } from './bridge-runtime.ts'
import { createLogger, exitWithError, openConfiguredDatabase } from './cli-support.ts'

const USAGE = 'usage: npm run backfill -- --since <30d | 12h | 2025-01-31>'
/** How often the outbox is looked at while it drains. */
const DRAIN_POLL_MS = 250

export interface BackfillRunOptions {
  /** The arguments after the command: `['--since', '30d']`. */
  argv: readonly string[]
  env?: NodeJS.ProcessEnv
  /** Matches a sandbox whose limits were scaled up (tests); 1, the platforms' real limits, otherwise. */
  rateLimitScale?: number
  /** How long a claimed outbox job is this process's (default 60 s); tests shorten what a killed run leaves. */
  leaseMs?: number
  out?: NodeJS.WriteStream
}

/**
 * Runs one backfill and resolves to the process's exit code: 0 done, 2 a bad argument (one line,
 * no stack trace). Failures of settings, database or platforms end the process with one line, as
 * `npm start` does (exitWithError).
 */
export async function runBackfill(options: BackfillRunOptions): Promise<number> {
  const out = options.out ?? process.stdout
  const env = options.env ?? process.env
  let since: Date
  try {
    since = parseSince(sinceArgument(options.argv), new Date())
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error
    console.error(`threadbridge backfill: ${error.message} (${USAGE})`)
    return 2
  }
  // On the embedded database the data directory is claimed (the bot must be stopped: it holds the
  // database); on a PostgreSQL server it is not, and the backfill runs beside the bot.
  const { config, database } = await openConfiguredDatabase(env, 'embedded')
  if (config.sandbox) {
    await database.close()
    console.error(
      'threadbridge backfill: it reads the platforms through their tokens (DISCORD_TOKEN and the Slack tokens); the sandbox lives inside `npm start`, where it needs no backfill',
    )
    return 2
  }
  // Logs go to stderr: stdout is the progress, for a person or for whatever reads it.
  const logger = createLogger(config.logLevel, pino.destination({ fd: 2, sync: true }))
  const spoolDir = mkdtempSync(path.join(tmpdir(), 'threadbridge-backfill-'))
  const view = new BackfillProgressView(out, out.isTTY === true)
  let bridge: Bridge | undefined
  let rateStore: SharedRateStore | undefined
  const started = Date.now()
  const stop = async () => {
    await bridge?.stop().catch(() => {})
    await rateStore?.stop().catch(() => {})
    await database.close().catch(() => {})
    rmSync(spoolDir, { recursive: true, force: true })
  }
  process.once('SIGINT', () => void stop().then(() => process.exit(130)))
  process.once('SIGTERM', () => void stop().then(() => process.exit(143)))
  try {
    if (config.rateLimits.store === 'redis') {
      rateStore = connectSharedRateStore(config.rateLimits.url, logger)
      await rateStore.ready(5000)
    }
    await migrateToLatest(database.db)
    const core = new Core(database.db)
    const slack = config.slack
    bridge = await startBridge({
      database,
      core,
      logger,
      spoolDir,
      receive: false,
      rateStore,
      rateLimitScale: options.rateLimitScale ?? 1,
      ...(options.leaseMs ? { leaseMs: options.leaseMs } : {}),
      digests: { schedule: false },
      vacuum: { schedule: false },
      discord: config.discord ?? undefined,
      slack: slack ? { botToken: slack.botToken, apiUrl: slack.apiUrl } : undefined,
      // Once both platforms answered: a backfill that cannot reach one changes nothing.
      prepare: async () => {
        await core.applyConfig(config.communities)
      },
    })
    const { queue } = bridge
    const readers: HistoryReader[] = []
    if (bridge.discord) readers.push(new DiscordHistory(bridge.discord))
    if (bridge.slack) readers.push(new SlackHistory(bridge.slack.client))
    const backfill = new Backfill({
      core,
      decisions: bridge.decisions,
      readers,
      onProgress: (progress) => view.applied(progress),
      pendingJobs: async () => (await queue.depth()).pending,
      isTransient: (error) =>
        isTransientFailure(error) || isTransientDiscordFailure(error) || isTransientSlackFailure(error),
    })
    const counts = await backfill.run(since)
    // Delivered by this process's worker, and by the bot's when it runs beside: done when nothing waits.
    for (;;) {
      const { pending } = await bridge.queue.depth()
      view.delivering(pending)
      if (pending === 0) break
      await new Promise((resolve) => setTimeout(resolve, DRAIN_POLL_MS))
    }
    view.summary(counts, Math.round((Date.now() - started) / 1000))
  } catch (error) {
    await stop()
    exitWithError(error)
  }
  await stop()
  return 0
}

function sinceArgument(argv: readonly string[]): string {
  let values: { since?: string | undefined }
  try {
    ;({ values } = parseArgs({
      args: [...argv],
      options: { since: { type: 'string' } },
      strict: true,
      allowPositionals: false,
    }))
  } catch (error) {
    throw new ValidationError(error instanceof Error ? error.message : String(error))
  }
  if (values.since === undefined) throw new ValidationError('--since is required')
  return values.since
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href)
  process.exit(await runBackfill({ argv: process.argv.slice(2) }))
