import { Client, Events, GatewayIntentBits } from 'discord.js'
import type { DiscordEmulator } from '../../sandbox/discord/discord-emulator.ts'

/** The real discord.js client, pointed at the emulator, with test-friendly timeouts. */
export async function connectDiscordClient(
  emulator: DiscordEmulator,
  options: { intents?: GatewayIntentBits[] } = {},
): Promise<Client> {
  const client = new Client({
    intents: options.intents ?? [
      GatewayIntentBits.Guilds,
      GatewayIntentBits.GuildMessages,
      GatewayIntentBits.MessageContent,
    ],
    rest: { api: emulator.apiUrl, offset: 0, timeout: 2000, retries: 1 },
    waitGuildTimeout: 1000,
    // discord.js waits ~5 s between identifies by default; the emulator has no such limit.
    ws: { buildIdentifyThrottler: () => ({ waitForIdentify: async () => {} }) as never },
  })
  const ready = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()))
  await client.login('sandbox-token')
  await ready
  return client
}

/** Collects events of one kind until a condition holds; never sleeps. */
export function collect<T>(client: Client, event: string, map: (...args: any[]) => T) {
  const items: T[] = []
  const waiters: (() => void)[] = []
  client.on(event, (...args: unknown[]) => {
    items.push(map(...args))
    for (const wake of waiters.splice(0)) wake()
  })
  return {
    items,
    async until(condition: (items: T[]) => boolean, timeoutMs = 10_000): Promise<T[]> {
      const deadline = Date.now() + timeoutMs
      while (!condition(items)) {
        const remaining = deadline - Date.now()
        if (remaining <= 0) throw new Error(`timed out; collected ${JSON.stringify(items)}`)
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, remaining)
          waiters.push(() => {
            clearTimeout(timer)
            resolve()
          })
        })
      }
      return items
    },
  }
}
