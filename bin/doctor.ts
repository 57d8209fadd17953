/**
 * `threadbridge doctor`: checks, one line each, what the bot needs to bridge, and what to fix:
 * the platforms' tokens, the Message Content intent, the Slack scopes, the bot in each bridged
 * channel with its rights, the slash commands, the database (reachable and migrated) and Redis
 * (when configured). Exits 0 when every check passes, 1 otherwise. It only reads, and runs
 * whether or not the bot does: it never takes the data-directory lock, and never opens the
 * embedded database while a bot holds it (PGlite is one process's at a time); that bot migrated
 * it at start and reports it on /readyz. With no tokens it checks the sandbox `start` uses: the
 * running one, or one it starts itself, in memory on free ports, from a fresh seed.
 */
import { existsSync } from 'node:fs'
import path from 'node:path'
import pino from 'pino'
import { discordCommand, discordMessageCommands } from '../adapters/discord/discord-command-data.ts'
import { checkDiscord } from '../adapters/discord/discord-doctor.ts'
import { checkSlack, type SlackDoctorOptions } from '../adapters/slack/slack-doctor.ts'
import { commandSet } from '../commands/registry.ts'
import {
  SANDBOX_COMMUNITY_NAME,
  SANDBOX_SIGNING_SECRET,
  SANDBOX_TOKENS,
  type Sandbox,
  savedSandboxCommunity,
  startSandbox,
} from '../sandbox/sandbox.ts'
import { THREADBRIDGE_MANIFEST } from '../sandbox/slack/slack-app-manifest.ts'
import { type Config, loadConfig } from '../src/config/load-config.ts'
import { pendingMigrations } from '../src/db/migrate.ts'
import { openDatabase } from '../src/db/open-database.ts'
import { type DoctorCheck, fail, note, ok } from '../src/doctor/doctor-check.ts'
import { connectSharedRateStore } from '../src/mirror/shared-rate-store.ts'
import { exitWithError } from './cli-support.ts'
import { dataDirHolder } from './lock-data-dir.ts'

const MARKS = { ok: '✓', fail: '✗', note: '-' } as const

/** Prints each check as it completes and returns the exit code: 0 when none failed. */
export async function runDoctor(env: NodeJS.ProcessEnv): Promise<number> {
  const config = await loadConfig(env).catch(exitWithError)
  let failed = false
  const report = (checks: DoctorCheck[]) => {
    for (const check of checks) {
      if (check.status === 'fail') failed = true
      console.log(`${MARKS[check.status]} ${check.line}`)
    }
  }
  const running = dataDirHolder(config.dataDir)
  let sandbox: Sandbox | undefined
  try {
    report(await checkDatabase(config, running))
    if (config.rateLimits.store === 'redis') report([await checkRedis(config.rateLimits.url)])

    let target = platformTarget(config)
    if (target !== undefined)
      report([
        config.communities.some((c) => c.discord !== undefined && c.slack !== undefined)
          ? ok(
              `communities: ${config.communities.filter((c) => c.discord && c.slack).length} bridged to both platforms (from ${config.configSource})`,
            )
          : fail(
              `communities: none is bridged to both a Discord and a Slack channel (from ${config.configSource}): set THREADBRIDGE_CONFIG to a file naming them`,
            ),
      ])
    if (config.rateLimits.store !== 'redis')
      report([
        note("Redis: REDIS_URL is not set, so rate limits are counted in the bot's process: not checked"),
      ])
    if (target === undefined) {
      // No tokens: the sandbox. The running bot's, at its ports; otherwise one of our own.
      if (running === undefined) {
        sandbox = await startSandbox({ discordPort: 0, slackPort: 0 })
        report([note('no platform tokens set: checking a sandbox started for this check, from a fresh seed')])
      } else
        report([note(`no platform tokens set: checking the sandbox of the running bot (pid ${running})`)])
      target = await sandboxTarget(config, sandbox)
    }
    report(await checkDiscord({ ...target.discord, commandNames: sandbox ? undefined : COMMAND_NAMES }))
    if (sandbox)
      report([
        note('Discord: slash commands are registered when the bot starts: not checked on this sandbox'),
      ])
    report(await checkSlack({ ...target.slack, requiredScopes: THREADBRIDGE_MANIFEST.botScopes }))
  } finally {
    await sandbox?.stop()
  }
  return failed ? 1 : 0
}

/** What `start` registers in each bridged server: the chat commands and the message commands. */
const COMMAND_NAMES = [
  ...commandSet.definitions.map((definition) => discordCommand(definition).name),
  ...discordMessageCommands(commandSet.definitions).map((command) => command.name),
]

