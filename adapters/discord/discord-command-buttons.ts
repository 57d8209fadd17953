import { type ButtonInteraction, MessageFlags } from 'discord.js'
import type { CommandContext, CommandResult, CommandSet } from '../../src/command/command.ts'
import type { Logger } from '../../src/logger.ts'
import { rowsOf } from './discord-digests.ts'

const SORRY = 'Something went wrong on our side. Try again in a minute.'
const NO_COMMUNITY = 'Threadbridge bridges no community in this server, so there is nothing to do here.'

/** A command's answer as Discord shows it: its text, and its buttons as components (danger in red). */
export function commandReply(result: CommandResult) {
  return {
    content: result.text,
    components: rowsOf(result.actions ?? []),
    allowedMentions: { parse: [] },
  }
}

/**
 * A button on a command's answer was pressed (a MESSAGE_COMPONENT interaction). Acknowledged at once
 * by deferring an update of the message it is on (callback 6: an erasure may take longer than
 * Discord's 3 seconds), then the command's answer replaces that message, buttons and all, so it
 * cannot be pressed again. A refusal (`replace: false`) leaves the message alone and tells the
 * presser in a private follow-up.
 * (https://discord.com/developers/docs/interactions/receiving-and-responding#responding-to-an-interaction)
 */
export async function pressCommandButton(
  interaction: ButtonInteraction,
  commands: CommandSet,
  contextFor: (interaction: ButtonInteraction) => Promise<CommandContext | undefined>,
  logger: Logger,
): Promise<void> {
  try {
    await interaction.deferUpdate()
    const ctx = await contextFor(interaction)
    const result =
      ctx === undefined ? { text: NO_COMMUNITY } : await commands.press(interaction.customId, ctx)
    if (result.replace === false)
      await interaction.followUp({ ...commandReply(result), flags: MessageFlags.Ephemeral })
    else await interaction.editReply(commandReply(result))
  } catch (error) {
    logger.error({ err: error, button: interaction.customId }, 'a command button failed')
    await interaction.followUp({ content: SORRY, flags: MessageFlags.Ephemeral }).catch(() => {})
  }
}
