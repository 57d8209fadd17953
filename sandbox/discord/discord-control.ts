import {
  type APIUser,
  ChannelType,
  GatewayDispatchEvents,
  GatewayIntentBits,
  OverwriteType,
} from 'discord-api-types/v10'
import { faultRoutes, statsRoutes } from '../http/emulator-server.ts'
import { HttpError } from '../http/http-kit.ts'
import type { Route } from '../http/route.ts'
import type { DiscordEmulator } from './discord-emulator.ts'
import { changeForumSettings } from './discord-forum-tags.ts'
import { interactionControlRoutes } from './discord-interaction-control.ts'
import { personName } from './discord-names.ts'
import type { StoredChannel, StoredMessage } from './discord-state.ts'

/**
 * The control API (/_sandbox): people's actions and what people would see. Calls here are made
 * by people, not the bot, so they never count against the bot's rate limits or stats.
 */
export function controlRoutes(emu: DiscordEmulator): Route[] {
  const { state, platform } = emu
  const person = (id: unknown, field: 'author_id' | 'user_id' = 'author_id'): APIUser => {
    if (typeof id !== 'string' || id === '')
      throw new HttpError(400, { error: `say who acts: ${field} is required, a user id` })
    const user = state.users.get(id)
    if (user === undefined)
      throw new HttpError(404, { error: `no user ${String(id)}; create one with POST /_sandbox/users` })
    return user
  }
  const memberOf = (channel: StoredChannel, user: APIUser) => {
    const guildId = channel.guild_id
    if (guildId !== undefined && !state.guilds.get(guildId)?.members.has(user.id)) {
      throw new HttpError(403, { error: `${user.username} is not in this channel's server` })
    }
  }
  const view = (message: StoredMessage) => ({ ...message })
  /** Tells the server's clients what a member is now (roles, nickname, user), as Discord does. */
  const memberUpdated = (guildId: string, userId: string) => {
    const member = state.memberPayload(guildId, userId)
    emu.gateway.dispatch(
      GatewayDispatchEvents.GuildMemberUpdate,
      { guild_id: guildId, ...member },
      { intent: GatewayIntentBits.GuildMembers, guildId },
    )
    return member
  }

  return [
    {
      method: 'GET',
      path: '/state',
      handle: () => ({
        status: 200,
        body: {
          guilds: [...state.guilds.values()].map((g) => ({
            id: g.id,
            name: g.name,
            owner_id: g.owner_id,
            roles: g.roles,
            member_ids: [...g.members.keys()],
          })),
          channels: [...state.channels.values()]
            .filter((c) => c.type !== ChannelType.DM)
            .map((c) => state.channelPayload(c)),
          users: [...state.users.values()],
          bot: { user: state.botUser, application_id: state.applicationId },
        },
      }),
    },
    {
      method: 'POST',
      path: '/users',
      handle: ({ body }) => {
        if (typeof body.username !== 'string' || !/^[a-z0-9_.]{2,32}$/.test(body.username)) {
          throw new HttpError(400, { error: 'username must be 2–32 characters of a-z, 0-9, _ and .' })
        }
        if (state.findUserByName(body.username))
          throw new HttpError(409, { error: `${body.username} already exists` })
        const globalName = 'global_name' in body ? personName(body.global_name, 'global_name') : undefined
        const user = state.addUser(body.username)
        if (globalName !== undefined) user.global_name = globalName
        // New people join every server, as if invited: the sandbox has one community.
        for (const guild of state.guilds.values()) state.addMember(guild.id, user.id)
        return { status: 201, body: user }
      },
    },
    {
      method: 'PATCH',
      path: '/guilds/:id/members/:userId',
      handle: ({ params, body }) => {
        const guild = state.guilds.get(params.id ?? '')
        if (guild === undefined) throw new HttpError(404, { error: `no server ${params.id}` })
        const userId = params.userId ?? ''
        if (!guild.members.has(userId)) throw new HttpError(404, { error: `${userId} is not in this server` })
        if (!('roles' in body) && !('nick' in body))
          throw new HttpError(400, { error: 'give roles (this server’s role ids) or nick (text, or null)' })
        const roles = body.roles ?? guild.members.get(userId)
        if (!Array.isArray(roles) || !roles.every((r) => guild.roles.some((role) => role.id === r)))
          throw new HttpError(400, { error: 'roles must be a list of this server’s role ids' })
        const nick = 'nick' in body ? personName(body.nick, 'nick') : undefined
        state.addMember(guild.id, userId, roles.map(String))
        if (nick === null) state.nicks.delete(`${guild.id}/${userId}`)
        else if (nick !== undefined) state.nicks.set(`${guild.id}/${userId}`, nick)
        return { status: 200, body: memberUpdated(guild.id, userId) }
      },
    },
    {
      // A person changes their display name (User Settings → Profiles): every server they are in
      // hears it as GUILD_MEMBER_UPDATE, whose member carries the user object.
      method: 'PATCH',
      path: '/users/:userId',
      handle: ({ params, body }) => {
        const user = state.users.get(params.userId ?? '')
        if (user === undefined || user.bot) throw new HttpError(404, { error: `no person ${params.userId}` })
        if (!('global_name' in body)) throw new HttpError(400, { error: 'give global_name (text, or null)' })
        user.global_name = personName(body.global_name, 'global_name')
        for (const guild of state.guilds.values())
          if (guild.members.has(user.id)) memberUpdated(guild.id, user.id)
        return { status: 200, body: user }
      },
    },
    {
      // An admin makes a role (Server Settings → Roles; the API's Create Guild Role): the server's
      // members are told with GUILD_ROLE_CREATE, as Discord tells every client of the server.
      method: 'POST',
      path: '/guilds/:id/roles',
      handle: ({ params, body }) => {
        const guild = state.guilds.get(params.id ?? '')
        if (guild === undefined) throw new HttpError(404, { error: `no server ${params.id}` })
        const name = body.name ?? 'new role'
        if (typeof name !== 'string' || name.length < 1 || name.length > 100)
          throw new HttpError(400, { error: 'name must be 1–100 characters' })
        const permissions = body.permissions ?? '0'
        if (typeof permissions !== 'string' || !/^\d+$/.test(permissions))
          throw new HttpError(400, { error: 'permissions must be a permission bit string, such as "8192"' })
        const created = state.addRole(guild.id, name, BigInt(permissions))
        emu.gateway.dispatch(
          GatewayDispatchEvents.GuildRoleCreate,
          { guild_id: guild.id, role: created },
          { intent: GatewayIntentBits.Guilds, guildId: guild.id },
        )
        return { status: 201, body: created }
      },
    },
    {
      method: 'POST',
      path: '/channels/:id/threads',
      handle: ({ params, body }) => {
        const parent = platform.requireChannel(params.id ?? '')
        const author = person(body.author_id)
        memberOf(parent, author)
        const { thread } = platform.createThread(
          parent,
          author,
          body.name,
          { content: body.content },
          {},
          body.applied_tags,
        )
        // A thread of its own in a text channel has no starter: what was written is its first message.
        if (parent.type === ChannelType.GuildText && typeof body.content === 'string' && body.content !== '')
          platform.send(thread, author, { content: body.content })
        return { status: 201, body: state.channelPayload(thread) }
      },
    },
    {
      method: 'POST',
      path: '/channels/:id/messages/:messageId/threads',
      handle: ({ params, body }) => {
        const parent = platform.requireChannel(params.id ?? '')
        const author = person(body.author_id)
        memberOf(parent, author)
        const starter = platform.requireMessage(parent, params.messageId ?? '')
        const thread = platform.createThreadFromMessage(parent, starter, author, body.name)
        return { status: 201, body: state.channelPayload(thread) }
      },
    },
    {
      method: 'GET',
      path: '/channels/:id/threads',
      handle: ({ params }) => {
        const parent = platform.requireChannel(params.id ?? '')
        const threads = [...state.channels.values()].filter((c) => c.parent_id === parent.id)
        return { status: 200, body: threads.map((c) => state.channelPayload(c)) }
      },
    },
    {
      method: 'PATCH',
      path: '/channels/:id',
      handle: ({ params, body }) => {
        const channel = platform.requireChannel(params.id ?? '')
        // An admin's Edit Channel on a forum: Require tags, and its tags.
        if (channel.type === ChannelType.GuildForum) {
          changeForumSettings(channel, body)
          emu.gateway.dispatch(
            GatewayDispatchEvents.ChannelUpdate,
            state.channelPayload(channel) as unknown as Record<string, unknown>,
            { intent: GatewayIntentBits.Guilds, guildId: channel.guild_id },
          )
          return { status: 200, body: state.channelPayload(channel) }
        }
        if (channel.type !== ChannelType.PublicThread)
          throw new HttpError(400, { error: 'only threads can be archived or locked, and forums changed' })
        platform.setArchived(
          channel,
          Boolean(body.archived ?? channel.archived),
          body.locked === undefined ? undefined : Boolean(body.locked),
        )
        return { status: 200, body: state.channelPayload(channel) }
      },
    },
    {
      method: 'DELETE',
      path: '/channels/:id',
      handle: ({ params }) => {
        platform.deleteChannel(platform.requireChannel(params.id ?? ''))
        return { status: 204 }
      },
    },
    ...(['PUT', 'DELETE'] as const).map(
      (method): Route => ({
        // An admin edits a channel's permissions, as Discord's Edit Channel Permissions does:
        // one overwrite per role or member, `allow` and `deny` as permission bit strings
        // (https://discord.com/developers/docs/resources/channel#edit-channel-permissions).
        method,
        path: '/channels/:id/permissions/:overwrite_id',
        handle: ({ params, body }) => {
          const channel = platform.requireChannel(params.id ?? '')
          const id = params.overwrite_id ?? ''
          const rest = (channel.permission_overwrites ?? []).filter((o) => o.id !== id)
          if (method === 'PUT') {
            const type = Number(body.type)
            if (type !== OverwriteType.Role && type !== OverwriteType.Member)
              throw new HttpError(400, { error: 'type is 0 (a role) or 1 (a member)' })
            const bits = (v: unknown) => {
              if (!/^\d+$/.test(String(v ?? '0')))
                throw new HttpError(400, { error: 'allow and deny are permission bit strings' })
              return String(v ?? '0')
            }
            rest.push({ id, type, allow: bits(body.allow), deny: bits(body.deny) })
          }
          channel.permission_overwrites = rest
          emu.gateway.dispatch(
            GatewayDispatchEvents.ChannelUpdate,
            state.channelPayload(channel) as unknown as Record<string, unknown>,
            { intent: GatewayIntentBits.Guilds, guildId: channel.guild_id },
          )
          return { status: 204 }
        },
      }),
    ),
    {
      // An admin deletes a webhook in Server Settings → Integrations; Discord answers 10015
      // Unknown Webhook to whatever still calls it.
      method: 'DELETE',
      path: '/webhooks/:id',
      handle: ({ params }) => {
        if (!state.webhooks.delete(params.id ?? ''))
          throw new HttpError(404, { error: `no webhook ${params.id}` })
        return { status: 204 }
      },
    },
    {
      method: 'POST',
      path: '/channels/:id/messages',
      handle: ({ params, body }) => {
        const channel = platform.requireChannel(params.id ?? '')
        const author = person(body.author_id)
        memberOf(channel, author)
        const message = platform.send(channel, author, {
          content: body.content,
          ...(body.reply_to ? { message_reference: { message_id: String(body.reply_to) } } : {}),
          ...(Array.isArray(body.attachments) ? { attachments: body.attachments } : {}),
        })
        return { status: 201, body: view(message) }
      },
    },
    {
      method: 'GET',
      path: '/channels/:id/messages',
      handle: ({ params }) => ({
        status: 200,
        body: (state.messages.get(platform.requireChannel(params.id ?? '').id) ?? []).map(view),
      }),
    },
    {
      method: 'PATCH',
      path: '/channels/:id/messages/:message_id',
      handle: ({ params, body }) => {
        const channel = platform.requireChannel(params.id ?? '')
        return {
          status: 200,
          body: view(
            platform.edit(channel, platform.requireMessage(channel, params.message_id ?? ''), {
              content: body.content,
            }),
          ),
        }
      },
    },
    {
      method: 'DELETE',
      path: '/channels/:id/messages/:message_id',
      handle: ({ params }) => {
        const channel = platform.requireChannel(params.id ?? '')
        platform.delete(channel, platform.requireMessage(channel, params.message_id ?? ''))
        return { status: 204 }
      },
    },
    ...(['POST', 'DELETE'] as const).map(
      (method): Route => ({
        method,
        path: '/channels/:id/messages/:message_id/reactions',
        handle: ({ params, body }) => {
          const channel = platform.requireChannel(params.id ?? '')
          const message = platform.requireMessage(channel, params.message_id ?? '')
          if (typeof body.emoji !== 'string' || body.emoji === '')
            throw new HttpError(400, { error: 'emoji is required' })
          platform.react(channel, message, person(body.user_id, 'user_id').id, body.emoji, method === 'POST')
          return { status: 204 }
        },
      }),
    ),
    {
      method: 'GET',
      path: '/messages/:message_id/reactions',
      handle: ({ params }) => {
        const reactions = state.reactions.get(params.message_id ?? '') ?? new Map()
        return {
          status: 200,
          body: [...reactions.values()]
            .filter((r) => r.users.size > 0)
            .map((r) => ({ emoji: r.emoji, user_ids: [...r.users] })),
        }
      },
    },
    {
      // The person closes (or reopens) their DMs to the bot: turning off "Allow direct messages
      // from server members", or blocking the bot. The bot's messages to them then fail with 50007.
      method: 'PUT',
      path: '/users/:user_id/dms',
      handle: ({ params, body }) => {
        const user = person(params.user_id, 'user_id')
        if (typeof body.open !== 'boolean') throw new HttpError(400, { error: 'open must be true or false' })
        if (body.open) state.closedDms.delete(user.id)
        else state.closedDms.add(user.id)
        return { status: 200, body: { user_id: user.id, open: body.open } }
      },
    },
    {
      method: 'GET',
      path: '/dms/:user_id',
      handle: ({ params }) => {
        const dm = [...state.channels.values()].find(
          (c) => c.type === ChannelType.DM && c.recipient_id === params.user_id,
        )
        return { status: 200, body: (dm ? (state.messages.get(dm.id) ?? []) : []).map(view) }
      },
    },
    ...interactionControlRoutes(emu, person),
    ...statsRoutes(emu.stats),
    ...faultRoutes(emu.faults, {
      add: (body) =>
        body.gateway === 'drop'
          ? { status: 200, body: { dropped: emu.gateway.dropConnections() } }
          : undefined,
    }),
  ]
}
