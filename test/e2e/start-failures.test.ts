import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { createServer, type Server, type Socket } from 'node:net'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Sandbox, startSandbox } from '../../sandbox/sandbox.ts'
import { openDatabase } from '../../src/db/open-database.ts'
import { botDataDir } from '../support/bot-data-dir.ts'
import { cleanEnv, npmStart } from '../support/npm-start.ts'
import type { RunningProcess } from '../support/run-process.ts'

/** A port nothing listens on: bound, then closed, so connecting to it is refused. */
async function closedPort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return port
}

/** A server that accepts connections and never answers: a platform that hangs. */
async function blackHole(): Promise<{ server: Server; port: number; close(): Promise<void> }> {
  const sockets = new Set<Socket>()
  const server = createServer((socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    server,
    port: (server.address() as { port: number }).port,
    close: async () => {
      for (const socket of sockets) socket.destroy()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}

/** What a failed start must look like: non-zero, the line, no stack trace, never "running". */
async function expectRefusal(bot: RunningProcess, line: RegExp, code = 1) {
  const started = Date.now()
  const exited = await bot.exited
  expect({ exited, output: bot.output() }).toMatchObject({ exited: { code } })
  expect(bot.output()).toMatch(line)
  expect(bot.output()).not.toMatch(/\n\s+at /)
  expect(bot.output()).not.toContain('Threadbridge is running.')
  return Date.now() - started
}

/**
 * What a start that failed left in its data directory's database, beyond the schema: a start
 * applies the configuration only once the bridge can run, so a refused one leaves none of it.
 */
async function leftBehind(env: NodeJS.ProcessEnv): Promise<Record<string, number>> {
  const database = await openDatabase({
    kind: 'embedded',
    dataDir: path.join(String(env.THREADBRIDGE_DATA_DIR), 'pglite'),
  })
  try {
    const tables = [
      'communities',
      'community_bridges',
      'memberships',
      'moderator_accounts',
      'moderation_actions',
    ] as const
    const counts: Record<string, number> = {}
    for (const table of tables) {
      const { rows } = await database.db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll<string>().as('rows'))
        .executeTakeFirstOrThrow()
      if (Number(rows) > 0) counts[table] = Number(rows)
    }
    return counts
  } finally {
    await database.close()
  }
}

describe('npm start refuses to run connected to nothing', () => {
  let workDir: string
  let sandbox: Sandbox
  let dirs = 0
  const dataDir = () => botDataDir(path.join(workDir, `data-${++dirs}`))
  /** Both platforms configured with real (sandbox) tokens, then `overrides` applied. */
  const platformEnv = async (overrides: Record<string, string>) =>
    cleanEnv({
      THREADBRIDGE_DATA_DIR: await dataDir(),
      DISCORD_TOKEN: sandbox.tokens.discord,
      SLACK_BOT_TOKEN: sandbox.tokens.slackBot,
      SLACK_APP_TOKEN: sandbox.tokens.slackApp,
      THREADBRIDGE_DISCORD_API_URL: sandbox.discord.apiUrl,
      THREADBRIDGE_SLACK_API_URL: sandbox.slack.apiUrl,
      ...overrides,
    })

  beforeAll(async () => {
    workDir = await mkdtemp(path.join(tmpdir(), 'threadbridge-start-failures-'))
    sandbox = await startSandbox({ discordPort: 0, slackPort: 0 })
  })
  afterAll(async () => {
    await sandbox?.stop()
    await rm(workDir, { recursive: true, force: true })
  })

  it('names a Discord token that Discord refuses (401)', async () => {
    const bot = npmStart(await platformEnv({ DISCORD_TOKEN: 'garbage' }))
    await expectRefusal(bot, /^threadbridge: Discord refused DISCORD_TOKEN \(401 Unauthorized\): .+$/m)
    expect(bot.output()).not.toContain('garbage')
  })

  it('names a Slack token that Slack refuses (invalid_auth)', async () => {
    const bot = npmStart(await platformEnv({ SLACK_BOT_TOKEN: 'xoxb-garbage' }))
    await expectRefusal(bot, /^threadbridge: Slack refused SLACK_BOT_TOKEN \(invalid_auth\): .+$/m)
  })

  it('names an app-level token that Slack refuses for Socket Mode', async () => {
    const bot = npmStart(await platformEnv({ SLACK_APP_TOKEN: 'xapp-garbage' }))
    await expectRefusal(bot, /^threadbridge: Slack refused SLACK_APP_TOKEN \(invalid_auth\): .+$/m)
    expect(bot.output()).not.toContain('xapp-garbage')
  })

  it('says a platform cannot be reached when its address refuses connections', async () => {
    const port = await closedPort()
    const discord = npmStart(
      await platformEnv({ THREADBRIDGE_DISCORD_API_URL: `http://127.0.0.1:${port}/api` }),
    )
    await expectRefusal(
      discord,
      new RegExp(
        `^threadbridge: cannot reach Discord at http://127\\.0\\.0\\.1:${port}/api: ECONNREFUSED; .+$`,
        'm',
      ),
    )
    // Discord was reached, Slack was not: the configuration (a bridged community, its
    // moderators) is not applied, so a later start that works finds the database as it was.
    const config = path.join(workDir, 'bridged.json')
    await writeFile(config, JSON.stringify({ communities: [sandbox.community] }))
    const slackEnv = await platformEnv({
      THREADBRIDGE_SLACK_API_URL: `http://127.0.0.1:${port}/api/`,
      THREADBRIDGE_CONFIG: config,
    })
    const slack = npmStart(slackEnv)
    await expectRefusal(
      slack,
      new RegExp(`^threadbridge: cannot reach Slack at http://127\\.0\\.0\\.1:${port}/api/: .+$`, 'm'),
    )
    expect(await leftBehind(slackEnv)).toEqual({})
  })

  it('refuses tokens that work when no community is bridged, rather than mirror nothing', async () => {
    const env = await platformEnv({})
    const bot = npmStart(env)
    await expectRefusal(
      bot,
      /^threadbridge: no community is bridged to both a Discord and a Slack channel \(communities from built-in defaults\): set THREADBRIDGE_CONFIG .+$/m,
    )
    // Not even the built-in community is written: it would sit beside the sandbox's, say.
    expect(await leftBehind(env)).toEqual({})
  })

  it('refuses half a configuration at once, naming what is missing', async () => {
    const discordOnly = npmStart(cleanEnv({ THREADBRIDGE_DATA_DIR: await dataDir(), DISCORD_TOKEN: 'd' }))
    await expectRefusal(
      discordOnly,
      /^threadbridge: configuration error: SLACK_BOT_TOKEN: .*both platforms/m,
      2,
    )
    const noAppToken = npmStart(
      cleanEnv({ THREADBRIDGE_DATA_DIR: await dataDir(), DISCORD_TOKEN: 'd', SLACK_BOT_TOKEN: 'xoxb-1' }),
    )
    await expectRefusal(noAppToken, /^threadbridge: configuration error: SLACK_APP_TOKEN: .+$/m, 2)
  })

  it('says REDIS_URL cannot be reached, within seconds', async () => {
    const port = await closedPort()
    const bot = npmStart(
      cleanEnv({ THREADBRIDGE_DATA_DIR: await dataDir(), REDIS_URL: `redis://127.0.0.1:${port}` }),
    )
    // Timed from the database being open (opening and migrating it takes seconds on a loaded
    // machine, and is not what this is about) to the exit.
    await bot.waitFor('Health and metrics at')
    const took = await expectRefusal(
      bot,
      new RegExp(
        `^threadbridge: cannot reach Redis at redis://127\\.0\\.0\\.1:${port} \\(REDIS_URL\\): ECONNREFUSED.+$`,
        'm',
      ),
    )
    expect(took).toBeLessThan(10_000)
  })

  it('says REDIS_URL is not Redis when something else answers there, in one line', async () => {
    // An HTTP server where Redis should be: it answers, in a protocol Redis clients cannot read.
    const http = createServer((socket) => {
      socket.on('error', () => {})
      socket.once('data', () => socket.end('HTTP/1.1 400 Bad Request\r\n\r\n'))
    })
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve))
    const { port } = http.address() as { port: number }
    try {
      const bot = npmStart(
        cleanEnv({ THREADBRIDGE_DATA_DIR: await dataDir(), REDIS_URL: `redis://127.0.0.1:${port}` }),
      )
      await expectRefusal(
        bot,
        new RegExp(
          `^threadbridge: cannot use redis://127\\.0\\.0\\.1:${port} \\(REDIS_URL\\) as Redis: .+$`,
          'm',
        ),
      )
    } finally {
      await new Promise<void>((resolve) => http.close(() => resolve()))
    }
  })

  it('is not ready while a platform hangs, and SIGTERM stops it within 10 s', async () => {
    const hole = await blackHole()
    try {
      const bot = npmStart(
        await platformEnv({ THREADBRIDGE_SLACK_API_URL: `http://127.0.0.1:${hole.port}/api/` }),
      )
      await bot.waitFor('(/healthz, /readyz, /metrics)')
      const url = /Health and metrics at (http:\/\/\S+)/.exec(bot.output())?.[1]
      expect((await fetch(`${url}/healthz`)).status).toBe(200)
      const ready = await fetch(`${url}/readyz`)
      expect(ready.status).toBe(503)
      expect(((await ready.json()) as { reasons: string[] }).reasons).toContain('Slack is not connected')

      const signalled = Date.now()
      bot.signal('SIGTERM')
      const exited = await bot.exited
      expect(Date.now() - signalled).toBeLessThan(10_000)
      expect(exited.signal).toBeNull()
      expect(bot.output()).not.toMatch(/\n\s+at /)
    } finally {
      await hole.close()
    }
  })

  it('says a sandbox port is taken before it migrates anything or announces the sandbox', async () => {
    const taken = createServer()
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve))
    const { port } = taken.address() as { port: number }
    try {
      const bot = npmStart(
        cleanEnv({
          THREADBRIDGE_DATA_DIR: await dataDir(),
          THREADBRIDGE_SANDBOX_DISCORD_PORT: String(port),
          THREADBRIDGE_SANDBOX_SLACK_PORT: String(await closedPort()),
        }),
      )
      await expectRefusal(
        bot,
        new RegExp(
          `^threadbridge: a sandbox port is already in use \\(${port}\\); set THREADBRIDGE_SANDBOX_DISCORD_PORT .+$`,
          'm',
        ),
      )
      expect(bot.output()).not.toContain('SANDBOX:')
      expect(bot.output()).not.toContain('database schema is up to date')
    } finally {
      await new Promise<void>((resolve) => taken.close(() => resolve()))
    }
  })

  it('lets one bot at a time use a data directory, and says which process holds it', async () => {
    const shared = await dataDir()
    const ports = {
      THREADBRIDGE_SANDBOX_DISCORD_PORT: String(await closedPort()),
      THREADBRIDGE_SANDBOX_SLACK_PORT: String(await closedPort()),
    }
    const first = npmStart(cleanEnv({ THREADBRIDGE_DATA_DIR: shared, ...ports }))
    await first.waitFor('Press Ctrl-C to stop.')
    const second = npmStart(cleanEnv({ THREADBRIDGE_DATA_DIR: shared, ...ports }))
    await expectRefusal(
      second,
      new RegExp(
        `^threadbridge: the data directory .+ is in use by another Threadbridge \\(pid ${first.child.pid}\\); .+$`,
        'm',
      ),
    )
    first.signal('SIGINT')
    expect((await first.exited).code).toBe(0)

    // Released on exit: the next bot starts.
    const third = npmStart(cleanEnv({ THREADBRIDGE_DATA_DIR: shared, ...ports }))
    await third.waitFor('Press Ctrl-C to stop.')
    third.signal('SIGTERM')
    expect((await third.exited).code).toBe(0)
  })
})
