import {
  ActionRowBuilder,
  ButtonBuilder,
  ButtonStyle,
  DiscordAPIError,
  EmbedBuilder,
  InteractionContextType,
  MessageFlags,
} from 'discord.js'
import { describe, expect, it } from 'vitest'
import { restoreDiscord, snapshotDiscord } from '../../sandbox/discord/discord-snapshot.ts'
import { control } from '../support/control.ts'
import { useDiscordInteractions } from '../support/discord-interaction-fixture.ts'

/** Direct messages from the bot, as the real discord.js client sends them, and buttons clicked in them. */
describe('Discord emulator: direct messages with the real discord.js client', () => {
  const t = useDiscordInteractions()

  const digest = () => ({
    content: 'Your replies digest',
    embeds: [new EmbedBuilder().setTitle('3 new replies').setDescription('**Who are we, really?**')],
    components: [
      new ActionRowBuilder<ButtonBuilder>().addComponents(
        new ButtonBuilder()
          .setCustomId('unsubscribe')
          .setLabel('Unsubscribe')
          .setStyle(ButtonStyle.Secondary),
        new ButtonBuilder().setCustomId('frequency').setLabel('Weekly').setStyle(ButtonStyle.Primary),
      ),
    ],
  })
  const refusal = (promise: Promise<unknown>) =>
    promise.then(
      () => 'sent',
      (error: unknown) =>
        error instanceof DiscordAPIError ? [error.status, error.code, error.message] : error,
    )

  it('opens a DM, sends embeds and buttons into it, dedupes by nonce and reads the DM back', async () => {
    const mark = await t.client.users.fetch(t.seed.users.mark)
    const dm = await mark.createDM()
    // Opening the DM again gives the same channel.
    expect((await mark.createDM(true)).id).toBe(dm.id)
    const sent = await mark.send(digest())
    const once = await dm.send({ content: 'once', nonce: 'digest-7', enforceNonce: true })
    const again = await dm.send({ content: 'once', nonce: 'digest-7', enforceNonce: true })
    expect(again.id).toBe(once.id)

    const shown = await control<any[]>(t.emulator.url, 'GET', `/dms/${t.seed.users.mark}`)
    expect(shown).toEqual([
      expect.objectContaining({
        id: sent.id,
        channel_id: dm.id,
        content: 'Your replies digest',
        embeds: [expect.objectContaining({ title: '3 new replies', description: '**Who are we, really?**' })],
        components: [
          expect.objectContaining({
            type: 1,
            components: [
              expect.objectContaining({ custom_id: 'unsubscribe' }),
              expect.objectContaining({ custom_id: 'frequency' }),
            ],
          }),
        ],
      }),
      expect.objectContaining({ id: once.id, content: 'once' }),
    ])
    // The bot reads its DM's history (to look before it reposts), newest first as Discord returns it.
    const history = await dm.messages.fetch({ limit: 10, cache: false })
    expect([...history.values()].map((m) => m.id)).toEqual([once.id, sent.id])
    expect(history.get(sent.id)?.components.map((c) => c.toJSON())).toMatchObject([
      { components: [{ custom_id: 'unsubscribe' }, { custom_id: 'frequency' }] },
    ])
  })

  it('answers 50007 while the person keeps DMs closed, and delivers again once they open them', async () => {
    const mark = await t.client.users.fetch(t.seed.users.mark)
    await control(t.emulator.url, 'PUT', `/users/${t.seed.users.mark}/dms`, { open: false })
    // The DM channel still opens: it is the message that is refused.
    const dm = await mark.createDM()
    expect(await refusal(mark.send(digest()))).toEqual([403, 50007, 'Cannot send messages to this user'])
    expect(await control<any[]>(t.emulator.url, 'GET', `/dms/${t.seed.users.mark}`)).toEqual([])
    // A saved world keeps who closed their DMs.
    expect([...restoreDiscord(snapshotDiscord(t.emulator.state)).closedDms]).toEqual([t.seed.users.mark])

    await control(t.emulator.url, 'PUT', `/users/${t.seed.users.mark}/dms`, { open: true })
    expect(await refusal(dm.send('back again'))).toBe('sent')
    // Closing one person's DMs leaves everyone else's alone.
    await control(t.emulator.url, 'PUT', `/users/${t.seed.users.jo}/dms`, { open: false })
    expect(await refusal(mark.send('still here'))).toBe('sent')
    expect(
      (await control<any[]>(t.emulator.url, 'GET', `/dms/${t.seed.users.mark}`)).map((m) => m.content),
    ).toEqual(['back again', 'still here'])
  })

  it('cannot DM someone it shares no server with, nor another bot', async () => {
    const stranger = t.emulator.state.addUser('stranger')
    const otherBot = t.emulator.state.addUser('otherbot', { bot: true })
    for (const guild of t.emulator.state.guilds.values()) t.emulator.state.addMember(guild.id, otherBot.id)
    for (const id of [stranger.id, otherBot.id]) {
      const user = await t.client.users.fetch(id)
      expect(await refusal(user.send('hello'))).toEqual([403, 50007, 'Cannot send messages to this user'])
    }
  })

  it('delivers a click in a DM as a bot-DM interaction; the update edits the DM, an ephemeral answer shows to the person', async () => {
    const mark = await t.client.users.fetch(t.seed.users.mark)
    const sent = await mark.send(digest())
    const seen: Record<string, unknown>[] = []
    t.answer = async (interaction) => {
      if (!interaction.isButton()) return
      seen.push({
        guildId: interaction.guildId,
        inGuild: interaction.inGuild(),
        member: interaction.member,
        user: interaction.user.id,
        channelId: interaction.channelId,
        dmBased: interaction.channel?.isDMBased(),
        context: interaction.context,
        // A guild-installed app's owner in a DM with the bot is "0", not a server.
        ownerGuild: interaction.authorizingIntegrationOwners.guildId,
        messageId: interaction.message.id,
      })
      if (interaction.customId === 'unsubscribe')
        await interaction.update({ content: 'Unsubscribed from “Who are we, really?”', components: [] })
      else await interaction.reply({ content: 'You now get a weekly digest.', flags: MessageFlags.Ephemeral })
    }
    const click = (user: string, customId: string) =>
      fetch(`${t.emulator.url}/_sandbox/channels/${sent.channelId}/messages/${sent.id}/click`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ user_id: user, custom_id: customId }),
      })

    // Nobody else sees mark's DM, so nobody else can click in it.
    expect((await click(t.seed.users.jo, 'frequency')).status).toBe(404)
    const weekly = await (await click(t.seed.users.mark, 'frequency')).json()
    expect(weekly).toMatchObject({
      answered: true,
      responses: [{ kind: 'initial', content: 'You now get a weekly digest.', ephemeral: true }],
    })
    const unsubscribed = (await (await click(t.seed.users.mark, 'unsubscribe')).json()) as {
      responses: unknown[]
    }
    expect(unsubscribed.responses).toEqual([expect.objectContaining({ kind: 'update', message_id: sent.id })])

    const expected = {
      guildId: null,
      inGuild: false,
      member: null,
      user: t.seed.users.mark,
      channelId: sent.channelId,
      dmBased: true,
      context: InteractionContextType.BotDM,
      ownerGuild: '0',
      messageId: sent.id,
    }
    expect(seen).toEqual([expected, expected])
    expect(await control<any[]>(t.emulator.url, 'GET', `/dms/${t.seed.users.mark}`)).toEqual([
      expect.objectContaining({
        id: sent.id,
        content: 'Unsubscribed from “Who are we, really?”',
        components: [],
      }),
    ])
    const shown = await control<any[]>(t.emulator.url, 'GET', `/shown/${t.seed.users.mark}`)
    expect(shown.map((s) => [s.kind, s.channel_id, s.ephemeral, s.content])).toEqual([
      ['message', sent.channelId, true, 'You now get a weekly digest.'],
      ['edit', sent.channelId, false, 'Unsubscribed from “Who are we, really?”'],
    ])
  })
})
