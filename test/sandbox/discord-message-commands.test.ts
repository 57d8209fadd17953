import { ApplicationCommandType, DiscordAPIError, MessageFlags } from 'discord.js'
import { describe, expect, it } from 'vitest'
import { control } from '../support/control.ts'
import { useDiscordInteractions } from '../support/discord-interaction-fixture.ts'

/**
 * Message commands (a message's Apps menu): registered with type 3, a name of up to 32
 * characters that may hold spaces and capitals, no description and no options; run on a message,
 * the interaction carries it as `target_id` and in `resolved.messages`
 * (https://discord.com/developers/docs/interactions/application-commands#message-commands).
 */
describe('Discord emulator: message commands with the real discord.js client', () => {
  const t = useDiscordInteractions()

  it('runs a message command on a message, which the interaction carries as its target', async () => {
    await t.client.application?.commands.set(
      [
        { name: 'quote', description: 'a slash command of the same idea' },
        { name: 'Quote this', type: ApplicationCommandType.Message },
      ],
      t.seed.guildId,
    )
    const message = await control(t.emulator.url, 'POST', `/channels/${t.seed.generalId}/messages`, {
      author_id: t.seed.users.jo,
      content: 'worth quoting',
    })
    t.answer = async (interaction) => {
      if (!interaction.isMessageContextMenuCommand()) return
      await interaction.reply({
        content: `${interaction.commandName}: ${interaction.targetMessage.content} by ${interaction.targetMessage.author.username}`,
        flags: MessageFlags.Ephemeral,
      })
    }
    const result = await t.run(t.seed.users.mark, 'Quote this', { target_id: message.id })
    expect(result.responses.map((r: { content: string }) => r.content)).toEqual([
      'Quote this: worth quoting by jo',
    ])
    // Only a registered message command runs, and only on a message that is there.
    expect(
      (
        await t.raw('POST', '/interactions', {
          user_id: t.seed.users.mark,
          channel_id: t.seed.generalId,
          name: 'quote',
          target_id: message.id,
        })
      ).status,
    ).toBe(400)
    expect(
      (
        await t.raw('POST', '/interactions', {
          user_id: t.seed.users.mark,
          channel_id: t.seed.generalId,
          name: 'Quote this',
          target_id: '1',
        })
      ).status,
    ).toBe(404)
  })

  it('refuses a message command with a description or options, or a name longer than 32', async () => {
    const refused = async (command: Record<string, unknown>) => {
      const error = await t.client.application?.commands
        .set([{ type: ApplicationCommandType.Message, name: 'Fine', ...command } as never], t.seed.guildId)
        .catch((e: unknown) => e)
      return error instanceof DiscordAPIError ? error.status : 'accepted'
    }
    expect(await refused({ description: 'not allowed' })).toBe(400)
    expect(await refused({ name: 'x'.repeat(33) })).toBe(400)
    expect(await refused({ name: 'Delete everywhere' })).toBe('accepted')
  })
})
