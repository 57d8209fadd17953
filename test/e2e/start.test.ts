import { existsSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openDatabase } from '../../src/db/open-database.ts'
import { cleanEnv, npmStart } from '../support/npm-start.ts'

/** Ports of their own, so these runs never collide with a sandbox someone has open. */
const otherPorts = { THREADBRIDGE_SANDBOX_DISCORD_PORT: '4181', THREADBRIDGE_SANDBOX_SLACK_PORT: '4182' }

describe('npm start', () => {
  let workDir: string
  beforeAll(async () => {
    workDir = await mkdtemp(path.join(tmpdir(), 'threadbridge-start-'))
  })
  afterAll(async () => {
    await rm(workDir, { recursive: true, force: true })
  })

  it('creates the embedded database, migrates it, and stops cleanly on Ctrl-C', async () => {
    const dataDir = path.join(workDir, 'data')
    const bot = npmStart(cleanEnv({ THREADBRIDGE_DATA_DIR: dataDir, ...otherPorts }))
    await bot.waitFor('Press Ctrl-C to stop.')
    expect(bot.output()).toContain('embedded PostgreSQL at')
    expect(bot.output()).toContain('communities: Lightbulb Moment')
    expect(existsSync(path.join(dataDir, 'pglite', 'PG_VERSION'))).toBe(true)

    bot.signal('SIGINT')
    expect(await bot.exited).toEqual({ code: 0, signal: null })
    expect(bot.output()).toContain('Threadbridge stopped.')
    expect(bot.output()).not.toMatch(/\n\s+at /) // no stack trace

    // A community the database keeps but this start does not configure (the built-in one, as a
    // real start that failed before this was fixed left beside the sandbox's) is not listed as
    // one it runs.
    const database = await openDatabase({ kind: 'embedded', dataDir: path.join(dataDir, 'pglite') })
    await database.db
      .insertInto('communities')
      .values({
        id: 'lightbulb-moment',
        name: 'Lightbulb Moment',
        configured_moderators: '[]',
        created_at: new Date(),
      })
      .execute()
    await database.close()

    // The data survives: a second start finds the schema current and runs.
    const again = npmStart(cleanEnv({ THREADBRIDGE_DATA_DIR: dataDir, ...otherPorts }))
    await again.waitFor('Press Ctrl-C to stop.')
    expect(again.output()).toContain('"migrations":[]')
    again.signal('SIGTERM')
    expect((await again.exited).code).toBe(0)
    expect(again.output()).toMatch(/^ {2}communities: Lightbulb Moment \(from the sandbox\)$/m)
    // Two starts from an empty directory, each with its database's first open: a minute at worst.
  }, 90_000)

  it('with no tokens, runs the sandbox: prints both URLs, and both control APIs answer', async () => {
    const started = Date.now()
    const bot = npmStart(
      cleanEnv({
        THREADBRIDGE_DATA_DIR: path.join(workDir, 'sandbox-data'),
        THREADBRIDGE_SANDBOX_DISCORD_PORT: '4191',
        THREADBRIDGE_SANDBOX_SLACK_PORT: '4192',
      }),
    )
    await bot.waitFor('Press Ctrl-C to stop.')
    const discordUrl = /Discord: +sandbox at (http:\/\/\S+)/.exec(bot.output())?.[1]
    const slackUrl = /Slack: +sandbox at (http:\/\/\S+)/.exec(bot.output())?.[1]
    expect([discordUrl, slackUrl]).toEqual(['http://127.0.0.1:4191', 'http://127.0.0.1:4192'])
    // The banner comes before the work: the schema's log line, the emulators, the rest.
    const output = bot.output()
    expect(output.indexOf('SANDBOX:')).toBeGreaterThan(-1)
    expect(output.indexOf('SANDBOX:')).toBeLessThan(output.indexOf('database schema is up to date'))
    // The acceptance bar is 15 s on a fresh clone; it is measured here, not waited for.
    console.log(`sandbox URLs printed after ${Date.now() - started} ms`)

    const discordState = (await (await fetch(`${discordUrl}/_sandbox/state`)).json()) as any
    expect(discordState.guilds.map((g: { name: string }) => g.name)).toEqual(['Lightbulb Moment'])
    expect(discordState.channels.map((c: { name: string }) => c.name)).toEqual(
      expect.arrayContaining(['discussions']),
    )
    expect(discordState.users.map((u: { username: string }) => u.username)).toEqual(
      expect.arrayContaining(['jo', 'mark', 'visitor']),
    )
    const slackState = (await (await fetch(`${slackUrl}/_sandbox/state`)).json()) as any
    expect(slackState.channels.map((c: { name: string }) => c.name)).toEqual(['lightbulb-moment'])
    expect(slackState.users.map((u: { name: string }) => u.name)).toEqual(
      expect.arrayContaining(['sam', 'alex', 'guest']),
    )

    bot.signal('SIGINT')
    expect((await bot.exited).code).toBe(0)
    expect(existsSync(path.join(workDir, 'sandbox-data', 'sandbox.json'))).toBe(true)
  })

  it('says in one line that a malformed DATABASE_URL is wrong, and exits non-zero', async () => {
    const bot = npmStart(cleanEnv({ DATABASE_URL: 'mysql://root:hunter2@localhost/db' }))
    const { code } = await bot.exited
    expect(code).toBe(2)
    expect(bot.output().trim()).toBe(
      'threadbridge: configuration error: DATABASE_URL: expected a postgres://user@host:port/database URL',
    )
  })

  it('says in one line that the server cannot be reached, without the password', async () => {
    const bot = npmStart(
      // The sandbox on a PostgreSQL server is asked for by name (it refuses to start there otherwise).
      cleanEnv({ DATABASE_URL: 'postgres://postgres:hunter2@127.0.0.1:1/test', THREADBRIDGE_SANDBOX: '1' }),
    )
    const { code } = await bot.exited
    expect(code).toBe(1)
    const lines = bot.output().trim().split('\n')
    expect(lines).toHaveLength(1)
    expect(lines[0]).toMatch(
      /^threadbridge: cannot reach PostgreSQL at postgres:\/\/postgres@127\.0\.0\.1:1\/test: .*ECONNREFUSED/,
    )
    expect(bot.output()).not.toContain('hunter2')
  })
})
