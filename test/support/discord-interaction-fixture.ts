import { type Client, Events, type Interaction } from 'discord.js'
import { afterEach, beforeEach } from 'vitest'
import { DiscordEmulator } from '../../sandbox/discord/discord-emulator.ts'
import { type DiscordSeed, seedDiscord } from '../../sandbox/discord/discord-seed.ts'
import { control } from './control.ts'
import { connectDiscordClient } from './discord-client.ts'

/**
 * A seeded Discord emulator and the real discord.js client as the bot, for tests of what people
 * do through interactions. `t.answer` is how the bot handles each interaction; a test sets it.
 */
export function useDiscordInteractions() {
  const t = {
    emulator: undefined as unknown as DiscordEmulator,
    seed: undefined as unknown as DiscordSeed,
    client: undefined as unknown as Client,
    answer: (async () => {}) as (interaction: Interaction) => Promise<unknown>,
    /** What the bot's answer failed with, if it did (Discord's refusals, as discord.js reports them). */
    failures: [] as unknown[],
    /** A person runs a command in general. */
    run: (user: string, name: string, extra: Record<string, unknown> = {}) =>
      control(t.emulator.url, 'POST', '/interactions', {
        user_id: user,
        channel_id: t.seed.generalId,
        name,
        ...extra,
      }),
    /** The control API's status and body, for calls that are meant to be refused. */
    raw: async (method: string, path: string, body?: unknown) => {
      const answer = await fetch(`${t.emulator.url}/_sandbox${path}`, {
        method,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      })
      return { status: answer.status, body: (await answer.json()) as { error: string } }
    },
  }
  beforeEach(async () => {
    t.emulator = new DiscordEmulator({ heartbeatIntervalMs: 1000 })
    t.seed = seedDiscord(t.emulator.state)
    await t.emulator.start()
    t.client = await connectDiscordClient(t.emulator)
    t.answer = async () => {}
    t.failures = []
    t.client.on(Events.InteractionCreate, (interaction) => {
      t.answer(interaction).catch((error: unknown) => t.failures.push(error))
    })
  })
  afterEach(async () => {
    await t.client.destroy()
    await t.emulator.stop()
  })
  return t
}
