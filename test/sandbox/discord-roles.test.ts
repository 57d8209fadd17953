import { ApplicationCommandOptionType, type Client, Events, GuildMember, MessageFlags } from 'discord.js'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { DiscordEmulator } from '../../sandbox/discord/discord-emulator.ts'
import { type DiscordSeed, seedDiscord } from '../../sandbox/discord/discord-seed.ts'
import { control, controlAnswer } from '../support/control.ts'
import { collect, connectDiscordClient } from '../support/discord-client.ts'

/**
 * Roles as an admin manages them: a role made in the server reaches every client of it
 * (GUILD_ROLE_CREATE), and an interaction carries the member's roles as they are when it is run,
 * so a role taken away a moment ago is gone from the next one.
 */
describe('Discord emulator: roles', () => {
  let emulator: DiscordEmulator
  let seed: DiscordSeed
  let client: Client
  beforeEach(async () => {
    emulator = new DiscordEmulator({ heartbeatIntervalMs: 1000 })
    seed = seedDiscord(emulator.state)
    await emulator.start()
    client = await connectDiscordClient(emulator)
  })
  afterEach(async () => {
    await client.destroy()
    await emulator.stop()
  })

  it('makes a role the connected client learns of, with the permissions given', async () => {
    const created = collect(client, Events.GuildRoleCreate, (role) => ({ id: role.id, name: role.name }))
    const role = await control(emulator.url, 'POST', `/guilds/${seed.guildId}/roles`, {
      name: 'Community Team',
      permissions: '0',
    })
    expect(role).toMatchObject({
      name: 'Community Team',
      permissions: '0',
      id: expect.stringMatching(/^\d+$/),
    })
    await created.until((roles) => roles.length === 1)
    expect(created.items).toEqual([{ id: role.id, name: 'Community Team' }])
    expect(client.guilds.cache.get(seed.guildId)?.roles.cache.get(role.id)?.permissions.bitfield).toBe(0n)

    for (const bad of [{ name: '' }, { name: 'x'.repeat(101) }, { name: 'Ok', permissions: 'all' }]) {
      const answer = await controlAnswer(emulator.url, 'POST', `/guilds/${seed.guildId}/roles`, bad)
      expect(answer.status).toBe(400)
    }
    expect((await controlAnswer(emulator.url, 'POST', '/guilds/1/roles', { name: 'Nope' })).status).toBe(404)
  })

  it('gives each interaction the member’s roles as they are when it runs', async () => {
    await client.application?.commands.set(
      [
        {
          name: 'whoami',
          description: 'roles',
          options: [{ name: 'note', description: 'x', type: ApplicationCommandOptionType.String }],
        },
      ],
      seed.guildId,
    )
    client.on(Events.InteractionCreate, async (interaction) => {
      if (!interaction.isChatInputCommand()) return
      const member = interaction.member
      const names =
        member instanceof GuildMember
          ? member.roles.cache
              .filter((r) => r.id !== seed.guildId)
              .map((r) => r.name)
              .join(',')
          : 'not cached'
      await interaction.reply({ content: `roles: ${names}`, flags: MessageFlags.Ephemeral })
    })
    const run = async () => {
      const result = await control(emulator.url, 'POST', '/interactions', {
        user_id: seed.users.mark,
        channel_id: seed.forumId,
        name: 'whoami',
      })
      return result.responses.at(-1)?.content
    }
    expect(await run()).toBe('roles: Moderators')
    await control(emulator.url, 'PATCH', `/guilds/${seed.guildId}/members/${seed.users.mark}`, { roles: [] })
    expect(await run()).toBe('roles: ')
  })
})
