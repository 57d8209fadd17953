import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { request } from 'node:http'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SANDBOX_SIGNING_SECRET, type Sandbox, startSandbox } from '../../sandbox/sandbox.ts'
import { HttpDelivery } from '../../sandbox/slack/slack-http-delivery.ts'
import { DEFAULT_COMMUNITIES, loadConfig } from '../../src/config/load-config.ts'
import { checkSandboxStart } from '../../src/config/sandbox-guard.ts'
import { unknownVariableWarnings } from '../../src/config/unknown-variables.ts'
import { ConfigError } from '../../src/errors.ts'
import { botDataDir } from '../support/bot-data-dir.ts'
import { control } from '../support/control.ts'
import { cleanEnv, npmStart } from '../support/npm-start.ts'

/** What `npm start` decides before it opens anything: the warnings, or the one-line refusal. */
async function startCheck(env: Record<string, string>): Promise<string[]> {
  const file = { communities: [{ id: 'ours', name: 'Ours', moderators: [] }] }
  return checkSandboxStart(await loadConfig(env, async () => JSON.stringify(file)), env)
}

/** A port free a moment ago: bound, then closed. */
async function freePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return port
}

describe('a misspelled variable is named, not silently ignored', () => {
  it('says which known variable a near miss was meant to be', () => {
    const warnings = unknownVariableWarnings({
      DISCORD_BOT_TOKEN: 'x',
      SLACK_TOKEN: 'y',
      SLACK_APPTOKEN: 'z',
      database_url: 'postgres://h/db',
      PATH: '/usr/bin',
      HOME: '/home/admin',
    })
    expect(warnings).toEqual([
      'DISCORD_BOT_TOKEN is not a Threadbridge setting, so it is ignored: did you mean DISCORD_TOKEN?',
      'SLACK_TOKEN is not a Threadbridge setting, so it is ignored: did you mean SLACK_APP_TOKEN or SLACK_BOT_TOKEN?',
      'SLACK_APPTOKEN is not a Threadbridge setting, so it is ignored: did you mean SLACK_APP_TOKEN?',
      'database_url is not a Threadbridge setting, so it is ignored: did you mean DATABASE_URL?',
    ])
  })

  it('warns of every unknown THREADBRIDGE_ variable, and of none it reads', () => {
    expect(
      unknownVariableWarnings({
        THREADBRIDGE_CONFG: 'communities.json',
        THREADBRIDGE_COLOUR: 'blue',
        THREADBRIDGE_SANDBOX: '1',
        THREADBRIDGE_SLACK_MODE: 'http',
        NODE_ENV: 'production',
      }),
    ).toEqual([
      'THREADBRIDGE_CONFG is not a Threadbridge setting, so it is ignored: did you mean THREADBRIDGE_CONFIG?',
      'THREADBRIDGE_COLOUR is not a Threadbridge setting, so it is ignored',
    ])
  })

  it('refuses the sandbox when a misspelled token looks like an attempt at a real install', async () => {
    await expect(startCheck({ DISCORD_BOT_TOKEN: 'x', SLACK_TOKEN: 'y' })).rejects.toThrow(
      /^THREADBRIDGE_SANDBOX: no DISCORD_TOKEN or SLACK_BOT_TOKEN is set, so this would be the sandbox, yet DISCORD_BOT_TOKEN \(did you mean DISCORD_TOKEN\?\), SLACK_TOKEN \(did you mean SLACK_APP_TOKEN or SLACK_BOT_TOKEN\?\) (is|are) set: /,
    )
  })

  it.each([
    [{ DISCORD_TOKN: 'x' }, 'DISCORD_TOKN (did you mean DISCORD_TOKEN?)'],
    [{ SLACK_B0T_T0KEN: 'x' }, 'SLACK_B0T_T0KEN (did you mean SLACK_BOT_TOKEN?)'],
    [{ DISCORD_T0KEN: 'x' }, 'DISCORD_T0KEN (did you mean DISCORD_TOKEN?)'],
  ])('refuses the sandbox for a token misspelt without the word "token": %j', async (env, named) => {
    await expect(startCheck(env)).rejects.toThrow(named)
  })
})

