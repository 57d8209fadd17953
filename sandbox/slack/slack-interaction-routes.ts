import { HttpError } from '../http/http-kit.ts'
import type { Route } from '../http/route.ts'
import { escapeCommandText } from './slack-command-escaping.ts'
import type { InteractionSource, OpenCommand } from './slack-commands.ts'
import type { SlackEmulator } from './slack-emulator.ts'
import type { SlackUser } from './slack-state.ts'

/**
 * The control API's interactions: a person runs a slash command, a shortcut, or clicks a button.
 * Each is delivered over Socket Mode with a trigger_id (for a modal) and, except a global
 * shortcut, a response_url; the answer says what the app did in return.
 */
export function interactionRoutes(emu: SlackEmulator, person: (id: unknown) => SlackUser): Route[] {
  const { state, workspace } = emu
  const team = { id: state.team.id, domain: state.team.domain }
  const userPayload = (user: SlackUser) => ({
    id: user.id,
    username: user.name,
    name: user.name,
    team_id: state.team.id,
  })
  const waitForAnswer = (command: OpenCommand) =>
    emu.commands.waitForAnswer(command, Date.now() + (emu.options.commandAnswerMs ?? 10_000))
  // What Slack shows the person when the app did not acknowledge within 3 seconds.
  const timedOut = (command: OpenCommand) => ({
    status: 200,
    body: { answered: false, error: 'operation_timeout', responses: command.responses },
  })

  // The text as typed in Slack's composer, escaped as the manifest asks for this command.
  const escaped = (command: string, text: string) =>
    emu.manifest.escapedCommands?.includes(command) ? escapeCommandText(text, state) : text

  return [
    {
      method: 'POST',
      path: '/commands',
      handle: async ({ body }) => {
        const user = person(body.user)
        const channel = workspace.requireChannel(body.channel)
        if (typeof body.command !== 'string' || !body.command.startsWith('/'))
          throw new HttpError(400, { error: 'command must start with /' })
        // Slack's client does not run an app's slash command in a thread: it says so and sends
        // nothing (https://api.slack.com/interactivity/slash-commands).
        if (body.thread_ts !== undefined)
          throw new HttpError(400, {
            error: 'not_supported_in_threads',
            message: `${body.command} is not supported in threads. Sorry!`,
          })
        // Only the app's declared commands reach it; any other is not a command to Slack's client.
        if (!emu.manifest.commands.includes(body.command))
          throw new HttpError(400, {
            error: 'command_not_declared',
            message: `${body.command} is not a valid command. The app declares ${emu.manifest.commands.join(', ') || 'none'}.`,
          })
        const command = emu.commands.start(user.id, channel.id)
        const ack = await emu.delivery.sendCommand({
          token: 'sandbox-verification-token',
          team_id: state.team.id,
          team_domain: state.team.domain,
          channel_id: channel.id,
          channel_name: channel.name,
          user_id: user.id,
          user_name: user.name,
          command: body.command,
          text: escaped(body.command, typeof body.text === 'string' ? body.text : ''),
          api_app_id: state.appId,
          is_enterprise_install: 'false',
          response_url: `${emu.url}/respond/${command.id}`,
          trigger_id: emu.triggers.issue(user.id, command.id),
        })
        if (ack === null) return timedOut(command)
        if (typeof ack.text === 'string' || ack.blocks !== undefined) {
          // The ack's body is the command's immediate answer, under the same rules as a response_url's.
          const responseType = ack.response_type === 'in_channel' ? 'in_channel' : 'ephemeral'
          const text = String(ack.text ?? '')
          if (responseType === 'in_channel') {
            const message = workspace.post(state.botUser, channel, { text, blocks: ack.blocks })
            emu.shown.record(user.id, {
              kind: 'in_channel',
              channel: channel.id,
              ts: message.ts,
              text,
              ...(message.blocks ? { blocks: message.blocks } : {}),
            })
          } else {
            emu.shown.record(user.id, {
              kind: 'ephemeral',
              channel: channel.id,
              ts: state.nextTs(),
              text,
              ...(ack.blocks ? { blocks: ack.blocks } : {}),
            })
          }
          emu.commands.record(command, {
            kind: 'ack',
            text,
            response_type: responseType,
            ...(ack.blocks ? { blocks: ack.blocks } : {}),
          })
        }
        const answered = await waitForAnswer(command)
        return { status: 200, body: { answered, responses: command.responses } }
      },
    },
    {
      method: 'POST',
      path: '/shortcuts',
      handle: async ({ body }) => {
        const user = person(body.user)
        // Only shortcuts in the app's manifest appear in Slack's menus
        // (https://api.slack.com/interactivity/shortcuts).
        const shortcut = emu.manifest.shortcuts.find((s) => s.callback_id === body.callback_id)
        if (shortcut === undefined)
          throw new HttpError(400, {
            error: 'shortcut_not_declared',
            message: `the app declares no shortcut with callback_id ${String(body.callback_id)}`,
          })
        let command: OpenCommand
        let payload: Record<string, unknown>
        const common = {
          token: 'sandbox-verification-token',
          action_ts: String(emu.clock() / 1000),
          team,
          user: userPayload(user),
          is_enterprise_install: false,
          enterprise: null,
          callback_id: shortcut.callback_id,
        }
        if (shortcut.type === 'message') {
          // A message shortcut acts on one message, from its "More actions" menu.
          const channel = workspace.requireChannel(body.channel)
          const message = workspace.requireMessage(channel, body.message_ts)
          if (!channel.members.has(user.id))
            throw new HttpError(400, {
              error: 'the person is not in the channel, so sees no message to act on',
            })
          command = emu.commands.start(user.id, channel.id, {
            kind: 'message',
            channel: channel.id,
            ts: message.ts,
          })
          payload = {
            type: 'message_action',
            ...common,
            trigger_id: emu.triggers.issue(user.id, command.id),
            response_url: `${emu.url}/respond/${command.id}`,
            channel: { id: channel.id, name: channel.name },
            message_ts: message.ts,
            message: {
              type: 'message',
              ts: message.ts,
              text: message.text,
              ...(message.user ? { user: message.user } : {}),
              ...(message.bot_id ? { bot_id: message.bot_id } : {}),
              ...(message.thread_ts ? { thread_ts: message.thread_ts } : {}),
              ...(message.reply_count ? { reply_count: message.reply_count } : {}),
            },
          }
        } else {
          // A global shortcut comes from no channel and has no response_url.
          command = emu.commands.start(user.id, '')
          payload = { type: 'shortcut', ...common, trigger_id: emu.triggers.issue(user.id, command.id) }
        }
        const ack = await emu.delivery.sendCommand(payload, 'interactive')
        if (ack === null) return timedOut(command)
        const answered = await waitForAnswer(command)
        return {
          status: 200,
          body: {
            acknowledged: true,
            answered,
            responses: command.responses,
            views: emu.views.stack(user.id),
          },
        }
      },
    },
    {
      method: 'POST',
      path: '/actions',
      handle: async ({ body }) => {
        const user = person(body.user)
        if (typeof body.action_id !== 'string' || body.action_id === '')
          throw new HttpError(400, { error: 'action_id is required' })
        const action = {
          type: 'button',
          action_id: body.action_id,
          block_id: typeof body.block_id === 'string' ? body.block_id : 'actions',
          value: typeof body.value === 'string' ? body.value : '',
          action_ts: String(emu.clock() / 1000),
        }
        const common = {
          type: 'block_actions',
          user: userPayload(user),
          api_app_id: state.appId,
          token: 'sandbox-verification-token',
          team,
          actions: [action],
        }
        let command: OpenCommand
        let payload: Record<string, unknown>
        if (typeof body.view_id === 'string') {
          // A button in the person's open modal: no channel and no response_url
          // (https://api.slack.com/reference/interaction-payloads/block-actions).
          const view = emu.views.stack(user.id).find((v) => v.id === body.view_id)
          if (view === undefined)
            throw new HttpError(404, { error: `${user.name} has no open view ${body.view_id}` })
          command = emu.commands.start(user.id, '')
          payload = {
            ...common,
            container: { type: 'view', view_id: view.id },
            trigger_id: emu.triggers.issue(user.id, command.id),
            view,
          }
        } else {
          const channel = workspace.requireChannel(body.channel)
          let source: InteractionSource | undefined
          let container: Record<string, unknown> = { type: 'message', channel_id: channel.id }
          let message: Record<string, unknown> | undefined
          if (typeof body.ephemeral_ts === 'string') {
            // A button on an ephemeral message the person was shown.
            const shown = emu.shown.ephemeral(user.id, body.ephemeral_ts)
            if (shown === undefined || shown.deleted)
              throw new HttpError(404, {
                error: `${user.name} sees no ephemeral message ${body.ephemeral_ts}`,
              })
            requireButton(shown.blocks, body.action_id)
            source = { kind: 'ephemeral', ts: shown.ts }
            container = { ...container, message_ts: shown.ts, is_ephemeral: true }
          } else if (typeof body.message_ts === 'string') {
            // Only the conversation's members see its messages: a DM's, only its person.
            if (!channel.members.has(user.id))
              throw new HttpError(404, {
                error: `${user.name} is not in ${channel.id}, so sees none of its messages`,
              })
            const found = workspace.requireMessage(channel, body.message_ts)
            requireButton(found.blocks, body.action_id)
            source = { kind: 'message', channel: channel.id, ts: found.ts }
            container = { ...container, message_ts: found.ts, is_ephemeral: false }
            message = {
              type: 'message',
              ts: found.ts,
              text: found.text,
              ...(found.user ? { user: found.user } : {}),
              ...(found.bot_id ? { bot_id: found.bot_id } : {}),
              team: state.team.id,
              ...(found.blocks ? { blocks: found.blocks } : {}),
            }
          }
          command = emu.commands.start(user.id, channel.id, source)
          payload = {
            ...common,
            container,
            trigger_id: emu.triggers.issue(user.id, command.id),
            // A DM is named "directmessage" in interaction payloads, whoever it is with.
            channel: { id: channel.id, name: channel.is_im ? 'directmessage' : channel.name },
            ...(message ? { message } : {}),
            response_url: `${emu.url}/respond/${command.id}`,
          }
        }
        const ack = await emu.delivery.sendCommand(payload, 'interactive')
        if (ack === null) return timedOut(command)
        const answered = await waitForAnswer(command)
        return { status: 200, body: { acknowledged: true, answered, responses: command.responses } }
      },
    },
  ]
}

/**
 * A person can press only a button the message shows now: one replaced by an answer
 * (`replace_original`) is gone with its message's old blocks
 * (https://api.slack.com/reference/block-kit/block-elements#button).
 */
function requireButton(blocks: unknown, actionId: string): void {
  const elements = (Array.isArray(blocks) ? blocks : []).flatMap(
    (block: { elements?: unknown[]; accessory?: unknown }) => [
      ...(Array.isArray(block.elements) ? block.elements : []),
      ...(block.accessory === undefined ? [] : [block.accessory]),
    ],
  ) as { type?: string; action_id?: string }[]
  if (!elements.some((e) => e.type === 'button' && e.action_id === actionId))
    throw new HttpError(400, { error: `the message shows no button with action_id ${actionId}` })
}
