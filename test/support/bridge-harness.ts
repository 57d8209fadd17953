import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach } from 'vitest'
import { type Bridge, startBridge } from '../../bin/bridge-runtime.ts'
import { type HttpServer, startHttpServer } from '../../bin/http-server.ts'
import { createPrometheusMetrics, type PrometheusMetrics } from '../../bin/prometheus-metrics.ts'
import { checkReadiness } from '../../bin/readiness.ts'
import { type Sandbox, type SandboxOptions, startSandbox } from '../../sandbox/sandbox.ts'
import { Core } from '../../src/core.ts'
import type { DatabaseHandle } from '../../src/db/open-database.ts'
import type { MirrorTarget } from '../../src/mirror/mirror-target.ts'
import { DatabaseOutage } from './database-outage.ts'
import { createTestDatabase } from './test-database.ts'

/** The Slack app's signing secret in HTTP mode: the sandbox signs with it, the bot checks it. */
export const SLACK_SIGNING_SECRET = 'sandbox-signing-secret'

export interface BridgeHarness {
  sandbox: Sandbox
  database: DatabaseHandle
  /** The core, on the database through `outage`: set `outage.down` and its queries fail. */
  core: Core
  outage: DatabaseOutage
  bridge: Bridge
  discordUrl: string
  slackUrl: string
  spoolDir: string
  /** Where the embedded database keeps its files, with `onDisk`; undefined otherwise. */
  dataDir: string | undefined
  /** Every line the bridge logged, at every level, as JSON: fields and message. */
  logs: string[]
  /** The bridge's metrics, as /metrics serves them. */
  metrics: PrometheusMetrics
  /** /healthz, /readyz and /metrics for this bridge, on a free port. */
  httpUrl: string
  /** Stops the bridge and starts it again on the same sandbox, database and spool: a restart. */
  restartBridge(): Promise<void>
}

/**
 * The whole bot as it runs: the real discord.js client and Bolt app against the sandbox, the real
 * database, the mirror worker. Limits are scaled up (emulators and shaping alike) so tests are fast.
 */
