import {
  ApplicationCommandOptionType,
  ChannelType,
  type Client,
  Events,
  type Interaction,
  MessageFlags,
  PermissionFlagsBits,
} from 'discord.js'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { DiscordEmulator } from '../../sandbox/discord/discord-emulator.ts'
import { type DiscordSeed, seedDiscord } from '../../sandbox/discord/discord-seed.ts'
import { control } from '../support/control.ts'
import { connectDiscordClient } from '../support/discord-client.ts'

/** Interactions as a person makes them, answered by the real discord.js client. */
describe('Discord emulator: interactions with the real discord.js client', () => {
  let emulator: DiscordEmulator
  let seed: DiscordSeed
  let client: Client
  let general: string
  /** The control API's answer, status included, for calls that are meant to be refused. */
  const raw = async (method: string, path: string, body?: unknown) => {
    const answer = await fetch(`${emulator.url}/_sandbox${path}`, {
      method,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    })
    return { status: answer.status, body: (await answer.json()) as { error: string } }
  }
  const run = (user: string, name: string, extra: Record<string, unknown> = {}) =>
    control(emulator.url, 'POST', '/interactions', { user_id: user, channel_id: general, name, ...extra })
  /** What the bot does with each interaction; a test sets it before acting. */
  let answer: (interaction: Interaction) => Promise<unknown> = async () => {}

  beforeEach(async () => {
    emulator = new DiscordEmulator({ heartbeatIntervalMs: 1000 })
    seed = seedDiscord(emulator.state)
    await emulator.start()
    client = await connectDiscordClient(emulator)
    general = seed.generalId
    client.on(Events.InteractionCreate, (interaction) => void answer(interaction))
  })
  afterEach(async () => {
    await client.destroy()
    await emulator.stop()
  })

  it('types option values from the registered command and resolves users, channels and roles', async () => {
    await client.application?.commands.set(
      [
        {
          name: 'pick',
          description: 'typed options',
          options: [
            { name: 'count', description: 'n', type: ApplicationCommandOptionType.Integer },
            { name: 'loud', description: 'b', type: ApplicationCommandOptionType.Boolean },
            { name: 'who', description: 'u', type: ApplicationCommandOptionType.User },
            { name: 'where', description: 'c', type: ApplicationCommandOptionType.Channel },
            { name: 'role', description: 'r', type: ApplicationCommandOptionType.Role },
          ],
        },
      ],
      seed.guildId,
    )
    answer = async (interaction) => {
      if (!interaction.isChatInputCommand()) return
      const { options } = interaction
      const member = options.getMember('who')
      await interaction.reply(
        JSON.stringify([
          options.getInteger('count'),
          options.getBoolean('loud'),
          options.getUser('who')?.username,
          member !== null && 'roles' in member && !Array.isArray(member.roles)
            ? member.roles.cache.has(seed.moderatorRoleId)
            : null,
          options.getChannel('where')?.name,
          options.getRole('role')?.name,
        ]),
      )
    }
    const result = await run(seed.users.jo, 'pick', {
      options: {
        count: 3,
        loud: false,
        who: seed.users.mark,
        where: seed.forumId,
        role: seed.moderatorRoleId,
      },
    })
    expect(result.responses.map((r: { content: string }) => r.content)).toEqual([
      JSON.stringify([3, false, 'mark', true, 'discussions', 'Moderators']),
    ])

    const refused = async (options: Record<string, unknown>) =>
      (
        await raw('POST', '/interactions', {
          user_id: seed.users.jo,
          channel_id: general,
          name: 'pick',
          options,
        })
      ).status
    expect(await refused({ count: '3' })).toBe(400)
    expect(await refused({ count: 1.5 })).toBe(400)
    expect(await refused({ loud: 'yes' })).toBe(400)
    expect(await refused({ who: '123' })).toBe(400)
    expect(await refused({ role: seed.users.jo })).toBe(400)
  })

  it('computes member.permissions and app_permissions from roles and the channel’s overwrites', async () => {
    await client.application?.commands.set([{ name: 'perms', description: 'what may I do' }], seed.guildId)
    const seen: [string, boolean, boolean, boolean][] = []
    answer = async (interaction) => {
      if (!interaction.isChatInputCommand()) return
      seen.push([
        interaction.user.username,
        interaction.memberPermissions?.has(PermissionFlagsBits.ManageMessages) ?? false,
        interaction.memberPermissions?.has(PermissionFlagsBits.SendMessages) ?? false,
        interaction.appPermissions.has(PermissionFlagsBits.ManageWebhooks),
      ])
      await interaction.reply({ content: 'ok', flags: MessageFlags.Ephemeral })
    }
    // Nobody may write in general but mark; the bot loses Manage Webhooks there.
    const overwrite = (id: string, type: number, allow: bigint, deny: bigint) =>
      control(emulator.url, 'PUT', `/channels/${general}/permissions/${id}`, {
        type,
        allow: allow.toString(),
        deny: deny.toString(),
      })
    await overwrite(seed.guildId, 0, 0n, PermissionFlagsBits.SendMessages)
    await overwrite(seed.users.mark, 1, PermissionFlagsBits.SendMessages, 0n)
    await overwrite(seed.botRoleId, 0, 0n, PermissionFlagsBits.ManageWebhooks)
    for (const user of [seed.users.visitor, seed.users.mark, seed.users.jo]) await run(user, 'perms')
    expect(seen).toEqual([
      ['visitor', false, false, false],
      ['mark', true, true, false],
      // jo owns the server: every permission, whatever the overwrites.
      ['jo', true, true, false],
    ])
    // A thread's permissions are its parent's.
    const thread = await control(emulator.url, 'POST', `/channels/${general}/threads`, {
      author_id: seed.users.jo,
      name: 'a thread',
      content: 'hi',
    })
    expect(thread.type).toBe(ChannelType.PublicThread)
    await control(emulator.url, 'POST', '/interactions', {
      user_id: seed.users.visitor,
      channel_id: thread.id,
      name: 'perms',
    })
    expect(seen.at(-1)).toEqual(['visitor', false, false, false])
    // Without overwrites, the roles alone decide (the seed's world).
    await control(emulator.url, 'DELETE', `/channels/${general}/permissions/${seed.guildId}`)
    await control(emulator.url, 'DELETE', `/channels/${general}/permissions/${seed.botRoleId}`)
    await run(seed.users.visitor, 'perms')
    expect(seen.at(-1)).toEqual(['visitor', false, true, true])
  })
})
