import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach } from 'vitest'
import { type Bridge, startBridge } from '../../bin/bridge-runtime.ts'
import { type Sandbox, startSandbox } from '../../sandbox/sandbox.ts'
import { Core } from '../../src/core.ts'
import type { DatabaseHandle } from '../../src/db/open-database.ts'
import { silentLogger } from '../../src/logger.ts'
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
    /** Slack reaches the bot over HTTP (signed requests to /slack/events), not Socket Mode. */
    slackMode?: 'socket' | 'http'
  } = {},
): BridgeHarness {
  const harness = {} as BridgeHarness
  beforeEach(async () => {
    const scale = options.rateLimitScale ?? 20
    const http = options.slackMode === 'http'
    harness.sandbox = await startSandbox({
      discordPort: 0,
      slackPort: 0,
      rateLimitScale: scale,
      ...(http ? { slackSigningSecret: SLACK_SIGNING_SECRET } : {}),
    })
    harness.database = await createTestDatabase()
    const setup = new Core(harness.database.db)
    await setup.applyConfig([harness.sandbox.community])
    for (const member of harness.sandbox.members)
      await setup.memberships.join(harness.sandbox.community.id, member)
    harness.outage = new DatabaseOutage()
    harness.core = new Core(harness.database.db.withPlugin(harness.outage))
    harness.spoolDir = mkdtempSync(path.join(tmpdir(), 'threadbridge-spool-'))
    const start = () =>
      startBridge({
        database: harness.database,
        core: harness.core,
        logger: process.env.TB_DEBUG
          ? { debug: console.log, info: console.log, warn: console.log, error: console.log }
          : silentLogger,
        spoolDir: harness.spoolDir,
        discord: { token: harness.sandbox.tokens.discord, apiUrl: harness.sandbox.discord.apiUrl },
        slack: {
          botToken: harness.sandbox.tokens.slackBot,
          ...(http
            ? { http: { signingSecret: SLACK_SIGNING_SECRET, port: 0, host: '127.0.0.1' } }
            : { appToken: harness.sandbox.tokens.slackApp }),
          apiUrl: harness.sandbox.slack.apiUrl,
        },
        rateLimitScale: scale,
        // Digests are decided when a test says so, on fresh replies: no cron, no burst, no settling.
        digests: { schedule: false, burstMs: 0, settleMs: 0 },
        requestTimeoutMs: options.requestTimeoutMs ?? 2000,
        retry: { maxAttempts: 8, baseDelayMs: 50, maxDelayMs: 500 },
        leaseMs: options.leaseMs ?? 5000,
        ...(options.wrapTarget ? { wrapTarget: options.wrapTarget } : {}),
      })
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
    await harness.bridge?.stop()
    await harness.sandbox?.stop()
    await harness.database?.close()
    if (harness.spoolDir) rmSync(harness.spoolDir, { recursive: true, force: true })
  })
  return harness
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
