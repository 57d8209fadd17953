import type { App, types } from '@slack/bolt'
import {
  COMMAND_ACTION_PREFIX,
  type CommandContext,
  type CommandResult,
  type CommandSet,
} from '../../src/command/command.ts'
import { escapeSlack } from '../../src/format/discord-to-slack.ts'
import type { Logger } from '../../src/logger.ts'

const SORRY = 'Something went wrong on our side. Try again in a minute.'
const NO_COMMUNITY = 'Threadbridge bridges no community in this workspace, so there is nothing to do here.'

/**
 * A command's answer as Slack shows it, for `respond`: its text, and with buttons, blocks (the text
 * in a section, the buttons in an actions block; a danger one styled red), the text staying as the
 * notification's fallback (https://api.slack.com/reference/block-kit/blocks#actions).
 */
export function commandAnswer(result: CommandResult): { text: string; blocks?: types.KnownBlock[] } {
  const text = escapeSlack(result.text)
  if (result.actions === undefined || result.actions.length === 0) return { text }
  return {
    text,
    blocks: [
      // Verbatim: an address, a channel name or a name in the answer stays the words it is.
      { type: 'section', text: { type: 'mrkdwn', text: text.slice(0, 3000), verbatim: true } },
      {
        type: 'actions',
        block_id: 'command_actions',
        elements: result.actions.slice(0, 25).map((action) => ({
          type: 'button' as const,
          action_id: action.id,
          value: action.id,
          text: { type: 'plain_text' as const, text: action.label.slice(0, 75) },
          ...(action.danger ? { style: 'danger' as const } : {}),
        })),
      },
    ],
  }
}

/**
 * Serves the buttons on commands' answers (`block_actions`): acknowledged at once, then the
 * command's answer replaces the ephemeral message the button was on through its response_url
 * (`replace_original`, text without blocks, so the buttons go), or, for a refusal
 * (`replace: false`), comes as a message of the presser's own, leaving the original
 * (https://api.slack.com/interactivity/handling#message_responses).
 */
export function serveSlackCommandButtons(
  app: App,
  commands: CommandSet,
  contextFor: (
    userId: string,
    teamId: string | undefined,
    channelId: string,
  ) => Promise<CommandContext | undefined>,
  logger: Logger,
): void {
  app.action(new RegExp(`^${COMMAND_ACTION_PREFIX}`), async ({ ack, body, action, respond }) => {
    await ack()
    const id = 'action_id' in action ? action.action_id : ''
    try {
      const channelId = 'channel' in body ? body.channel?.id : undefined
      const ctx =
        channelId === undefined ? undefined : await contextFor(body.user.id, body.team?.id, channelId)
      const result = ctx === undefined ? { text: NO_COMMUNITY } : await commands.press(id, ctx)
      await respond({
        response_type: 'ephemeral',
        replace_original: result.replace !== false,
        ...commandAnswer(result),
      })
    } catch (error) {
      logger.error({ err: error, action: id }, 'a command button failed')
      await respond({ response_type: 'ephemeral', replace_original: false, text: SORRY }).catch(() => {})
    }
  })
}
