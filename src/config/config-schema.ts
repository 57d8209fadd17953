import { z } from 'zod'
import { PLATFORMS } from '../platform/platform.ts'

/** Empty variables (`DATABASE_URL=`) mean "not set", as they do for most tools. */
const optionalString = z.preprocess((value) => (value === '' ? undefined : value), z.string().optional())

/** An optional server URL with one of `protocols` and a host; empty means unset. */
function serverUrl(protocols: string[], expected: string) {
  const url = z.string().refine((value) => {
    try {
      const parsed = new URL(value)
      return protocols.includes(parsed.protocol) && parsed.hostname !== ''
    } catch {
      return false
    }
  }, expected)
  return z.preprocess((value) => (value === '' ? undefined : value), url.optional())
}

function port(fallback: number, lowest = 1) {
  const expected = `expected a port number from ${lowest} to 65535`
  return z.preprocess(
    (value) => (value === '' || value === undefined ? fallback : Number(value)),
    z.number().int(expected).min(lowest, expected).max(65535, expected),
  )
}

/** The environment variables Threadbridge reads. Tokens are optional until an adapter needs them. */
export const envSchema = z.object({
  DATABASE_URL: serverUrl(['postgres:', 'postgresql:'], 'expected a postgres://user@host:port/database URL'),
  /** Shares rate limits between several bridge processes; one process needs none. */
  REDIS_URL: serverUrl(['redis:', 'rediss:'], 'expected a redis://host:port URL'),
  THREADBRIDGE_DATA_DIR: z.preprocess(
    (value) => (value === '' ? undefined : value),
    z.string().default('data'),
  ),
  THREADBRIDGE_CONFIG: optionalString,
  LOG_LEVEL: z.preprocess(
    (value) => (value === '' ? undefined : value),
    z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  ),
  /** How long after a deletion or edit its table is rewritten, so the old words leave the disk. */
  THREADBRIDGE_VACUUM_DELAY_SECONDS: z.preprocess(
    (value) => (value === '' || value === undefined ? 300 : Number(value)),
    z
      .number()
      .int('expected a whole number of seconds from 0 to 86400')
      .min(0, 'expected a whole number of seconds from 0 to 86400')
      .max(86_400, 'expected a whole number of seconds from 0 to 86400'),
  ),
  /**
   * Runs the sandbox on purpose where a real install's settings are (DATABASE_URL,
   * THREADBRIDGE_CONFIG, NODE_ENV=production), which start-up otherwise refuses.
   */
  THREADBRIDGE_SANDBOX: z.preprocess(
    (value) => (value === '' || value === undefined ? '0' : value),
    z
      .enum(['1', 'true', '0', 'false'], 'expected 1 (or true) to run the sandbox on purpose, or unset')
      .transform((value) => value === '1' || value === 'true'),
  ),
  THREADBRIDGE_SANDBOX_DISCORD_PORT: port(4101),
  THREADBRIDGE_SANDBOX_SLACK_PORT: port(4102),
  /** Health, readiness and metrics; 0 picks a free port (tests). */
  THREADBRIDGE_HTTP_PORT: port(3000, 0),
  /** Loopback unless an operator opens it up: /metrics is for the local scraper, not the world. */
  THREADBRIDGE_HTTP_HOST: z.preprocess(
    (value) => (value === '' ? undefined : value),
    z.string().default('127.0.0.1'),
  ),
  /** The platforms' API bases, for a proxy or a test double; the real platforms when unset. */
  THREADBRIDGE_DISCORD_API_URL: serverUrl(['http:', 'https:'], 'expected an http(s)://host/api URL'),
  THREADBRIDGE_SLACK_API_URL: serverUrl(['http:', 'https:'], 'expected an http(s)://host/api/ URL'),
  DISCORD_TOKEN: optionalString,
  /** The Discord application's id, for `threadbridge invite` without a token. */
  DISCORD_APPLICATION_ID: z.preprocess(
    (value) => (value === '' ? undefined : value),
    z
      .string()
      .regex(/^\d{17,20}$/, "expected the application's id (digits) from the Developer Portal")
      .optional(),
  ),
  SLACK_BOT_TOKEN: optionalString,
  SLACK_APP_TOKEN: optionalString,
  SLACK_SIGNING_SECRET: optionalString,
  /** How Slack reaches the bot: Socket Mode (an outbound WebSocket) or HTTP requests to /slack/events. */
  THREADBRIDGE_SLACK_MODE: z.preprocess(
    (value) => (value === '' ? undefined : value),
    z.enum(['socket', 'http'], 'expected socket or http').default('socket'),
  ),
  /** The port Slack's HTTP requests are served on, in http mode; its own, apart from any other server. */
  THREADBRIDGE_SLACK_HTTP_PORT: port(3001),
})

const idString = z.string().trim().min(1, 'expected a non-empty id')

export const communitySchema = z
  .object({
    id: z
      .string()
      .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'expected a lower-case slug such as "lightbulb-moment"'),
    name: z.string().trim().min(1).max(100),
    discord: z
      .object({
        guildId: idString,
        channelId: idString,
        /**
         * Roles whose holders moderate, by id or by name: read from the member each time a command
         * runs, so taking the role away takes the right away at once. An id survives a rename.
         */
        moderatorRoles: z.array(idString).optional(),
      })
      .strict()
      .optional(),
    slack: z
      .object({
        teamId: idString,
        channelId: idString,
        /** The workspace's admins and owners moderate too, as Slack says each time a command runs. */
        workspaceAdminsModerate: z.boolean().optional(),
      })
      .strict()
      .optional(),
    /** Who moderates from the first start, before anyone can promote anyone by command. */
    moderators: z.array(z.object({ platform: z.enum(PLATFORMS), userId: idString }).strict()).default([]),
  })
  // A misspelt key ("moderator") is refused by name: ignored, it would silently mean nothing.
  .strict()

/** The optional JSON config file (THREADBRIDGE_CONFIG). */
export const configFileSchema = z
  .object({
    communities: z
      .array(communitySchema)
      .min(1)
      .refine((list) => new Set(list.map((c) => c.id)).size === list.length, 'expected unique community ids')
      .refine((list) => {
        const channels = list.flatMap((c) => [
          ...(c.discord ? [`discord:${c.discord.channelId}`] : []),
          ...(c.slack ? [`slack:${c.slack.channelId}`] : []),
        ])
        return new Set(channels).size === channels.length
      }, 'expected each channel to be bridged to one community only'),
  })
  .strict()

export type CommunityConfig = z.infer<typeof communitySchema>
export type Env = z.infer<typeof envSchema>
