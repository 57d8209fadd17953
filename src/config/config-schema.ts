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

function port(fallback: number) {
  return z.preprocess(
    (value) => (value === '' || value === undefined ? fallback : Number(value)),
    z
      .number()
      .int('expected a port number from 1 to 65535')
      .min(1, 'expected a port number from 1 to 65535')
      .max(65535, 'expected a port number from 1 to 65535'),
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
  THREADBRIDGE_SANDBOX_DISCORD_PORT: port(4101),
  THREADBRIDGE_SANDBOX_SLACK_PORT: port(4102),
  DISCORD_TOKEN: optionalString,
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

export const communitySchema = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'expected a lower-case slug such as "lightbulb-moment"'),
  name: z.string().trim().min(1).max(100),
  discord: z.object({ guildId: idString, channelId: idString }).strict().optional(),
  slack: z.object({ teamId: idString, channelId: idString }).strict().optional(),
  /** Who moderates from the first start, before anyone can promote anyone by command. */
  moderators: z.array(z.object({ platform: z.enum(PLATFORMS), userId: idString }).strict()).default([]),
})

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
