import { readFile } from 'node:fs/promises'
import path from 'node:path'
import type { z } from 'zod'
import { ConfigError } from '../errors.ts'
import { type CommunityConfig, configFileSchema, envSchema } from './config-schema.ts'

export interface Config {
  database: { kind: 'postgres'; url: string } | { kind: 'embedded'; dataDir: string }
  /**
   * Where the platforms' rate limits are counted: in this process, or in Redis when several
   * processes post for the same bot (they must share one budget, or together they exceed it).
   */
  rateLimits: { store: 'local' } | { store: 'redis'; url: string }
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent'
  communities: CommunityConfig[]
  /**
   * Tokens stay in here and are handed to adapters; nothing logs this object. Both platforms are
   * configured or neither (the sandbox): a bridge with one side has nothing to bridge to.
   */
  discord: { token: string; apiUrl: string | undefined } | null
  /**
   * Slack over Socket Mode (the app token opens the connection) or over HTTP (Slack POSTs to
   * /slack/events on `httpPort`, every request signed with the signing secret).
   */
  slack:
    | {
        mode: 'socket'
        botToken: string
        appToken: string | null
        signingSecret: string | null
        apiUrl: string | undefined
      }
    | { mode: 'http'; botToken: string; signingSecret: string; httpPort: number; apiUrl: string | undefined }
    | null
  /** The health, readiness and metrics server. */
  http: { host: string; port: number }
  /** Where the communities came from, for the start-up line. */
  configSource: string
  /** Where the sandbox (and the embedded database) keep their files. */
  dataDir: string
  /** How long after a deletion or edit the tables it touched are rewritten (docs/erasure.md). */
  vacuumDelayMs: number
  /**
   * With no platform tokens at all, the bot runs against the local emulators on these ports;
   * `explicit` when THREADBRIDGE_SANDBOX=1 asked for it (sandbox-guard.ts), Slack over Socket Mode
   * or signed HTTP requests to `slackHttpPort` (THREADBRIDGE_SLACK_MODE).
   */
  sandbox: {
    discordPort: number
    slackPort: number
    explicit: boolean
    slack: { mode: 'socket' } | { mode: 'http'; httpPort: number }
  } | null
}

/** Until a config file says otherwise, the deployment serves the community it was made for. */
export const DEFAULT_COMMUNITIES: CommunityConfig[] = [
  { id: 'lightbulb-moment', name: 'Lightbulb Moment', moderators: [] },
]

/**
 * Reads and validates the environment and the optional config file. Throws ConfigError naming
 * the first bad setting and what was expected, so start-up can print one line and stop.
 */