export function useBridge(
  options: {
    rateLimitScale?: number
    requestTimeoutMs?: number
    /** How long a claimed job is its worker's; a test that holds a job longer must raise it. */
    leaseMs?: number
    wrapTarget?: (target: MirrorTarget) => MirrorTarget
    /** The seeded community as this test configures it (who moderates, say), from the sandbox's. */
    community?: (seeded: Sandbox['community'], sandbox: Sandbox) => Sandbox['community']
    /** Embedded database on disk (a temporary directory) rather than in memory. */
    onDisk?: boolean
    /** Slack reaches the bot over HTTP (signed requests to /slack/events), not Socket Mode. */
    slackMode?: 'socket' | 'http'
    /** The Slack app's manifest the sandbox grants (a scope withdrawn, say). */
    slackAppManifest?: SandboxOptions['slackAppManifest']
  } = {},
): BridgeHarness {
  const harness = {} as BridgeHarness
  let http: HttpServer | undefined
  beforeEach(async () => {
    const scale = options.rateLimitScale ?? 20
    const slackHttp = options.slackMode === 'http'
    harness.sandbox = await startSandbox({
      discordPort: 0,
      slackPort: 0,
      rateLimitScale: scale,
      ...(slackHttp ? { slackSigningSecret: SLACK_SIGNING_SECRET } : {}),
      ...(options.slackAppManifest ? { slackAppManifest: options.slackAppManifest } : {}),
    })
    harness.dataDir =
      options.onDisk && !process.env.DATABASE_URL
        ? mkdtempSync(path.join(tmpdir(), 'threadbridge-pglite-'))
        : undefined
    harness.database = await createTestDatabase(harness.dataDir ? { dataDir: harness.dataDir } : {})
    const setup = new Core(harness.database.db)
    if (options.community)
      harness.sandbox.community = options.community(harness.sandbox.community, harness.sandbox)
    await setup.applyConfig([harness.sandbox.community])
    for (const member of harness.sandbox.members)
      await setup.memberships.join(harness.sandbox.community.id, member)
    harness.outage = new DatabaseOutage()
    harness.core = new Core(harness.database.db.withPlugin(harness.outage))
    harness.spoolDir = mkdtempSync(path.join(tmpdir(), 'threadbridge-spool-'))
    harness.logs = []
    const capture =
      (level: string) =>
      (fields: Record<string, unknown>, message: string): void => {
        harness.logs.push(JSON.stringify({ level, ...fields, message }, errorsAsText))
        if (process.env.TB_DEBUG) console.log(level, message, fields)
      }
    harness.metrics = createPrometheusMetrics()
    http = await startHttpServer(
      { host: '127.0.0.1', port: 0 },
      {
        readiness: () => checkReadiness(harness.database, harness.bridge?.connected),
        metrics: () => harness.metrics.scrape(),
      },
    )
    harness.httpUrl = http.url
    const start = async () => {
      const bridge = await startBridge({
        database: harness.database,
        core: harness.core,
        logger: {
          debug: capture('debug'),
          info: capture('info'),
          warn: capture('warn'),
          error: capture('error'),
        },
        spoolDir: harness.spoolDir,
        discord: { token: harness.sandbox.tokens.discord, apiUrl: harness.sandbox.discord.apiUrl },
        slack: {
          botToken: harness.sandbox.tokens.slackBot,
          ...(slackHttp
            ? { http: { signingSecret: SLACK_SIGNING_SECRET, port: 0, host: '127.0.0.1' } }
            : { appToken: harness.sandbox.tokens.slackApp }),
          apiUrl: harness.sandbox.slack.apiUrl,
        },
        rateLimitScale: scale,
        // Digests are decided when a test says so, on fresh replies: no cron, no burst, no settling.
        digests: { schedule: false, burstMs: 0, settleMs: 0 },
        // Deletions are erased from disk when a test says so, whatever waits.
        vacuum: { schedule: false, delayMs: 0 },
        requestTimeoutMs: options.requestTimeoutMs ?? 2000,
        retry: { maxAttempts: 8, baseDelayMs: 50, maxDelayMs: 500 },
        leaseMs: options.leaseMs ?? 5000,
        ...(options.wrapTarget ? { wrapTarget: options.wrapTarget } : {}),
        metrics: harness.metrics.metrics,
      })
      harness.metrics.setSources({
        outbox: () => bridge.queue.depth(),
        spoolDepth: () => bridge.spoolDepth(),
      })
      return bridge
    }
    // In HTTP mode the app listens on a port of its own choosing; Slack is told its Request URL.
    const pointSlackAtBridge = () => {
      if (harness.sandbox.slack.http)
        harness.sandbox.slack.http.requestUrl = `http://127.0.0.1:${harness.bridge.slackHttpPort}/slack/events`
    }
    harness.bridge = await start()
    pointSlackAtBridge()
    harness.restartBridge = async () => {
      await harness.bridge.stop()
      harness.bridge = await start()
      pointSlackAtBridge()
    }
    harness.discordUrl = harness.sandbox.discord.url
    harness.slackUrl = harness.sandbox.slack.url
  })
  afterEach(async () => {
    await http?.close()
    await harness.bridge?.stop()
    await harness.sandbox?.stop()
    await harness.database?.close()
    if (harness.spoolDir) rmSync(harness.spoolDir, { recursive: true, force: true })
    if (harness.dataDir) rmSync(harness.dataDir, { recursive: true, force: true })
  })
  return harness
}

/** Errors logged as `err` keep their message and every field (a driver error's `detail`, say). */
function errorsAsText(_key: string, value: unknown): unknown {
  return value instanceof Error ? { ...value, name: value.name, message: value.message } : value
}

/** Re-checks `read` until `accept` holds (each check waits for the next event-loop turn, no fixed sleeps). */
export async function eventually<T>(
  read: () => Promise<T>,
  accept: (value: T) => boolean,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs
  let last: T | undefined
  for (;;) {
    last = await read()
    if (accept(last)) return last
    if (Date.now() > deadline)
      throw new Error(
        `condition not met in ${timeoutMs} ms; last value: ${JSON.stringify(last)?.slice(0, 2000)}`,
      )
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}
