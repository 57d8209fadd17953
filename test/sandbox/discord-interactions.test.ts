import { ApplicationCommandOptionType, ChannelType, MessageFlags, PermissionFlagsBits } from 'discord.js'
import { describe, expect, it } from 'vitest'
import { control } from '../support/control.ts'
import { useDiscordInteractions } from '../support/discord-interaction-fixture.ts'

/** Interactions as a person makes them, answered by the real discord.js client. */
describe('Discord emulator: interactions with the real discord.js client', () => {
  const t = useDiscordInteractions()

  it('types option values from the registered command and resolves users, channels and roles', async () => {
    await t.client.application?.commands.set(
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
      t.seed.guildId,
    )
    t.answer = async (interaction) => {
      if (!interaction.isChatInputCommand()) return
      const { options } = interaction
      const member = options.getMember('who')
      await interaction.reply(
        JSON.stringify([
          options.getInteger('count'),
          options.getBoolean('loud'),
          options.getUser('who')?.username,
          member !== null && 'roles' in member && !Array.isArray(member.roles)
            ? member.roles.cache.has(t.seed.moderatorRoleId)
            : null,
          options.getChannel('where')?.name,
          options.getRole('role')?.name,
        ]),
      )
    }
    const result = await t.run(t.seed.users.jo, 'pick', {
      options: {
        count: 3,
        loud: false,
        who: t.seed.users.mark,
        where: t.seed.forumId,
        role: t.seed.moderatorRoleId,
      },
    })
    expect(result.responses.map((r: { content: string }) => r.content)).toEqual([
      JSON.stringify([3, false, 'mark', true, 'discussions', 'Moderators']),
    ])

    const refused = async (options: Record<string, unknown>) =>
      (
        await t.raw('POST', '/interactions', {
          user_id: t.seed.users.jo,
          channel_id: t.seed.generalId,
          name: 'pick',
          options,
        })
      ).status
    expect(await refused({ count: '3' })).toBe(400)
    expect(await refused({ count: 1.5 })).toBe(400)
    expect(await refused({ loud: 'yes' })).toBe(400)
    expect(await refused({ who: '123' })).toBe(400)
    expect(await refused({ role: t.seed.users.jo })).toBe(400)
  })

  it('computes member.permissions and app_permissions from roles and the channel’s overwrites', async () => {
    await t.client.application?.commands.set(
      [{ name: 'perms', description: 'what may I do' }],
      t.seed.guildId,
    )
    const seen: [string, boolean, boolean, boolean][] = []
    t.answer = async (interaction) => {
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
      control(t.emulator.url, 'PUT', `/channels/${t.seed.generalId}/permissions/${id}`, {
        type,
        allow: allow.toString(),
        deny: deny.toString(),
      })
    await overwrite(t.seed.guildId, 0, 0n, PermissionFlagsBits.SendMessages)
    await overwrite(t.seed.users.mark, 1, PermissionFlagsBits.SendMessages, 0n)
    await overwrite(t.seed.botRoleId, 0, 0n, PermissionFlagsBits.ManageWebhooks)
    for (const user of [t.seed.users.visitor, t.seed.users.mark, t.seed.users.owner])
      await t.run(user, 'perms')
    expect(seen).toEqual([
      ['visitor', false, false, false],
      ['mark', true, true, false],
      // owner owns the server: every permission, whatever the overwrites.
      ['owner', true, true, false],
    ])
    // A thread's permissions are its parent's.
    const thread = await control(t.emulator.url, 'POST', `/channels/${t.seed.generalId}/threads`, {
      author_id: t.seed.users.jo,
      name: 'a thread',
      content: 'hi',
    })
    expect(thread.type).toBe(ChannelType.PublicThread)
    await control(t.emulator.url, 'POST', '/interactions', {
      user_id: t.seed.users.visitor,
      channel_id: thread.id,
      name: 'perms',
    })
    expect(seen.at(-1)).toEqual(['visitor', false, false, false])
    // Without overwrites, the roles alone decide (the seed's world).
    await control(t.emulator.url, 'DELETE', `/channels/${t.seed.generalId}/permissions/${t.seed.guildId}`)
    await control(t.emulator.url, 'DELETE', `/channels/${t.seed.generalId}/permissions/${t.seed.botRoleId}`)
    await t.run(t.seed.users.visitor, 'perms')
    expect(seen.at(-1)).toEqual(['visitor', false, true, true])
  })

  it('keeps ephemeral responses ephemeral: real ids, edits keep flag 64, never in the channel’s history', async () => {
    await t.client.application?.commands.set(
      [
        { name: 'quiet', description: 'answered privately, then edited' },
        { name: 'slow', description: 'deferred privately, then followed up' },
      ],
      t.seed.guildId,
    )
    t.answer = async (interaction) => {
      if (!interaction.isChatInputCommand()) return
      if (interaction.commandName === 'quiet') {
        await interaction.reply({ content: 'first', flags: MessageFlags.Ephemeral })
        // The edit says nothing of flags: the message stays ephemeral.
        await interaction.editReply({ content: 'second', embeds: [{ title: 'More' }] })
        return
      }
      await interaction.deferReply({ flags: MessageFlags.Ephemeral })
      await interaction.followUp({ content: 'done' })
      await interaction.followUp({ content: 'and one more', flags: MessageFlags.Ephemeral })
    }
    const responsesTo = async (name: string, count: number) => {
      const { interaction_id } = await t.run(t.seed.users.visitor, name)
      const interaction = t.emulator.interactions.get(interaction_id)
      await waitFor(() => (interaction?.responses.length ?? 0) >= count)
      return interaction?.responses ?? []
    }
    const [reply, edit] = await responsesTo('quiet', 2)
    expect(reply).toMatchObject({ kind: 'initial', content: 'first', ephemeral: true })
    expect(edit).toMatchObject({ kind: 'edit', content: 'second', flags: 64, message_id: reply?.message_id })
    expect(edit?.embeds).toEqual([expect.objectContaining({ title: 'More' })])

    const [deferred, first, second] = await responsesTo('slow', 3)
    expect(deferred).toMatchObject({ kind: 'deferred', content: null, ephemeral: true })
    // The first follow-up replaces the "thinking…" message, ephemeral as the deferral was; the next is new.
    expect(first).toMatchObject({
      kind: 'followup',
      content: 'done',
      ephemeral: true,
      message_id: deferred?.message_id,
    })
    expect(second?.message_id).not.toBe(deferred?.message_id)
    expect(await control<unknown[]>(t.emulator.url, 'GET', `/channels/${t.seed.generalId}/messages`)).toEqual(
      [],
    )

    const shown = await control<any[]>(t.emulator.url, 'GET', `/shown/${t.seed.users.visitor}`)
    expect(shown.map((s) => [s.kind, s.content, s.ephemeral])).toEqual([
      ['message', 'first', true],
      ['edit', 'second', true],
      ['loading', null, true],
      ['edit', 'done', true],
      ['message', 'and one more', true],
    ])
    expect(await control<unknown[]>(t.emulator.url, 'GET', `/shown/${t.seed.users.jo}`)).toEqual([])
  })

  it('runs autocomplete for an autocompleted option and returns the bot’s choices', async () => {
    await t.client.application?.commands.set(
      [
        {
          name: 'find',
          description: 'find a discussion',
          options: [
            {
              name: 'title',
              description: 't',
              type: ApplicationCommandOptionType.String,
              autocomplete: true,
            },
            { name: 'page', description: 'p', type: ApplicationCommandOptionType.Integer },
          ],
        },
      ],
      t.seed.guildId,
    )
    let tooMany = false
    t.answer = async (interaction) => {
      if (!interaction.isAutocomplete()) return
      const typed = interaction.options.getFocused(true)
      const names = tooMany ? Array.from({ length: 26 }, (_, i) => `n${i}`) : [`${typed.value}bulbs`, 'lamps']
      await interaction.respond(names.map((name) => ({ name, value: name })))
    }
    const result = await t.run(t.seed.users.jo, 'find', {
      options: { title: 'light', page: 2 },
      focused: 'title',
    })
    expect(result.choices).toEqual([
      { name: 'lightbulbs', value: 'lightbulbs' },
      { name: 'lamps', value: 'lamps' },
    ])
    // Only an option registered with autocomplete can be focused.
    const refused = await t.raw('POST', '/interactions', {
      user_id: t.seed.users.jo,
      channel_id: t.seed.generalId,
      name: 'find',
      focused: 'page',
    })
    expect(refused.status).toBe(400)
    // At most 25 choices: Discord refuses more.
    tooMany = true
    const over = await t.run(t.seed.users.jo, 'find', { options: { title: 'x' }, focused: 'title' })
    expect(over).toMatchObject({ answered: false, choices: null })
    expect(t.failures).toEqual([expect.objectContaining({ code: 50035 })])
  })
})

/** Waits until a condition holds (what the bot does after its first answer comes a little later). */
async function waitFor(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out')
    await new Promise((resolve) => setImmediate(resolve))
  }
}