interface Target {
  discord: { token: string; apiUrl: string | undefined; bridges: { guildId: string; channelId: string }[] }
  slack: Omit<SlackDoctorOptions, 'requiredScopes'>
}

function platformTarget(config: Config): Target | undefined {
  if (config.discord === null || config.slack === null) return undefined
  return {
    discord: {
      ...config.discord,
      bridges: config.communities.flatMap((c) => (c.discord ? [c.discord] : [])),
    },
    slack: {
      botToken: config.slack.botToken,
      receiving:
        config.slack.mode === 'http'
          ? { mode: 'http', signingSecret: config.slack.signingSecret }
          : { mode: 'socket', appToken: config.slack.appToken ?? '' },
      apiUrl: config.slack.apiUrl,
      channelIds: config.communities.flatMap((c) => (c.slack ? [c.slack.channelId] : [])),
      workspaces: config.communities.flatMap((c) =>
        c.slack ? [{ community: c.name, teamId: c.slack.teamId }] : [],
      ),
    },
  }
}

/** The sandbox we started, or the running bot's at its configured ports, with its seeded channels. */
async function sandboxTarget(config: Config, sandbox: Sandbox | undefined): Promise<Target> {
  const ports = config.sandbox ?? { discordPort: 4101, slackPort: 4102 }
  const discordUrl = sandbox?.discord.url ?? `http://127.0.0.1:${ports.discordPort}`
  const slackUrl = sandbox?.slack.url ?? `http://127.0.0.1:${ports.slackPort}`
  const seeded = sandbox?.community ?? (await savedSandboxCommunity(config.dataDir))
  const tokens = sandbox?.tokens ?? SANDBOX_TOKENS
  return {
    discord: {
      token: tokens.discord,
      apiUrl: `${discordUrl}/api`,
      bridges: seeded?.discord ? [seeded.discord] : [],
    },
    slack: {
      botToken: tokens.slackBot,
      // As the bot reaches the sandbox's Slack: THREADBRIDGE_SLACK_MODE applies there too.
      receiving:
        config.sandbox?.slack.mode === 'http'
          ? { mode: 'http', signingSecret: SANDBOX_SIGNING_SECRET, sandbox: true }
          : { mode: 'socket', appToken: tokens.slackApp },
      apiUrl: `${slackUrl}/api/`,
      channelIds: seeded?.slack ? [seeded.slack.channelId] : [],
      workspaces: seeded?.slack ? [{ community: SANDBOX_COMMUNITY_NAME, teamId: seeded.slack.teamId }] : [],
    },
  }
}

async function checkDatabase(config: Config, running: number | undefined): Promise<DoctorCheck[]> {
  if (config.database.kind === 'embedded') {
    if (running !== undefined)
      return [
        ok(
          `database: the bot is running (pid ${running}) and holds the embedded database, which it migrated at start; its /readyz says whether it answers`,
        ),
      ]
    if (!existsSync(config.database.dataDir))
      return [
        fail(
          `database: no embedded database at ${config.database.dataDir} yet: \`threadbridge migrate\` (or \`threadbridge start\`) creates it`,
        ),
      ]
  }
  const where = config.database.kind === 'embedded' ? path.resolve(config.database.dataDir) : 'DATABASE_URL'
  let database: Awaited<ReturnType<typeof openDatabase>>
  try {
    database = await openDatabase(config.database)
  } catch (error) {
    return [fail(`database: ${error instanceof Error ? error.message : String(error)}`)]
  }
  try {
    const pending = await pendingMigrations(database.db)
    return [
      ok(`database: reachable (${database.kind === 'embedded' ? 'embedded, ' : ''}${where})`),
      pending.length === 0
        ? ok('database: the schema is up to date')
        : fail(
            `database: ${pending.length} migrations are not applied (${pending[0]}, …): run \`threadbridge migrate\``,
          ),
    ]
  } catch (error) {
    return [
      fail(`database: cannot read its migrations: ${error instanceof Error ? error.message : String(error)}`),
    ]
  } finally {
    await database.close().catch(() => {})
  }
}

async function checkRedis(url: string): Promise<DoctorCheck> {
  const store = connectSharedRateStore(url, pino({ level: 'silent' }))
  try {
    await store.ready(5000)
    return ok('Redis: REDIS_URL answers')
  } catch (error) {
    return fail(`Redis: ${error instanceof Error ? error.message : String(error)}`)
  } finally {
    await store.stop().catch(() => {})
  }
}