describe('the sandbox refuses to start where a real install lives, unless asked for', () => {
  it.each([
    [{ DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/threadbridge' }, 'DATABASE_URL'],
    [{ THREADBRIDGE_CONFIG: '/etc/threadbridge/communities.json' }, 'THREADBRIDGE_CONFIG'],
    [{ NODE_ENV: 'production' }, 'NODE_ENV=production'],
  ])('refuses with %j set, naming %s and the switch', async (env, named) => {
    const refusal = await startCheck(env).then(
      () => undefined,
      (error: unknown) => error,
    )
    expect(refusal).toBeInstanceOf(ConfigError)
    expect((refusal as Error).message).toContain(named)
    expect((refusal as Error).message).toContain('THREADBRIDGE_SANDBOX=1')
  })

  it('starts with nothing set: the README’s npm install && npm start', async () => {
    expect(await startCheck({})).toEqual([])
  })

  it('starts when asked for by THREADBRIDGE_SANDBOX=1, and says the config file is ignored', async () => {
    expect(
      await startCheck({ THREADBRIDGE_SANDBOX: '1', DATABASE_URL: 'postgres://postgres@127.0.0.1/x' }),
    ).toEqual([])
    expect(await startCheck({ THREADBRIDGE_SANDBOX: '1', THREADBRIDGE_CONFIG: 'communities.json' })).toEqual([
      'THREADBRIDGE_CONFIG (communities.json) is ignored in the sandbox: it runs its own community, on the emulators',
    ])
  })

  it('refuses THREADBRIDGE_SANDBOX=1 beside platform tokens, and a switch it cannot read', async () => {
    await expect(
      loadConfig({
        THREADBRIDGE_SANDBOX: '1',
        DISCORD_TOKEN: 'd',
        SLACK_BOT_TOKEN: 'xoxb-1',
        SLACK_APP_TOKEN: 'xapp-1',
      }),
    ).rejects.toThrow(/^THREADBRIDGE_SANDBOX: expected unset when platform tokens are set/)
    await expect(loadConfig({ THREADBRIDGE_SANDBOX: 'please' })).rejects.toThrow(
      /^THREADBRIDGE_SANDBOX: expected 1 \(or true\)/,
    )
  })
})

describe('the sandbox world', () => {
  let sandbox: Sandbox
  beforeAll(async () => {
    sandbox = await startSandbox({ discordPort: 0, slackPort: 0 })
  })
  afterAll(async () => {
    await sandbox?.stop()
  })

  it('uses a community id of its own, never the one a real install starts with', () => {
    expect(DEFAULT_COMMUNITIES.map((c) => c.id)).not.toContain(sandbox.community.id)
    expect(sandbox.community.id).toBe('sandbox')
  })

  it('keeps the id a world saved before it had its own was bound to', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'threadbridge-sandbox-world-'))
    try {
      const first = await startSandbox({ dataDir: dir, discordPort: 0, slackPort: 0 })
      await first.stop()
      const file = path.join(dir, 'sandbox.json')
      const { communityId, ...older } = JSON.parse(await readFile(file, 'utf8'))
      expect(communityId).toBe('sandbox')
      await writeFile(file, JSON.stringify(older))
      const again = await startSandbox({ dataDir: dir, discordPort: 0, slackPort: 0 })
      await again.stop()
      expect(again.community.id).toBe('lightbulb-moment')
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })

  it('answers no page that rebinds its own domain to 127.0.0.1', async () => {
    for (const base of [sandbox.discord.url, sandbox.slack.url]) {
      const port = new URL(base).port
      expect(await requestAs(`${base}/_sandbox/state`, `evil.example:${port}`)).toEqual({
        status: 403,
        body: JSON.stringify({ error: 'the sandbox answers only to 127.0.0.1, localhost and [::1]' }),
      })
      expect((await requestAs(`${base}/_sandbox/state`, `localhost:${port}`)).status).toBe(200)
    }
  })

  it('takes control calls as JSON only: a web page’s form POST is refused with 415', async () => {
    const forum = sandbox.discordSeed.forumId
    const jo = sandbox.discordSeed.users.jo
    const attempts: [string, Record<string, string>, string][] = [
      // What a page can send cross-site without asking first: form, multipart, text/plain, none.
      [
        sandbox.discord.url,
        { 'content-type': 'text/plain' },
        JSON.stringify({ author_id: jo, name: 'x', content: 'y' }),
      ],
      [
        sandbox.discord.url,
        { 'content-type': 'application/x-www-form-urlencoded' },
        `author_id=${jo}&name=x&content=y`,
      ],
      [sandbox.slack.url, { 'content-type': 'text/plain;charset=UTF-8' }, '{"user":"U0SAM","text":"x"}'],
      [sandbox.slack.url, { 'content-type': 'multipart/form-data; boundary=b' }, '--b--'],
      [sandbox.slack.url, {}, ''],
    ]
    for (const [base, headers, body] of attempts) {
      const path = base === sandbox.discord.url ? `/channels/${forum}/threads` : '/messages'
      const answer = await fetch(`${base}/_sandbox${path}`, { method: 'POST', headers, body })
      expect([answer.status, await answer.json()]).toEqual([
        415,
        { error: 'the control API takes application/json only' },
      ])
    }
    expect(await control(sandbox.discord.url, 'GET', `/channels/${forum}/threads`)).toEqual([])
    // JSON, with a charset or not, is what it takes.
    const made = await fetch(`${sandbox.discord.url}/_sandbox/channels/${forum}/threads`, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8' },
      body: JSON.stringify({ author_id: jo, name: 'Asked for', content: 'in JSON' }),
    })
    expect(made.status).toBe(201)
  })
})

