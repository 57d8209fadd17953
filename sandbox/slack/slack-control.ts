import { faultRoutes, statsRoutes } from '../http/emulator-server.ts'
import { HttpError } from '../http/http-kit.ts'
import type { Route } from '../http/route.ts'
import type { SlackEmulator } from './slack-emulator.ts'
import { interactionRoutes } from './slack-interaction-routes.ts'
import { profileNamesOf, setProfileNames } from './slack-profile-names.ts'
import type { SlackMessage, SlackUser } from './slack-state.ts'
import { viewRoutes } from './slack-view-routes.ts'

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
    if (user.deleted) throw new HttpError(403, { error: `${user.name} is deactivated and cannot sign in` })
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
    ...(m.blocks ? { blocks: m.blocks } : {}),
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
        const names = profileNamesOf(body)
        const user = state.addUser(body.name)
        setProfileNames(user, names)
        // New people join every public channel: the sandbox has one community.
        for (const channel of state.channels.values()) if (!channel.is_im) channel.members.add(user.id)
        return { status: 201, body: user }
      },
    },
    {
      // An admin deactivates (or reactivates) someone. Slack keeps the account, with
      // `deleted: true` (https://api.slack.com/types/user), and its DMs' history: the app can still
      // post to a DM it has, but conversations.open answers user_disabled. An owner changes
      // someone's workspace role (`is_admin`, `is_owner`), which users.info reports from then on.
      // A person renames themselves (`display_name`, `real_name`; the handle `name` stays).
      method: 'PATCH',
      path: '/users/:user',
      handle: ({ params, body }) => {
        const user = state.users.get(params.user ?? '')
        if (user === undefined || user.is_bot) throw new HttpError(404, { error: `no person ${params.user}` })
        const changes = ['deleted', 'is_admin', 'is_owner'].filter((key) => key in body)
        const names = profileNamesOf(body)
        if (
          changes.length + Object.keys(names).length === 0 ||
          changes.some((key) => typeof body[key] !== 'boolean')
        )
          throw new HttpError(400, {
            error: 'give deleted, is_admin or is_owner, each true or false, or display_name or real_name',
          })
        changeWorkspaceRole(user, body as { is_admin?: boolean; is_owner?: boolean })
        if (typeof body.deleted === 'boolean') user.deleted = body.deleted
        setProfileNames(user, names)
        return { status: 200, body: user }
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
    ...interactionRoutes(emu, person),
    ...viewRoutes(emu, person),
    ...statsRoutes(emu.stats),
    ...faultRoutes(emu.faults, {
      add: (body) => {
        const count = Number(body.count ?? 1)
        if (body.events === 'duplicate') {
          emu.delivery.duplicateNext += count
          return { status: 201, body: { events: 'duplicate', count } }
        }
        if (body.socket === 'drop') return { status: 200, body: { dropped: emu.hub.dropConnections() } }
        if (body.socket === 'ignore_acks') {
          emu.delivery.ignoreAcksNext += count
          return { status: 201, body: { socket: 'ignore_acks', count } }
        }
        return undefined
      },
      clear: () => {
        emu.delivery.duplicateNext = 0
        emu.delivery.ignoreAcksNext = 0
      },
    }),
  ]
}

/**
 * Slack's workspace roles: an owner is always an admin (making someone an owner makes them an
 * admin; an owner stays an admin until no longer an owner), and the primary owner keeps both
 * until ownership is transferred, which the sandbox does not offer.
 */
function changeWorkspaceRole(user: SlackUser, change: { is_admin?: boolean; is_owner?: boolean }): void {
  const owner = change.is_owner ?? user.is_owner
  const admin = change.is_admin ?? (change.is_owner === true ? true : user.is_admin)
  if (user.is_primary_owner && (!owner || !admin))
    throw new HttpError(400, { error: `${user.name} is the primary owner: transfer ownership first` })
  if (owner && !admin) throw new HttpError(400, { error: 'an owner is an admin: remove is_owner too' })
  user.is_owner = owner
  user.is_admin = admin
}
