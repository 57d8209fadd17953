import { faultRoutes, statsRoutes } from '../http/emulator-server.ts'
import { HttpError } from '../http/http-kit.ts'
import type { Route } from '../http/route.ts'
import type { SlackEmulator } from './slack-emulator.ts'
import type { SlackMessage } from './slack-state.ts'

/**
 * The control API (/_sandbox): people's actions in the workspace and what they would see. Text is
 * given in Slack's wire format, as events carry it: `<!channel>` is a broadcast someone made with
 * @channel, `&lt;` is a typed "<".
 */
export function controlRoutes(emu: SlackEmulator): Route[] {
  const { state, workspace } = emu
  const person = (id: unknown) => {
    if (typeof id !== 'string' || id === '')
      throw new HttpError(400, { error: 'say who acts: user is required, a user id' })
    const user = state.users.get(id)
    if (user === undefined)
      throw new HttpError(404, { error: `no user ${String(id)}; create one with POST /_sandbox/users` })
    return user
  }
  const view = (m: SlackMessage) => ({
    ts: m.ts,
    ...(m.username ? { username: m.username } : { user: m.user }),
    ...(m.bot_id ? { bot_id: m.bot_id } : {}),
    text: m.text,
    ...(m.thread_ts ? { thread_ts: m.thread_ts } : {}),
    reply_count: m.reply_count ?? 0,
    pinged: m.pinged,
    ...(m.edited ? { edited: m.edited } : {}),
    ...(m.metadata ? { metadata: m.metadata } : {}),
    ...(m.icons ? { icons: m.icons } : {}),
    ...(m.reactions ? { reactions: m.reactions } : {}),
  })

  return [
    {
      method: 'GET',
      path: '/state',
      handle: () => ({
        status: 200,
        body: {
          team: state.team,
          channels: [...state.channels.values()]
            .filter((c) => !c.is_im)
            .map((c) => ({ ...state.channelPayload(c), members: [...c.members] })),
          users: [...state.users.values()],
          bot: { user_id: state.botUser.id, bot_id: state.botId, app_id: state.appId },
        },
      }),
    },
    {
      method: 'POST',
      path: '/users',
      handle: ({ body }) => {
        if (typeof body.name !== 'string' || !/^[a-z0-9._-]{2,80}$/.test(body.name)) {
          throw new HttpError(400, { error: 'name must be 2–80 characters of a-z, 0-9, ., _ and -' })
        }
        if (state.findUserByName(body.name))
          throw new HttpError(409, { error: `${body.name} already exists` })
        const user = state.addUser(body.name)
        // New people join every public channel: the sandbox has one community.
        for (const channel of state.channels.values()) if (!channel.is_im) channel.members.add(user.id)
        return { status: 201, body: user }
      },
    },
    {
      method: 'POST',
      path: '/messages',
      handle: ({ body }) => {
        const message = workspace.post(person(body.user), workspace.requireChannel(body.channel), {
          text: body.text,
          thread_ts: body.thread_ts,
          ...(Array.isArray(body.files) ? { files: body.files } : {}),
        })
        return { status: 201, body: view(message) }
      },
    },
    {
      method: 'PATCH',
      path: '/messages',
      handle: ({ body }) => {
        const channel = workspace.requireChannel(body.channel)
        const message = workspace.requireMessage(channel, body.ts)
        return { status: 200, body: view(workspace.edit(person(message.user), channel, message, body.text)) }
      },
    },
    {
      method: 'DELETE',
      path: '/messages',
      handle: ({ body }) => {
        const channel = workspace.requireChannel(body.channel)
        const message = workspace.requireMessage(channel, body.ts)
        // `user` deletes someone else's message, as a workspace admin can; by default its author does.
        workspace.delete(person(body.user ?? message.user), channel, message)
        return { status: 204 }
      },
    },
    ...(['POST', 'DELETE'] as const).map(
      (method): Route => ({
        method,
        path: '/conversations/:channel/archive',
        handle: ({ params, body }) => {
          workspace.setArchived(
            person(body.user),
            workspace.requireChannel(params.channel),
            method === 'POST',
          )
          return { status: 204 }
        },
      }),
    ),
    {
      method: 'DELETE',
      path: '/conversations/:channel',
      handle: ({ params }) => {
        workspace.deleteChannel(workspace.requireChannel(params.channel))
        return { status: 204 }
      },
    },
    {
      method: 'GET',
      path: '/conversations/:channel/history',
      handle: ({ params }) => ({
        status: 200,
        body: state.topLevel(workspace.requireChannel(params.channel).id).map(view),
      }),
    },
    {
      method: 'GET',
      path: '/conversations/:channel/replies/:ts',
      handle: ({ params }) => ({
        status: 200,
        body: state.thread(workspace.requireChannel(params.channel).id, params.ts ?? '').map(view),
      }),
    },
    {
      method: 'GET',
      path: '/dms/:user',
      handle: ({ params }) => {
        const dm = [...state.channels.values()].find((c) => c.is_im && c.user === params.user)
        return { status: 200, body: dm ? (state.messages.get(dm.id) ?? []).map(view) : [] }
      },
    },
    {
      method: 'GET',
      path: '/ephemeral/:user',
      handle: ({ params }) => ({ status: 200, body: state.ephemeral.filter((e) => e.user === params.user) }),
    },
    ...(['POST', 'DELETE'] as const).map(
      (method): Route => ({
        method,
        path: '/reactions',
        handle: ({ body }) => {
          const channel = workspace.requireChannel(body.channel)
          workspace.react(
            person(body.user),
            channel,
            workspace.requireMessage(channel, body.ts),
            body.name,
            method === 'POST',
          )
          return { status: 204 }
        },
      }),
    ),
    {
      method: 'POST',
      path: '/commands',
      handle: async ({ body }) => {
        const user = person(body.user)
        const channel = workspace.requireChannel(body.channel)
        if (typeof body.command !== 'string' || !body.command.startsWith('/'))
          throw new HttpError(400, { error: 'command must start with /' })
        const command = emu.commands.start(user.id, channel.id)
        const ack = await emu.hub.sendCommand({
          token: 'sandbox-verification-token',
          team_id: state.team.id,
          team_domain: state.team.domain,
          channel_id: channel.id,
          channel_name: channel.name,
          user_id: user.id,
          user_name: user.name,
          command: body.command,
          text: typeof body.text === 'string' ? body.text : '',
          api_app_id: state.appId,
          is_enterprise_install: 'false',
          response_url: `${emu.url}/respond/${command.id}`,
          trigger_id: `${Date.now()}.${command.id}`,
        })
        if (ack === null) {
          // What Slack shows the person when the app did not acknowledge within 3 seconds.
          return {
            status: 200,
            body: { answered: false, error: 'operation_timeout', responses: command.responses },
          }
        }
        if (typeof ack.text === 'string' || ack.blocks !== undefined) {
          const responseType = ack.response_type === 'in_channel' ? 'in_channel' : 'ephemeral'
          if (responseType === 'in_channel')
            workspace.post(state.botUser, channel, { text: ack.text, blocks: ack.blocks })
          emu.commands.record(command, {
            kind: 'ack',
            text: String(ack.text ?? ''),
            response_type: responseType,
            ...(ack.blocks ? { blocks: ack.blocks } : {}),
          })
        }
        const answered = await emu.commands.waitForAnswer(
          command,
          Date.now() + (emu.options.commandAnswerMs ?? 10_000),
        )
        return { status: 200, body: { answered, responses: command.responses } }
      },
    },
    {
      method: 'POST',
      path: '/actions',
      handle: async ({ body }) => {
        const user = person(body.user)
        const channel = workspace.requireChannel(body.channel)
        if (typeof body.action_id !== 'string' || body.action_id === '')
          throw new HttpError(400, { error: 'action_id is required' })
        const message =
          typeof body.message_ts === 'string' ? workspace.requireMessage(channel, body.message_ts) : undefined
        const command = emu.commands.start(user.id, channel.id)
        const ack = await emu.hub.sendCommand(
          {
            type: 'block_actions',
            user: { id: user.id, username: user.name, name: user.name, team_id: state.team.id },
            api_app_id: state.appId,
            token: 'sandbox-verification-token',
            container: message
              ? { type: 'message', message_ts: message.ts, channel_id: channel.id, is_ephemeral: false }
              : { type: 'message', channel_id: channel.id },
            trigger_id: `${Date.now()}.${command.id}`,
            team: { id: state.team.id, domain: state.team.domain },
            channel: { id: channel.id, name: channel.name },
            ...(message ? { message: { type: 'message', ts: message.ts, text: message.text } } : {}),
            response_url: `${emu.url}/respond/${command.id}`,
            actions: [
              {
                type: 'button',
                action_id: body.action_id,
                block_id: typeof body.block_id === 'string' ? body.block_id : 'actions',
                value: typeof body.value === 'string' ? body.value : '',
                action_ts: String(Date.now() / 1000),
              },
            ],
          },
          'interactive',
        )
        if (ack === null)
          return {
            status: 200,
            body: { answered: false, error: 'operation_timeout', responses: command.responses },
          }
        const answered = await emu.commands.waitForAnswer(
          command,
          Date.now() + (emu.options.commandAnswerMs ?? 10_000),
        )
        return { status: 200, body: { acknowledged: true, answered, responses: command.responses } }
      },
    },
    ...statsRoutes(emu.stats),
    ...faultRoutes(emu.faults, {
      add: (body) => {
        const count = Number(body.count ?? 1)
        if (body.events === 'duplicate') {
          emu.hub.duplicateNext += count
          return { status: 201, body: { events: 'duplicate', count } }
        }
        if (body.socket === 'drop') return { status: 200, body: { dropped: emu.hub.dropConnections() } }
        if (body.socket === 'ignore_acks') {
          emu.hub.ignoreAcksNext += count
          return { status: 201, body: { socket: 'ignore_acks', count } }
        }
        return undefined
      },
      clear: () => {
        emu.hub.duplicateNext = 0
        emu.hub.ignoreAcksNext = 0
      },
    }),
  ]
}