export async function loadConfig(
  env: Record<string, string | undefined>,
  read: (file: string) => Promise<string> = (file) => readFile(file, 'utf8'),
): Promise<Config> {
  const vars = readEnv(env)

  let communities = DEFAULT_COMMUNITIES
  let configSource = 'built-in defaults'
  if (vars.THREADBRIDGE_CONFIG !== undefined) {
    const file = vars.THREADBRIDGE_CONFIG
    let raw: unknown
    try {
      raw = JSON.parse(await read(file))
    } catch (error) {
      const reason =
        error instanceof SyntaxError ? `expected valid JSON (${error.message})` : 'expected a readable file'
      throw new ConfigError(`THREADBRIDGE_CONFIG (${file})`, reason)
    }
    const parsedFile = configFileSchema.safeParse(raw)
    if (!parsedFile.success)
      throw toConfigError(parsedFile.error, (path) => `${file}: ${path || '(top level)'}`)
    communities = parsedFile.data.communities
    configSource = file
  }

  if (vars.SLACK_BOT_TOKEN === undefined && vars.SLACK_APP_TOKEN !== undefined) {
    throw new ConfigError('SLACK_BOT_TOKEN', 'expected a bot token (xoxb-…) alongside SLACK_APP_TOKEN')
  }
  if (
    vars.SLACK_BOT_TOKEN !== undefined &&
    vars.SLACK_APP_TOKEN === undefined &&
    vars.THREADBRIDGE_SLACK_MODE !== 'http'
  ) {
    throw new ConfigError(
      'SLACK_APP_TOKEN',
      'expected an app-level token (xapp-…) alongside SLACK_BOT_TOKEN: the bot receives events through Socket Mode (or set THREADBRIDGE_SLACK_MODE=http and SLACK_SIGNING_SECRET)',
    )
  }
  // Half a bridge would start, connect to one platform and mirror nothing: refuse it by name.
  if (vars.DISCORD_TOKEN !== undefined && vars.SLACK_BOT_TOKEN === undefined) {
    throw new ConfigError(
      'SLACK_BOT_TOKEN',
      'expected SLACK_BOT_TOKEN (and SLACK_APP_TOKEN, or SLACK_SIGNING_SECRET in http mode) alongside DISCORD_TOKEN: a bridge needs both platforms (set no token at all for the sandbox)',
    )
  }
  if (vars.SLACK_BOT_TOKEN !== undefined && vars.DISCORD_TOKEN === undefined) {
    throw new ConfigError(
      'DISCORD_TOKEN',
      'expected DISCORD_TOKEN alongside the Slack tokens: a bridge needs both platforms (set no token at all for the sandbox)',
    )
  }

  if (vars.THREADBRIDGE_SANDBOX && (vars.DISCORD_TOKEN !== undefined || vars.SLACK_BOT_TOKEN !== undefined)) {
    throw new ConfigError(
      'THREADBRIDGE_SANDBOX',
      'expected unset when platform tokens are set: the sandbox runs without them, a bridge with them',
    )
  }

  if (vars.THREADBRIDGE_SLACK_MODE === 'http' && vars.SLACK_BOT_TOKEN !== undefined) {
    if (vars.SLACK_SIGNING_SECRET === undefined)
      throw new ConfigError(
        'SLACK_SIGNING_SECRET',
        "expected the Slack app's signing secret: THREADBRIDGE_SLACK_MODE=http checks every request with it",
      )
    if (vars.SLACK_APP_TOKEN !== undefined)
      throw new ConfigError(
        'SLACK_APP_TOKEN',
        'expected unset with THREADBRIDGE_SLACK_MODE=http: the app token is for Socket Mode',
      )
  }

  return {
    database:
      vars.DATABASE_URL === undefined
        ? { kind: 'embedded', dataDir: path.join(vars.THREADBRIDGE_DATA_DIR, 'pglite') }
        : { kind: 'postgres', url: vars.DATABASE_URL },
    rateLimits: vars.REDIS_URL === undefined ? { store: 'local' } : { store: 'redis', url: vars.REDIS_URL },
    logLevel: vars.LOG_LEVEL,
    communities,
    discord:
      vars.DISCORD_TOKEN === undefined
        ? null
        : { token: vars.DISCORD_TOKEN, apiUrl: vars.THREADBRIDGE_DISCORD_API_URL },
    slack:
      vars.SLACK_BOT_TOKEN === undefined
        ? null
        : vars.THREADBRIDGE_SLACK_MODE === 'http'
          ? {
              mode: 'http',
              botToken: vars.SLACK_BOT_TOKEN,
              signingSecret: vars.SLACK_SIGNING_SECRET ?? '',
              httpPort: vars.THREADBRIDGE_SLACK_HTTP_PORT,
              apiUrl: vars.THREADBRIDGE_SLACK_API_URL,
            }
          : {
              mode: 'socket',
              botToken: vars.SLACK_BOT_TOKEN,
              appToken: vars.SLACK_APP_TOKEN ?? null,
              signingSecret: vars.SLACK_SIGNING_SECRET ?? null,
              apiUrl: vars.THREADBRIDGE_SLACK_API_URL,
            },
    http: { host: vars.THREADBRIDGE_HTTP_HOST, port: vars.THREADBRIDGE_HTTP_PORT },
    configSource,
    dataDir: vars.THREADBRIDGE_DATA_DIR,
    vacuumDelayMs: vars.THREADBRIDGE_VACUUM_DELAY_SECONDS * 1000,
    sandbox:
      vars.DISCORD_TOKEN === undefined && vars.SLACK_BOT_TOKEN === undefined
        ? {
            discordPort: vars.THREADBRIDGE_SANDBOX_DISCORD_PORT,
            slackPort: vars.THREADBRIDGE_SANDBOX_SLACK_PORT,
            explicit: vars.THREADBRIDGE_SANDBOX,
            slack:
              vars.THREADBRIDGE_SLACK_MODE === 'http'
                ? { mode: 'http', httpPort: vars.THREADBRIDGE_SLACK_HTTP_PORT }
                : { mode: 'socket' },
          }
        : null,
  }
}

/**
 * The environment's variables, checked one by one but not against each other: for commands such
 * as `threadbridge invite` that need only a few of them. Throws ConfigError like loadConfig.
 */
export function readEnv(env: Record<string, string | undefined>): z.infer<typeof envSchema> {
  const parsed = envSchema.safeParse(env)
  if (!parsed.success) throw toConfigError(parsed.error, (path) => path || 'environment')
  return parsed.data
}

/** Turns zod's first issue into "SETTING: what was expected". Never echoes the value: it may be a secret. */
function toConfigError(error: z.ZodError, name: (path: string) => string): ConfigError {
  const issue = error.issues[0]
  const path = (issue?.path ?? [])
    .map((part, index) =>
      typeof part === 'number' ? `[${part}]` : index === 0 ? String(part) : `.${String(part)}`,
    )
    .join('')
  return new ConfigError(name(path), issue?.message ?? 'is invalid')
}
