import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import pg from 'pg'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { type Sandbox, startSandbox } from '../../sandbox/sandbox.ts'
import { Core } from '../../src/core.ts'
import { migrateToLatest } from '../../src/db/migrate.ts'
import { type DatabaseHandle, openDatabase } from '../../src/db/open-database.ts'
import { botDataDir } from '../support/bot-data-dir.ts'
import { control } from '../support/control.ts'
import { cleanEnv, root } from '../support/npm-start.ts'
import { type RunningProcess, runProcess } from '../support/run-process.ts'

/** The sandbox's limits, and the backfill's pacing, times this: the mirrors take seconds, not minutes. */
const SCALE = 200
/**
 * 200 messages: enough for every path the proof needs (archived and open posts, Slack threads,
 * non-members, a kill with work read, queued and in flight), few enough that the test takes
 * seconds. The original acceptance size, 2,000, proved nothing more and took two minutes.
 */
const THREADS = 4
const PER_THREAD = 25
/** In each thread, every tenth message is a non-member's: read, never mirrored. */
const OUTSIDER_EVERY = 10

/**
 * Messages already in the sandbox (half in Discord forum posts, half of those archived, half in
 * Slack threads), backfilled by `npm run backfill` as a child
 * process against the real database (a PostgreSQL server with DATABASE_URL, else an embedded one
 * on disk), killed with SIGKILL about halfway, then run again: each member's message is mirrored
 * exactly once, and nobody else's.
 */
