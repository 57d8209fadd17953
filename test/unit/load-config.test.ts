import { describe, expect, it } from 'vitest'
import { DEFAULT_COMMUNITIES, loadConfig } from '../../src/config/load-config.ts'
import { ConfigError } from '../../src/errors.ts'

const noFile = async (file: string): Promise<string> => {
  throw Object.assign(new Error(`ENOENT: ${file}`), { code: 'ENOENT' })
}
const fileWith = (content: unknown) => async () => JSON.stringify(content)

describe('loadConfig', () => {
  it('defaults to the embedded database and the seed community, with no platform configured', async () => {
    const config = await loadConfig({}, noFile)
    expect(config.database).toEqual({ kind: 'embedded', dataDir: 'data/pglite' })
    expect(config.dataDir).toBe('data')
    expect(config.communities).toEqual(DEFAULT_COMMUNITIES)
    expect(config.discord).toBeNull()
    expect(config.slack).toBeNull()
    expect(config.logLevel).toBe('info')
    expect(config.sandbox).toEqual({
      discordPort: 4101,
      slackPort: 4102,
      explicit: false,
      slack: { mode: 'socket' },
    })
  })

  it('runs the sandbox only when no platform token is set, on configurable ports', async () => {
    const tokens = { DISCORD_TOKEN: 'd', SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1' }
    expect((await loadConfig(tokens, noFile)).sandbox).toBeNull()
    expect((await loadConfig({ THREADBRIDGE_SANDBOX_SLACK_PORT: '5102' }, noFile)).sandbox).toMatchObject({
      discordPort: 4101,
      slackPort: 5102,
    })
    await expect(loadConfig({ THREADBRIDGE_SANDBOX_DISCORD_PORT: 'eighty' }, noFile)).rejects.toMatchObject({
      setting: 'THREADBRIDGE_SANDBOX_DISCORD_PORT',
    })
  })

  it('rewrites deleted words off disk five minutes after the first deletion, or as configured', async () => {
    expect((await loadConfig({}, noFile)).vacuumDelayMs).toBe(300_000)
    expect((await loadConfig({ THREADBRIDGE_VACUUM_DELAY_SECONDS: '0' }, noFile)).vacuumDelayMs).toBe(0)
    for (const bad of ['soon', '-1', '1.5', '86401'])
      await expect(loadConfig({ THREADBRIDGE_VACUUM_DELAY_SECONDS: bad }, noFile)).rejects.toMatchObject({
        setting: 'THREADBRIDGE_VACUUM_DELAY_SECONDS',
      })
  })

  it('uses PostgreSQL when DATABASE_URL is set, and treats an empty one as unset', async () => {
    const url = 'postgres://postgres@127.0.0.1:5432/test'
    expect((await loadConfig({ DATABASE_URL: url }, noFile)).database).toEqual({ kind: 'postgres', url })
    expect((await loadConfig({ DATABASE_URL: '' }, noFile)).database.kind).toBe('embedded')
  })

  it('counts rate limits in this process unless REDIS_URL shares them, and checks that URL', async () => {
    expect((await loadConfig({}, noFile)).rateLimits).toEqual({ store: 'local' })
    expect((await loadConfig({ REDIS_URL: '' }, noFile)).rateLimits).toEqual({ store: 'local' })
    expect((await loadConfig({ REDIS_URL: 'redis://127.0.0.1:6379' }, noFile)).rateLimits).toEqual({
      store: 'redis',
      url: 'redis://127.0.0.1:6379',
    })
    const error = await loadConfig({ REDIS_URL: 'http://:s3cret@cache' }, noFile).catch((e: unknown) => e)
    expect((error as ConfigError).message).toBe('REDIS_URL: expected a redis://host:port URL')
    expect((error as ConfigError).message).not.toContain('s3cret')
  })

  it('names the bad variable and what was expected, without echoing its value', async () => {
    const error = await loadConfig({ DATABASE_URL: 'mysql://root:hunter2@db/x' }, noFile).catch(
      (e: unknown) => e,
    )
    expect(error).toBeInstanceOf(ConfigError)
    expect((error as ConfigError).message).toBe(
      'DATABASE_URL: expected a postgres://user@host:port/database URL',
    )
    expect((error as ConfigError).message).not.toContain('hunter2')
  })

  it('rejects an unknown log level', async () => {
    await expect(loadConfig({ LOG_LEVEL: 'loud' }, noFile)).rejects.toMatchObject({ setting: 'LOG_LEVEL' })
  })

  it('reads communities and their bridges from the config file', async () => {
    const config = await loadConfig(
      { THREADBRIDGE_CONFIG: 'threadbridge.json' },
      fileWith({
        communities: [
          {
            id: 'lightbulb-moment',
            name: 'Lightbulb Moment',
            discord: { guildId: '1', channelId: '2' },
            slack: { teamId: 'T1', channelId: 'C1' },
          },
          { id: 'second', name: 'Second Community' },
        ],
      }),
    )
    expect(config.communities.map((c) => c.id)).toEqual(['lightbulb-moment', 'second'])
    expect(config.communities[0]?.slack).toEqual({ teamId: 'T1', channelId: 'C1' })
    expect(config.configSource).toBe('threadbridge.json')
  })

  it('reads who moderates by platform: Discord roles, Slack workspace admins', async () => {
    const community = {
      id: 'lightbulb-moment',
      name: 'Lightbulb Moment',
      discord: { guildId: '1', channelId: '2', moderatorRoles: ['Moderators', '1100000000000000009'] },
      slack: { teamId: 'T1', channelId: 'C1', workspaceAdminsModerate: true },
    }
    const config = await loadConfig({ THREADBRIDGE_CONFIG: 'c.json' }, fileWith({ communities: [community] }))
    expect(config.communities[0]?.discord?.moderatorRoles).toEqual(['Moderators', '1100000000000000009'])
    expect(config.communities[0]?.slack?.workspaceAdminsModerate).toBe(true)
    const wrong = { ...community, slack: { ...community.slack, workspaceAdminsModerate: 'yes' } }
    await expect(
      loadConfig({ THREADBRIDGE_CONFIG: 'c.json' }, fileWith({ communities: [wrong] })),
    ).rejects.toMatchObject({ setting: 'c.json: communities[0].slack.workspaceAdminsModerate' })
  })

  it('points at the offending path inside the config file', async () => {
    const read = fileWith({ communities: [{ id: 'ok', name: 'Ok', slack: { teamId: 'T1', channelId: '' } }] })
    await expect(loadConfig({ THREADBRIDGE_CONFIG: 'c.json' }, read)).rejects.toMatchObject({
      setting: 'c.json: communities[0].slack.channelId',
    })
    await expect(
      loadConfig(
        { THREADBRIDGE_CONFIG: 'c.json' },
        fileWith({ communities: [{ id: 'Not A Slug', name: 'x' }] }),
      ),
    ).rejects.toMatchObject({ setting: 'c.json: communities[0].id' })
    await expect(
      loadConfig(
        { THREADBRIDGE_CONFIG: 'c.json' },
        fileWith({
          communities: [
            { id: 'a', name: 'A' },
            { id: 'a', name: 'B' },
          ],
        }),
      ),
    ).rejects.toMatchObject({ setting: 'c.json: communities', expected: 'expected unique community ids' })
    const shared = { guildId: '1', channelId: '2' }
    await expect(
      loadConfig(
        { THREADBRIDGE_CONFIG: 'c.json' },
        fileWith({
          communities: [
            { id: 'a', name: 'A', discord: shared },
            { id: 'b', name: 'B', discord: shared },
          ],
        }),
      ),
    ).rejects.toMatchObject({ expected: 'expected each channel to be bridged to one community only' })
  })

  it('refuses a misspelt key in a community rather than ignoring what it meant', async () => {
    // "moderator" for "moderators": ignored, the person named would silently not moderate.
    const read = fileWith({
      communities: [{ id: 'a', name: 'A', moderator: [{ platform: 'discord', userId: '1' }] }],
    })
    await expect(loadConfig({ THREADBRIDGE_CONFIG: 'c.json' }, read)).rejects.toMatchObject({
      setting: 'c.json: communities[0]',
      expected: expect.stringContaining('moderator'),
    })
  })

  it('explains a missing or malformed config file', async () => {
    await expect(loadConfig({ THREADBRIDGE_CONFIG: 'missing.json' }, noFile)).rejects.toMatchObject({
      setting: 'THREADBRIDGE_CONFIG (missing.json)',
      expected: 'expected a readable file',
    })
    await expect(loadConfig({ THREADBRIDGE_CONFIG: 'bad.json' }, async () => '{nope')).rejects.toThrow(
      /expected valid JSON/,
    )
  })

  it('keeps tokens for the adapters and requires a bot token beside an app token', async () => {
    const config = await loadConfig(
      { SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1', DISCORD_TOKEN: 'd' },
      noFile,
    )
    expect(config.slack).toEqual({
      mode: 'socket',
      botToken: 'xoxb-1',
      appToken: 'xapp-1',
      signingSecret: null,
      apiUrl: undefined,
    })
    expect(config.discord).toEqual({ token: 'd', apiUrl: undefined })
    await expect(loadConfig({ SLACK_APP_TOKEN: 'xapp-1' }, noFile)).rejects.toMatchObject({
      setting: 'SLACK_BOT_TOKEN',
    })
  })

  it('refuses half a configuration, naming what is missing', async () => {
    await expect(loadConfig({ DISCORD_TOKEN: 'd', SLACK_BOT_TOKEN: 'xoxb-1' }, noFile)).rejects.toMatchObject(
      { setting: 'SLACK_APP_TOKEN' },
    )
    await expect(loadConfig({ DISCORD_TOKEN: 'd' }, noFile)).rejects.toMatchObject({
      setting: 'SLACK_BOT_TOKEN',
      message: expect.stringContaining('a bridge needs both platforms'),
    })
    await expect(
      loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1' }, noFile),
    ).rejects.toMatchObject({ setting: 'DISCORD_TOKEN' })
  })

  it('serves health and metrics on loopback port 3000 unless told otherwise; 0 is allowed', async () => {
    expect((await loadConfig({}, noFile)).http).toEqual({ host: '127.0.0.1', port: 3000 })
    expect(
      (await loadConfig({ THREADBRIDGE_HTTP_PORT: '0', THREADBRIDGE_HTTP_HOST: '0.0.0.0' }, noFile)).http,
    ).toEqual({ host: '0.0.0.0', port: 0 })
    await expect(loadConfig({ THREADBRIDGE_HTTP_PORT: '-1' }, noFile)).rejects.toMatchObject({
      setting: 'THREADBRIDGE_HTTP_PORT',
    })
  })

  it('points the platforms at other API bases when asked', async () => {
    const config = await loadConfig(
      {
        DISCORD_TOKEN: 'd',
        SLACK_BOT_TOKEN: 'xoxb-1',
        SLACK_APP_TOKEN: 'xapp-1',
        THREADBRIDGE_DISCORD_API_URL: 'http://127.0.0.1:1/api',
        THREADBRIDGE_SLACK_API_URL: 'http://127.0.0.1:2/api/',
      },
      noFile,
    )
    expect([config.discord?.apiUrl, config.slack?.apiUrl]).toEqual([
      'http://127.0.0.1:1/api',
      'http://127.0.0.1:2/api/',
    ])
    await expect(loadConfig({ THREADBRIDGE_SLACK_API_URL: 'slack' }, noFile)).rejects.toMatchObject({
      setting: 'THREADBRIDGE_SLACK_API_URL',
    })
  })

  it('serves Slack over HTTP with THREADBRIDGE_SLACK_MODE=http: the signing secret and no app token', async () => {
    const http = { THREADBRIDGE_SLACK_MODE: 'http', SLACK_BOT_TOKEN: 'xoxb-1', DISCORD_TOKEN: 'd' }
    const config = await loadConfig({ ...http, SLACK_SIGNING_SECRET: 's3cret' }, noFile)
    expect(config.slack).toEqual({
      mode: 'http',
      botToken: 'xoxb-1',
      signingSecret: 's3cret',
      httpPort: 3001,
      apiUrl: undefined,
    })
    expect(
      (await loadConfig({ ...http, SLACK_SIGNING_SECRET: 's', THREADBRIDGE_SLACK_HTTP_PORT: '8080' }, noFile))
        .slack,
    ).toMatchObject({ httpPort: 8080 })
    const noSecret = loadConfig(http, noFile)
    await expect(noSecret).rejects.toMatchObject({ setting: 'SLACK_SIGNING_SECRET' })
    await expect(noSecret).rejects.toThrow(/^SLACK_SIGNING_SECRET: .*THREADBRIDGE_SLACK_MODE=http/)
    await expect(
      loadConfig({ ...http, SLACK_SIGNING_SECRET: 's', SLACK_APP_TOKEN: 'xapp-1' }, noFile),
    ).rejects.toMatchObject({ setting: 'SLACK_APP_TOKEN' })
    await expect(loadConfig({ THREADBRIDGE_SLACK_MODE: 'webhook' }, noFile)).rejects.toMatchObject({
      setting: 'THREADBRIDGE_SLACK_MODE',
      expected: 'expected socket or http',
    })
  })
})
