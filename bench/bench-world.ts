import { randomBytes } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import pg from 'pg'
import { type Bridge, startBridge } from '../bin/bridge-runtime.ts'
import { type Sandbox, startSandbox } from '../sandbox/sandbox.ts'
import { Core } from '../src/core.ts'
import { migrateToLatest } from '../src/db/migrate.ts'
import { type DatabaseHandle, type DatabaseObserver, openDatabase } from '../src/db/open-database.ts'
import type { Logger } from '../src/logger.ts'
import { connectSharedRateStore, type SharedRateStore } from '../src/mirror/shared-rate-store.ts'

/** The whole bot as `npm start` runs it in sandbox mode, in this process, on a database of its own. */
export interface BenchWorld {
  database: DatabaseHandle
  sandbox: Sandbox
  core: Core
  bridge: Bridge
  rateStore: SharedRateStore | undefined
  /** What the bot logged at warn or error level: a run that retried or gave up says so. */
  complaints: string[]
  /** Names the database for the printed header, without credentials. */
  databaseName: string
  close(): Promise<void>
}

export interface BenchWorldOptions {
  /** Both emulators and the bridge's own shaping without rate limits (the capacity run). */
  liftRateLimits: boolean
  /** Count limits in Redis when REDIS_URL is set, as several bridge processes would. */
  shareLimitsThroughRedis: boolean
  observer?: DatabaseObserver
}

/**
 * Starts the sandbox, a migrated database and the bridge, with the sandbox's community configured
 * and its members joined. The database is the embedded one in a temporary folder, or, with
 * DATABASE_URL, a fresh database created on that server and dropped on close: the bench never
 * writes into the database the URL names, which the test suite may be using.
 */
export async function startBenchWorld(options: BenchWorldOptions): Promise<BenchWorld> {
  const workDir = await mkdtemp(path.join(tmpdir(), 'threadbridge-bench-'))
  const server = process.env.DATABASE_URL ? await createServerDatabase(process.env.DATABASE_URL) : undefined
  // Undone in reverse order on close, or as far as it got when starting fails.
  const undo: (() => Promise<unknown>)[] = [() => rm(workDir, { recursive: true, force: true })]
  const close = async () => {
    for (const step of undo.splice(0).reverse()) await step()
  }
  if (server) undo.push(server.drop)
  try {
    const database = server
      ? await openDatabase({ kind: 'postgres', url: server.url }, () => {}, options.observer)
      : await openDatabase(
          { kind: 'embedded', dataDir: path.join(workDir, 'pglite') },
          () => {},
          options.observer,
        )
    undo.push(() => database.close())
    await migrateToLatest(database.db)
    const sandbox = await startSandbox({
      discordPort: 0,
      slackPort: 0,
      liftRateLimits: options.liftRateLimits,
    })
    undo.push(() => sandbox.stop())
    const core = new Core(database.db)
    await core.applyConfig([sandbox.community])
    for (const member of sandbox.members) await core.memberships.join(sandbox.community.id, member)
    const complaints: string[] = []
    const logger = complainingLogger(complaints)
    const rateStore =
      options.shareLimitsThroughRedis && process.env.REDIS_URL
        ? connectSharedRateStore(process.env.REDIS_URL, logger, `threadbridge-bench-${process.pid}`)
        : undefined
    if (rateStore) undo.push(() => rateStore.stop())
    const bridge = await startBridge({
      database,
      core,
      logger,
      spoolDir: path.join(workDir, 'inbound-spool'),
      rateStore,
      liftRateLimits: options.liftRateLimits,
      discord: { token: sandbox.tokens.discord, apiUrl: sandbox.discord.apiUrl },
      slack: {
        botToken: sandbox.tokens.slackBot,
        appToken: sandbox.tokens.slackApp,
        apiUrl: sandbox.slack.apiUrl,
      },
    })
    undo.push(() => bridge.stop())
    return {
      database,
      sandbox,
      core,
      bridge,
      rateStore,
      complaints,
      databaseName: server ? `PostgreSQL server, fresh database ${server.name}` : 'embedded PGlite',
      close,
    }
  } catch (error) {
    await close()
    throw error
  }
}

/** Silent on debug and info; keeps what was said at warn and error, to be reported with the figures. */
function complainingLogger(complaints: string[]): Logger {
  const keep = (fields: Record<string, unknown>, message: string) =>
    complaints.push(`${message} ${JSON.stringify(fields)}`)
  return { debug: () => {}, info: () => {}, warn: keep, error: keep }
}

/** A fresh database on the `DATABASE_URL` server, for one benchmark run; `drop` removes it. */
export async function createServerDatabase(adminUrl: string) {
  const name = `threadbridge_bench_${randomBytes(6).toString('hex')}`
  const admin = async (statement: string) => {
    const client = new pg.Client({ connectionString: adminUrl })
    await client.connect()
    try {
      await client.query(statement)
    } finally {
      await client.end()
    }
  }
  await admin(`create database ${name}`)
  const url = new URL(adminUrl)
  url.pathname = `/${name}`
  return { name, url: url.toString(), drop: () => admin(`drop database if exists ${name} with (force)`) }
}

/** Waits (on a timer, never a busy loop) until `check` holds; returns the elapsed ms. */
export async function timeUntil(check: () => boolean, timeoutMs = 120_000, everyMs = 1): Promise<number> {
  const started = performance.now()
  while (!check()) {
    if (performance.now() - started > timeoutMs) throw new Error('bench: timed out waiting for a mirror')
    await new Promise((resolve) => setTimeout(resolve, everyMs))
  }
  return performance.now() - started
}

/** The sandbox's people and places the benches act with. */
export function benchCast(sandbox: Sandbox) {
  const { discord, slack, discordSeed, slackSeed } = sandbox
  const must = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`bench: no ${what} in the sandbox`)
    return value
  }
  return {
    jo: must(discord.state.users.get(discordSeed.users.jo), 'jo'),
    mark: must(discord.state.users.get(discordSeed.users.mark), 'mark'),
    sam: must(slack.state.users.get(slackSeed.users.sam), 'sam'),
    alex: must(slack.state.users.get(slackSeed.users.alex), 'alex'),
    forum: discord.platform.requireChannel(discordSeed.forumId),
    slackChannel: slack.workspace.requireChannel(slackSeed.channelId),
  }
}