describe('npm run backfill -- --since 1d (child process, sandbox, real database)', () => {
  let sandbox: Sandbox
  let dataDir: string
  let databaseUrl: string | undefined
  let dropDatabase: (() => Promise<void>) | undefined
  let running: RunningProcess | undefined

  beforeEach(async () => {
    sandbox = await startSandbox({ discordPort: 0, slackPort: 0, rateLimitScale: SCALE })
    dataDir = await botDataDir(mkdtempSync(path.join(tmpdir(), 'threadbridge-backfill-test-')))
    if (process.env.DATABASE_URL) {
      const name = `threadbridge_test_${randomBytes(6).toString('hex')}`
      await admin((client) => client.query(`create database ${name}`))
      const url = new URL(process.env.DATABASE_URL)
      url.pathname = `/${name}`
      databaseUrl = url.toString()
      dropDatabase = () => admin((client) => client.query(`drop database if exists ${name} with (force)`))
    }
    // The community as the bot would have left it: bridged, its members joined.
    await withDatabase(async (database) => {
      await migrateToLatest(database.db)
      const core = new Core(database.db)
      await core.applyConfig([sandbox.community])
      for (const member of sandbox.members) await core.memberships.join(sandbox.community.id, member)
    })
  })
  afterEach(async () => {
    // A run still going (a failed test) is ended; one that has exited has no group left to signal.
    if (running?.child.exitCode === null && running.child.signalCode === null) running.signal('SIGKILL')
    await running?.exited
    await sandbox.stop()
    await dropDatabase?.()
    rmSync(dataDir, { recursive: true, force: true })
  })

  async function admin(work: (client: pg.Client) => Promise<unknown>) {
    const client = new pg.Client({ connectionString: process.env.DATABASE_URL })
    await client.connect()
    try {
      await work(client)
    } finally {
      await client.end()
    }
  }

  async function withDatabase<T>(work: (database: DatabaseHandle) => Promise<T>): Promise<T> {
    const database = await openDatabase(
      databaseUrl
        ? { kind: 'postgres', url: databaseUrl }
        : { kind: 'embedded', dataDir: path.join(dataDir, 'pglite') },
    )
    try {
      return await work(database)
    } finally {
      await database.close()
    }
  }

  const backfill = (): RunningProcess => {
    const configFile = path.join(dataDir, 'communities.json')
    writeFileSync(configFile, JSON.stringify({ communities: [sandbox.community] }))
    running = runProcess('node', ['--import', 'tsx', 'test/support/backfill-child.ts', '--since', '1d'], {
      cwd: root,
      env: cleanEnv({
        DISCORD_TOKEN: sandbox.tokens.discord,
        THREADBRIDGE_DISCORD_API_URL: sandbox.discord.apiUrl,
        SLACK_BOT_TOKEN: sandbox.tokens.slackBot,
        SLACK_APP_TOKEN: sandbox.tokens.slackApp,
        THREADBRIDGE_SLACK_API_URL: sandbox.slack.apiUrl,
        THREADBRIDGE_DATA_DIR: dataDir,
        THREADBRIDGE_CONFIG: configFile,
        LOG_LEVEL: 'warn',
        TEST_RATE_LIMIT_SCALE: String(SCALE),
        ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
      }),
    })
    return running
  }

  /** The past: people's threads, each with its opening post and replies, every text unique. */
  async function seedHistory(): Promise<{ discordMembers: string[]; slackMembers: string[] }> {
    const { forumId, users } = sandbox.discordSeed
    const slack = sandbox.slackSeed
    const discordMembers: string[] = []
    const slackMembers: string[] = []
    for (let t = 0; t < THREADS; t++) {
      const thread = await control(sandbox.discord.url, 'POST', `/channels/${forumId}/threads`, {
        author_id: users.jo,
        name: `Old discussion ${t}`,
        content: `d${t}-0`,
      })
      discordMembers.push(`d${t}-0`)
      for (let i = 1; i < PER_THREAD; i++) {
        const outsider = i % OUTSIDER_EVERY === 0
        await control(sandbox.discord.url, 'POST', `/channels/${thread.id}/messages`, {
          author_id: outsider ? users.visitor : i % 2 ? users.mark : users.jo,
          content: `d${t}-${i}`,
        })
        if (!outsider) discordMembers.push(`d${t}-${i}`)
      }
      // Half the posts have gone quiet and been archived: read through the archived listing.
      if (t % 2 === 0)
        await control(sandbox.discord.url, 'PATCH', `/channels/${thread.id}`, { archived: true })
      const root = await control(sandbox.slack.url, 'POST', '/messages', {
        user: slack.users.sam,
        channel: slack.channelId,
        text: `s${t}-0`,
      })
      slackMembers.push(`s${t}-0`)
      for (let i = 1; i < PER_THREAD; i++) {
        const outsider = i % OUTSIDER_EVERY === 0
        await control(sandbox.slack.url, 'POST', '/messages', {
          user: outsider ? slack.users.guest : i % 2 ? slack.users.alex : slack.users.sam,
          channel: slack.channelId,
          text: `s${t}-${i}`,
          thread_ts: root.ts,
        })
        if (!outsider) slackMembers.push(`s${t}-${i}`)
      }
    }
    return { discordMembers, slackMembers }
  }

  /** Every text the bot posted on Slack (the mirrors of Discord's messages), top-level and in threads. */
  async function mirroredOnSlack(): Promise<string[]> {
    const channel = sandbox.slackSeed.channelId
    const top = await control<any[]>(sandbox.slack.url, 'GET', `/conversations/${channel}/history`)
    const texts: string[] = []
    for (const message of top) {
      const thread = await control<any[]>(
        sandbox.slack.url,
        'GET',
        `/conversations/${channel}/replies/${message.ts}`,
      )
      for (const m of thread) if (m.bot_id !== undefined || m.username !== undefined) texts.push(m.text)
    }
    return texts
  }

  /** Every text our webhook posted on Discord (the mirrors of Slack's messages). */
  async function mirroredOnDiscord(): Promise<string[]> {
    const threads = await control<any[]>(
      sandbox.discord.url,
      'GET',
      `/channels/${sandbox.discordSeed.forumId}/threads`,
    )
    const texts: string[] = []
    for (const thread of threads) {
      const messages = await control<any[]>(sandbox.discord.url, 'GET', `/channels/${thread.id}/messages`)
      for (const m of messages) if (m.webhook_id) texts.push(m.content)
    }
    return texts
  }

  /** How many times each expected text appears among the mirrors (a mirror quotes it, maybe under a title). */
  const occurrences = (mirrors: string[], texts: string[]) => {
    const seen = new Map(texts.map((text) => [text, 0]))
    for (const mirror of mirrors) {
      const token = /[ds]\d+-\d+/.exec(mirror)?.[0]
      if (token !== undefined) seen.set(token, (seen.get(token) ?? 0) + 1)
    }
    return seen
  }

  it('killed halfway and run again, mirrors each member’s message exactly once', {
    timeout: 240_000,
  }, async () => {
    const { discordMembers, slackMembers } = await seedHistory()
    const members = discordMembers.length + slackMembers.length
    const outsiders = 2 * THREADS * PER_THREAD - members
    expect(outsiders).toBe(2 * THREADS * Math.floor((PER_THREAD - 1) / OUTSIDER_EVERY))
    const total = THREADS * PER_THREAD

    const first = backfill()
    // Waiting on what it prints, not on time: Discord's are all read, Slack's under way.
    await first.waitFor(`backfill: slack ${total / 10}/${total} messages`, 120_000)
    first.signal('SIGKILL')
    expect((await first.exited).signal).toBe('SIGKILL')
    expect(first.output()).toContain(`backfill: discord ${total}/${total} messages`)

    const second = backfill()
    // It waits out the killed run's leases before those jobs are delivered.
    await second.waitFor('backfill: done', 240_000)
    expect((await second.exited).code, second.output()).toBe(0)
    const summary = /backfill: done in \d+ s: (.*)/.exec(second.output())?.[1]
    expect(summary).toContain(`${2 * total} messages read`)
    // The kill fell mid-way: the first run had mirrored some, and left some for this one.
    const [, mirrored, already] = /(\d+) mirrored, (\d+) already mirrored/.exec(summary ?? '') ?? []
    expect(Number(mirrored)).toBeGreaterThan(0)
    expect(Number(already)).toBeGreaterThan(0)
    expect(summary).toContain(`${outsiders} skipped (not members)`)

    const onSlack = occurrences(await mirroredOnSlack(), discordMembers)
    const onDiscord = occurrences(await mirroredOnDiscord(), slackMembers)
    expect([...onSlack.entries()].filter(([, n]) => n !== 1)).toEqual([])
    expect([...onDiscord.entries()].filter(([, n]) => n !== 1)).toEqual([])
    // Nothing of a non-member's crossed, and they were not told about messages from the past.
    expect(onSlack.size).toBe(discordMembers.length)
    expect(onDiscord.size).toBe(slackMembers.length)
    expect(
      await control<any[]>(sandbox.discord.url, 'GET', `/dms/${sandbox.discordSeed.users.visitor}`),
    ).toEqual([])

    const links = await withDatabase((database) =>
      database.db
        .selectFrom('message_links')
        .select(['origin', (eb) => eb.fn.countAll<string>().as('n')])
        .groupBy('origin')
        .execute(),
    )
    const count = (origin: string) => Number(links.find((l) => l.origin === origin)?.n ?? 0)
    expect(count('source')).toBe(members)
    expect(count('mirror')).toBe(members)

    // A third run finds everything known and mirrors nothing.
    const third = backfill()
    expect((await third.exited).code, third.output()).toBe(0)
    expect(third.output()).toContain(
      `0 mirrored, ${members} already mirrored, ${outsiders} skipped (not members)`,
    )
  })
})
