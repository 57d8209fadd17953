import {
  ActionRowBuilder,
  ButtonBuilder,
  ButtonStyle,
  EmbedBuilder,
  MessageFlags,
  ModalBuilder,
  type TextChannel,
  TextInputBuilder,
  TextInputStyle,
} from 'discord.js'
import { describe, expect, it } from 'vitest'
import { control } from '../support/control.ts'
import { useDiscordInteractions } from '../support/discord-interaction-fixture.ts'

/** Modals and buttons as a person uses them, answered by the real discord.js client. */
describe('Discord emulator: modals and message components with the real discord.js client', () => {
  const t = useDiscordInteractions()

  const feedbackModal = () =>
    new ModalBuilder()
      .setCustomId('feedback')
      .setTitle('Tell us')
      .addComponents(
        new ActionRowBuilder<TextInputBuilder>().addComponents(
          new TextInputBuilder()
            .setCustomId('what')
            .setLabel('What happened')
            .setStyle(TextInputStyle.Paragraph),
        ),
        new ActionRowBuilder<TextInputBuilder>().addComponents(
          new TextInputBuilder()
            .setCustomId('mood')
            .setLabel('Mood')
            .setStyle(TextInputStyle.Short)
            .setRequired(false)
            .setMaxLength(5),
        ),
      )

  it('shows a modal to the person, and their submission reaches the bot, whose answer is returned', async () => {
    await t.client.application?.commands.set(
      [{ name: 'feedback', description: 'say something' }],
      t.seed.guildId,
    )
    t.answer = async (interaction) => {
      if (interaction.isChatInputCommand()) {
        await interaction.showModal(feedbackModal())
        return
      }
      if (!interaction.isModalSubmit()) return
      const { fields } = interaction
      await interaction.reply({
        content: `${interaction.customId}: ${fields.getTextInputValue('what')} / ${fields.getTextInputValue('mood')}`,
        flags: MessageFlags.Ephemeral,
      })
    }
    const shown = await t.run(t.seed.users.mark, 'feedback')
    expect(shown.responses).toEqual([expect.objectContaining({ kind: 'modal' })])
    const [modal] = await control<any[]>(t.emulator.url, 'GET', `/shown/${t.seed.users.mark}`)
    expect(modal).toMatchObject({
      kind: 'modal',
      modal: {
        custom_id: 'feedback',
        title: 'Tell us',
        inputs: [
          { custom_id: 'what', label: 'What happened', style: 2, required: true },
          { custom_id: 'mood', label: 'Mood', style: 1, required: false, max_length: 5 },
        ],
      },
    })

    const submit = (values: Record<string, string>) =>
      t.raw('POST', `/interactions/${shown.interaction_id}/modal`, { user_id: t.seed.users.mark, values })
    // What the form itself would stop: a required input left empty, a value over its maximum.
    expect((await submit({ mood: 'ok' })).status).toBe(400)
    expect((await submit({ what: 'it broke', mood: 'grumpy' })).status).toBe(400)
    const answer = await submit({ what: 'it broke', mood: 'meh' })
    expect(answer.status).toBe(200)
    expect(answer.body).toMatchObject({
      answered: true,
      responses: [{ kind: 'initial', content: 'feedback: it broke / meh', ephemeral: true }],
    })
    // The modal closed when it was submitted.
    expect((await submit({ what: 'again' })).status).toBe(409)
  })

  it('refuses a modal after a deferral (the interaction is acknowledged) and a modal that breaks the limits', async () => {
    await t.client.application?.commands.set(
      [
        { name: 'late', description: 'defers, then tries a modal' },
        { name: 'long', description: 'a modal with a long title' },
      ],
      t.seed.guildId,
    )
    // discord.js itself refuses both; raw calls show what Discord answers.
    const showModal = (id: string, token: string, data: unknown) =>
      t.client.rest
        .post(`/interactions/${id}/${token}/callback`, { body: { type: 9, data }, auth: false })
        .catch((error: unknown) => {
          t.failures.push(error)
          return 'refused'
        })
    t.answer = async (interaction) => {
      if (!interaction.isChatInputCommand()) return
      if (interaction.commandName === 'long') {
        const tooLong = { ...feedbackModal().toJSON(), title: 'x'.repeat(46) }
        if ((await showModal(interaction.id, interaction.token, tooLong)) === 'refused')
          await interaction.reply({ content: 'no modal', flags: MessageFlags.Ephemeral })
        return
      }
      await interaction.deferReply({ flags: MessageFlags.Ephemeral })
      await showModal(interaction.id, interaction.token, feedbackModal().toJSON())
      await interaction.editReply('no modal')
    }
    expect((await t.run(t.seed.users.jo, 'late')).answered).toBe(true)
    expect((await t.run(t.seed.users.jo, 'long')).answered).toBe(true)
    expect(t.failures).toEqual([
      expect.objectContaining({ code: 40060 }),
      expect.objectContaining({
        code: 50035,
        rawError: expect.objectContaining({ errors: { 'data.title': expect.anything() } }),
      }),
    ])
    // Neither modal was shown.
    expect(
      (await control<any[]>(t.emulator.url, 'GET', `/shown/${t.seed.users.jo}`)).map((s) => s.kind),
    ).toEqual(['loading', 'edit', 'message'])
  })

  it('stores embeds and buttons on messages, and a click reaches the bot, whose update edits the message', async () => {
    const general = t.client.channels.cache.get(t.seed.generalId) as TextChannel
    const buttons = new ActionRowBuilder<ButtonBuilder>().addComponents(
      new ButtonBuilder().setCustomId('approve').setLabel('Approve').setStyle(ButtonStyle.Success),
      new ButtonBuilder().setCustomId('later').setLabel('Later').setStyle(ButtonStyle.Secondary),
      new ButtonBuilder().setCustomId('ask').setLabel('Ask').setStyle(ButtonStyle.Primary),
    )
    // An embed-only message, without content, is a message.
    const sent = await general.send({
      embeds: [new EmbedBuilder().setTitle('Join request')],
      components: [buttons],
    })
    t.answer = async (interaction) => {
      if (!interaction.isButton()) return
      if (interaction.customId === 'approve')
        await interaction.update({ content: `Approved by ${interaction.user.username}`, components: [] })
      else if (interaction.customId === 'ask')
        await interaction.reply({ content: 'Asked.', flags: MessageFlags.Ephemeral })
      else {
        await interaction.deferUpdate()
        await interaction.editReply({ content: `Later, says ${interaction.user.username}` })
      }
    }
    const click = (customId: string) =>
      control(t.emulator.url, 'POST', `/channels/${general.id}/messages/${sent.id}/click`, {
        user_id: t.seed.users.mark,
        custom_id: customId,
      })
    const message = async () =>
      (await control<any[]>(t.emulator.url, 'GET', `/channels/${general.id}/messages`)).find(
        (m) => m.id === sent.id,
      )

    expect(await message()).toMatchObject({
      content: '',
      embeds: [{ title: 'Join request' }],
      components: [
        { type: 1, components: [{ custom_id: 'approve' }, { custom_id: 'later' }, { custom_id: 'ask' }] },
      ],
    })
    expect((await click('ask')).responses).toEqual([
      expect.objectContaining({ kind: 'initial', content: 'Asked.' }),
    ])
    const later = await click('later')
    expect(later.responses[0]).toMatchObject({ kind: 'deferred_update', message_id: sent.id })
    const deferredEdit = await waitForContent(message, 'Later, says mark')
    expect(deferredEdit.embeds).toEqual([expect.objectContaining({ title: 'Join request' })])

    const approved = await click('approve')
    expect(approved.responses).toEqual([expect.objectContaining({ kind: 'update', message_id: sent.id })])
    expect(await message()).toMatchObject({ content: 'Approved by mark', components: [] })
    // The buttons are gone: nothing left to click.
    const gone = await t.raw('POST', `/channels/${general.id}/messages/${sent.id}/click`, {
      user_id: t.seed.users.mark,
      custom_id: 'approve',
    })
    expect(gone.status).toBe(400)
  })

  it('lets only its person click an ephemeral message’s button; a modal from it may update that message', async () => {
    await t.client.application?.commands.set(
      [{ name: 'panel', description: 'a private panel' }],
      t.seed.guildId,
    )
    const row = new ActionRowBuilder<ButtonBuilder>().addComponents(
      new ButtonBuilder().setCustomId('rename').setLabel('Rename').setStyle(ButtonStyle.Primary),
    )
    t.answer = async (interaction) => {
      if (interaction.isChatInputCommand()) {
        // Updating a message is for components: a command cannot answer with it.
        await t.client.rest
          .post(`/interactions/${interaction.id}/${interaction.token}/callback`, {
            body: { type: 7, data: { content: 'no' } },
            auth: false,
          })
          .catch((error: unknown) => t.failures.push(error))
        await interaction.reply({ content: 'Your panel', components: [row], flags: MessageFlags.Ephemeral })
      } else if (interaction.isButton()) {
        await interaction.showModal(feedbackModal())
      } else if (interaction.isModalSubmit() && interaction.isFromMessage()) {
        await interaction.update({
          content: `Renamed: ${interaction.fields.getTextInputValue('what')}`,
          components: [],
        })
      }
    }
    const panel = await t.run(t.seed.users.visitor, 'panel')
    expect(t.failures).toEqual([expect.objectContaining({ code: 50035 })])
    const messageId = panel.responses[0].message_id
    const clickAs = (user: string) =>
      t.raw('POST', `/channels/${t.seed.generalId}/messages/${messageId}/click`, {
        user_id: user,
        custom_id: 'rename',
      })
    expect((await clickAs(t.seed.users.jo)).status).toBe(404)
    const click = await clickAs(t.seed.users.visitor)
    expect(click.body).toMatchObject({ answered: true, responses: [{ kind: 'modal' }] })
    const submitted = await control(
      t.emulator.url,
      'POST',
      `/interactions/${(click.body as unknown as { interaction_id: string }).interaction_id}/modal`,
      { values: { what: 'lamps' } },
    )
    expect(submitted.responses).toEqual([
      expect.objectContaining({
        kind: 'update',
        message_id: messageId,
        content: 'Renamed: lamps',
        ephemeral: true,
      }),
    ])
    const shown = await control<any[]>(t.emulator.url, 'GET', `/shown/${t.seed.users.visitor}`)
    expect(shown.map((s) => [s.kind, s.message_id === messageId, s.ephemeral])).toEqual([
      ['message', true, true],
      ['modal', false, false],
      ['edit', true, true],
    ])
  })
})

/** Reads a message until it says `content` (what the bot does after acknowledging comes later). */
async function waitForContent(read: () => Promise<any>, content: string, timeoutMs = 5000) {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const message = await read()
    if (message?.content === content) return message
    if (Date.now() > deadline) throw new Error(`timed out; last ${JSON.stringify(message)}`)
  }
}
