import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { GatewayIntentBits } from 'discord-api-types/v10'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { PRIVILEGED_INTENTS } from '../../sandbox/discord/discord-gateway.ts'
import { THREADBRIDGE_MANIFEST } from '../../sandbox/slack/slack-app-manifest.ts'
import { migrateToLatest } from '../../src/db/migrate.ts'
import { openDatabase } from '../../src/db/open-database.ts'
import { botDataDir } from '../support/bot-data-dir.ts'
import { type BridgeHarness, useBridge } from '../support/bridge-harness.ts'
import { runCli } from '../support/run-cli.ts'

/**
 * `threadbridge doctor` as an operator runs it, against the sandbox the bot runs on (the real
 * discord.js and Bolt clients registered its commands), with its own embedded database, migrated.
 */
function useDoctor(t: BridgeHarness) {
  let dir: string
  beforeEach(async () => {
    dir = await botDataDir(await mkdtemp(path.join(tmpdir(), 'threadbridge-doctor-')))
    const database = await openDatabase({ kind: 'embedded', dataDir: path.join(dir, 'pglite') })
    await migrateToLatest(database.db)
    await database.close()
  })
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true })
  })
  return async (communities: unknown[] = [t.sandbox.community]) => {
    const config = path.join(dir, 'communities.json')
    await writeFile(config, JSON.stringify({ communities }))
    return runCli(['doctor'], {
      DISCORD_TOKEN: t.sandbox.tokens.discord,
      THREADBRIDGE_DISCORD_API_URL: t.sandbox.discord.apiUrl,
      SLACK_BOT_TOKEN: t.sandbox.tokens.slackBot,
      SLACK_APP_TOKEN: t.sandbox.tokens.slackApp,
      THREADBRIDGE_SLACK_API_URL: t.sandbox.slack.apiUrl,
      THREADBRIDGE_CONFIG: config,
      THREADBRIDGE_DATA_DIR: dir,
      ...(process.env.REDIS_URL ? { REDIS_URL: process.env.REDIS_URL } : {}),
    })
  }
}

const failures = (stdout: string) => stdout.split('\n').filter((line) => line.startsWith('✗'))

describe('threadbridge doctor, against the sandbox', () => {
  const t = useBridge()
  const doctor = useDoctor(t)

  it('passes every check and exits 0', async () => {
    const result = await doctor()
    expect(failures(result.stdout)).toEqual([])
    expect(result.stdout).toMatch(/^✓ Discord: the Message Content intent is enabled$/m)
    expect(result.stdout).toMatch(/^✓ Discord: in #discussions the bot has every right it uses/m)
    expect(result.stdout).toMatch(/^✓ Discord: the \d+ slash commands are registered in Lightbulb Moment$/m)
    expect(result.stdout).toMatch(/^✓ Slack: the bot token has every scope/m)
    expect(result.stdout).toMatch(/^✓ Slack: the bot is in #lightbulb-moment$/m)
    expect(result.stdout).toMatch(/^✓ database: the schema is up to date$/m)
    expect(result.stdout).toMatch(/^✓ communities: 1 bridged to both platforms/m)
    expect(result.stdout).not.toContain(t.sandbox.tokens.slackBot)
    expect(result).toMatchObject({ code: 0, stderr: '' })

    // Tokens that work, and nothing bridged: the bot would mirror nothing, and doctor says so.
    const { discord: _d, slack: _s, ...unbridged } = t.sandbox.community
    const lonely = await doctor([unbridged])
    expect(failures(lonely.stdout)).toEqual([
      expect.stringMatching(/^✗ communities: none is bridged to both a Discord and a Slack channel/),
    ])
    expect(lonely.code).toBe(1)
  })

  it('names exactly the withdrawn Message Content intent, and exits 1', async () => {
    t.sandbox.discord.privilegedIntents = PRIVILEGED_INTENTS & ~GatewayIntentBits.MessageContent
    const result = await doctor()
    expect(failures(result.stdout)).toEqual([
      '✗ Discord: the Message Content intent is not enabled: turn on "Message Content Intent" under Bot, Privileged Gateway Intents, in the Developer Portal',
    ])
    expect(result.code).toBe(1)
  })
})

describe('threadbridge doctor, against a Slack app without reactions:write', () => {
  const t = useBridge({
    slackAppManifest: {
      ...THREADBRIDGE_MANIFEST,
      botScopes: THREADBRIDGE_MANIFEST.botScopes.filter((scope) => scope !== 'reactions:write'),
    },
  })
  const doctor = useDoctor(t)

  it('names exactly that scope, and exits 1', async () => {
    const result = await doctor()
    expect(failures(result.stdout)).toEqual([
      '✗ Slack: the bot token lacks the scope reactions:write: add it under OAuth & Permissions (or update the app from slack-manifest.yml), then reinstall the app',
    ])
    expect(result.code).toBe(1)
  })
})
