import { Client } from 'discord.js'
import { ApplicationFlags, GatewayIntentBits, GatewayOpcodes } from 'discord-api-types/v10'
import { afterEach, describe, expect, it } from 'vitest'
import { WebSocket } from 'ws'
import { DiscordEmulator } from '../../sandbox/discord/discord-emulator.ts'
import { PRIVILEGED_INTENTS } from '../../sandbox/discord/discord-gateway.ts'

const TOKEN = 'sandbox-token'

/**
 * https://discord.com/developers/docs/events/gateway#privileged-intents: an IDENTIFY asking for a
 * privileged intent the application has not enabled is closed with 4014 "Disallowed intent(s).";
 * the application's flags say which are enabled.
 */
describe('Discord emulator: privileged intents', () => {
  let emulator: DiscordEmulator
  afterEach(async () => {
    await emulator.stop()
  })

  /** Identifies with `intents` over a raw socket; resolves with the close, or "ready". */
  const identify = (intents: number) =>
    new Promise<{ code: number; reason: string } | 'ready'>((resolve, reject) => {
      const ws = new WebSocket(emulator.gatewayUrl)
      ws.on('error', reject)
      ws.on('message', (raw) => {
        const payload = JSON.parse(raw.toString()) as { op: number; t?: string }
        if (payload.op === GatewayOpcodes.Hello)
          ws.send(
            JSON.stringify({ op: GatewayOpcodes.Identify, d: { token: TOKEN, intents, properties: {} } }),
          )
        if (payload.t === 'READY') {
          ws.close()
          resolve('ready')
        }
      })
      ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() }))
    })
  const flags = async () => {
    const answer = await fetch(`${emulator.apiUrl}/v10/applications/@me`, {
      headers: { authorization: `Bot ${TOKEN}` },
    })
    return ((await answer.json()) as { flags: number }).flags
  }

  it('closes with 4014 when Message Content is asked for but withdrawn, and serves a session without it', async () => {
    emulator = await new DiscordEmulator({
      token: TOKEN,
      privilegedIntents: PRIVILEGED_INTENTS & ~GatewayIntentBits.MessageContent,
    }).start()
    expect(await identify(GatewayIntentBits.Guilds | GatewayIntentBits.MessageContent)).toEqual({
      code: 4014,
      reason: 'Disallowed intent(s).',
    })
    expect(await identify(GatewayIntentBits.Guilds | GatewayIntentBits.GuildMessages)).toBe('ready')
    expect((await flags()) & ApplicationFlags.GatewayMessageContentLimited).toBe(0)
    expect((await flags()) & ApplicationFlags.GatewayGuildMembersLimited).not.toBe(0)

    // The real client is refused, not left waiting.
    const client = new Client({
      intents: [GatewayIntentBits.Guilds, GatewayIntentBits.MessageContent],
      rest: { api: emulator.apiUrl, retries: 0 },
    })
    await expect(client.login(TOKEN)).rejects.toThrow(/disallowed intent/i)
    await client.destroy()
  })

  it('enables all of them by default, flagged as for an application in fewer than 100 servers', async () => {
    emulator = await new DiscordEmulator({ token: TOKEN }).start()
    expect(await identify(PRIVILEGED_INTENTS | GatewayIntentBits.Guilds)).toBe('ready')
    expect(await flags()).toBe(
      ApplicationFlags.GatewayPresenceLimited |
        ApplicationFlags.GatewayGuildMembersLimited |
        ApplicationFlags.GatewayMessageContentLimited,
    )
  })
})