// Real processes: a whole bot starts (tsx, migrations, emulators, both clients), which on a
// loaded two-core machine takes longer than the default; what is asserted never depends on time.
/** A request with the Host header a browser sends for a rebound domain: fetch would set its own. */
function requestAs(url: string, host: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const call = request(url, { method: 'GET', headers: { host } }, (res) => {
      let body = ''
      res.on('data', (chunk: Buffer) => {
        body += chunk.toString('utf8')
      })
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }))
    })
    call.on('error', reject)
    call.end()
  })
}

describe('npm start, as a new admin runs it', { timeout: 120_000 }, () => {
  let workDir: string
  let dirs = 0
  const dataDir = () => botDataDir(path.join(workDir, `data-${++dirs}`))
  beforeAll(async () => {
    workDir = await mkdtemp(path.join(tmpdir(), 'threadbridge-sandbox-fails-closed-'))
  })
  afterAll(async () => {
    await rm(workDir, { recursive: true, force: true })
  })

  it('refuses, in one line, to turn a production install into the sandbox', async () => {
    const bot = npmStart(cleanEnv({ NODE_ENV: 'production', DISCORD_BOT_TOKEN: 'real-looking' }))
    expect((await bot.exited).code).toBe(2)
    const lines = bot.output().trim().split('\n')
    expect(lines).toHaveLength(1)
    expect(lines[0]).toMatch(
      /^threadbridge: configuration error: THREADBRIDGE_SANDBOX: .*DISCORD_BOT_TOKEN \(did you mean DISCORD_TOKEN\?\).*NODE_ENV=production/,
    )
    expect(bot.output()).not.toContain('real-looking')
  })

  it('with THREADBRIDGE_SLACK_MODE=http, serves the sandbox’s Slack over signed HTTP, and says it is the sandbox', async () => {
    const slackHttpPort = await freePort()
    const bot = npmStart(
      cleanEnv({
        THREADBRIDGE_DATA_DIR: await dataDir(),
        THREADBRIDGE_SANDBOX_DISCORD_PORT: String(await freePort()),
        THREADBRIDGE_SANDBOX_SLACK_PORT: String(await freePort()),
        THREADBRIDGE_SLACK_MODE: 'http',
        THREADBRIDGE_SLACK_HTTP_PORT: String(slackHttpPort),
        THREADBRIDGE_COLOUR: 'blue',
      }),
    )
    try {
      await bot.waitFor('Press Ctrl-C to stop.')
      const output = bot.output()
      expect(output).toContain('THREADBRIDGE_COLOUR is not a Threadbridge setting, so it is ignored')
      expect(output).toMatch(/SANDBOX: no DISCORD_TOKEN or SLACK_BOT_TOKEN was found/)
      expect(output).toContain('Threadbridge is running in the sandbox')
      expect(output).not.toContain('Threadbridge is running.')
      const eventsUrl = `http://127.0.0.1:${slackHttpPort}/slack/events`
      expect(output).toContain(`over HTTP: signed requests to ${eventsUrl}`)

      const body = JSON.stringify({ type: 'url_verification', challenge: 'c', token: 't' })
      const send = (headers: Record<string, string>) =>
        fetch(eventsUrl, {
          method: 'POST',
          body,
          headers: { 'content-type': 'application/json', ...headers },
        })
      expect((await send({})).status).toBe(401)
      expect((await send(HttpDelivery.sign('not-the-secret', body, Date.now()))).status).toBe(401)
      const stale = HttpDelivery.sign(SANDBOX_SIGNING_SECRET, body, Date.now() - 6 * 60_000)
      expect((await send(stale)).status).toBe(401)
      expect((await send(HttpDelivery.sign(SANDBOX_SIGNING_SECRET, body, Date.now()))).status).toBe(200)
    } finally {
      bot.signal('SIGINT')
      await bot.exited
    }
  })
})
