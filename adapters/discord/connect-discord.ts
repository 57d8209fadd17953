import { Client, Events, GatewayIntentBits, Partials } from 'discord.js'

/**
 * The gateway intents the bot asks for. Message Content is privileged: enabled on the Developer
 * Portal's Bot page, or Discord closes the connection with 4014.
 */
export const BOT_INTENTS = [
  GatewayIntentBits.Guilds,
  GatewayIntentBits.GuildMessages,
  GatewayIntentBits.MessageContent,
  GatewayIntentBits.GuildMessageReactions,
  GatewayIntentBits.DirectMessages,
]

export interface DiscordConnectionOptions {
  token: string
  /** Discord's REST base without the version (https://discord.com/api); the sandbox's URL in sandbox mode. */
  apiUrl?: string | undefined
  /** Per-request timeout. */
  timeoutMs?: number
  /**
   * discord.js holds every request to its own copy of Discord's global 50 per second; the
   * capacity benchmark, against a sandbox without limits, lifts it. Discord's value when unset.
   */
  liftGlobalLimit?: boolean
  /** The intents to ask for; BOT_INTENTS when unset (doctor asks for fewer after a 4014). */
  intents?: GatewayIntentBits[]
}

/**
 * Logs the bot in to Discord (or the sandbox: only the base URL differs) and resolves once the
 * client is ready. Mentions are off by default, client-wide: a bridged message never pings.
 */
export async function connectDiscord(options: DiscordConnectionOptions): Promise<Client> {
  const client = new Client({
    intents: options.intents ?? BOT_INTENTS,
    partials: [Partials.Channel, Partials.Message, Partials.Reaction, Partials.User],
    allowedMentions: { parse: [] },
    // No automatic retries: a timed-out POST may have landed, and a blind retry would post it
    // twice. The mirror engine retries instead, after looking for what the first attempt did.
    rest: {
      ...(options.apiUrl ? { api: options.apiUrl } : {}),
      retries: 0,
      timeout: options.timeoutMs ?? 15_000,
      ...(options.liftGlobalLimit ? { globalRequestsPerSecond: Number.POSITIVE_INFINITY } : {}),
    },
  })
  const ready = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()))
  await client.login(options.token)
  await ready
  return client
}
