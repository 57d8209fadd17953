import { ApplicationFlags, ChannelType, GatewayIntentBits, PermissionFlagsBits } from 'discord-api-types/v10'
import { HttpError } from '../http/http-kit.ts'
import type { Route } from '../http/route.ts'
import { checkBotCanDm } from './discord-dm-rules.ts'
import type { DiscordEmulator } from './discord-emulator.ts'
import { type StoredChannel, type StoredMessage, stripSandboxFields } from './discord-state.ts'
import { webhookRoutes } from './discord-webhook-routes.ts'

/**
 * The REST routes our bot and discord.js call, under /api/v10 (webhooks and interactions are in
 * discord-webhook-routes.ts). Handlers return Discord's shapes and Discord's error bodies; the
 * emulator around them does auth, rate limits, faults and stats.
 */
export function restRoutes(emu: DiscordEmulator): Route[] {
  const { state, platform } = emu
  const channelOf = (p: Record<string, string>) => platform.requireChannel(p.id ?? '')
  return [
    {
      method: 'GET',
      path: '/gateway/bot',
      handle: () => ({
        status: 200,
        body: {
          url: emu.gatewayUrl,
          shards: 1,
          session_start_limit: { total: 1000, remaining: 999, reset_after: 14_400_000, max_concurrency: 1 },
        },
      }),
    },
    { method: 'GET', path: '/users/@me', handle: () => ({ status: 200, body: state.botUser }) },
    {
      method: 'GET',
      path: '/applications/@me',
      handle: () => ({
        status: 200,
        body: {
          id: state.applicationId,
          name: state.botUser.username,
          bot: state.botUser,
          flags: applicationFlags(emu.privilegedIntents),
        },
      }),
    },
    {
      method: 'GET',
      path: '/users/:id',
      handle: ({ params }) => {
        const user = state.users.get(params.id ?? '')
        if (user === undefined) throw new HttpError(404, { message: 'Unknown User', code: 10013 })
        return { status: 200, body: user }
      },
    },
    {
      method: 'GET',
      path: '/channels/:id',
      handle: ({ params }) => ({ status: 200, body: state.channelPayload(channelOf(params)) }),
    },
    {
      method: 'PATCH',
      path: '/channels/:id',
      handle: ({ params, body }) => {
        const channel = channelOf(params)
        const lockOrArchive =
          channel.type === ChannelType.PublicThread &&
          (typeof body.archived === 'boolean' || typeof body.locked === 'boolean')
        if (lockOrArchive) {
          // A thread's owner may archive and reopen it while it is unlocked; locking, and anything
          // on a locked thread, takes Manage Threads.
          const ownUnlocked = channel.owner_id === state.botUser.id && !channel.locked && body.locked !== true
          if (!ownUnlocked && !platform.canManageThreads(channel, state.botUser.id))
            throw new HttpError(403, { message: 'Missing Permissions', code: 50013 })
        }
        if (body.name !== undefined) platform.rename(channel, body.name)
        // One update for the whole change: a lock or an archive reports the new name with it.
        if (lockOrArchive)
          platform.setArchived(
            channel,
            typeof body.archived === 'boolean' ? body.archived : (channel.archived ?? false),
            typeof body.locked === 'boolean' ? body.locked : undefined,
          )
        else if (body.name !== undefined) platform.channelUpdated(channel)
        return { status: 200, body: state.channelPayload(channel) }
      },
    },
    {
      method: 'DELETE',
      path: '/channels/:id',
      handle: ({ params }) => {
        const channel = channelOf(params)
        platform.deleteChannel(channel)
        return { status: 200, body: state.channelPayload(channel) }
      },
    },
    {
      method: 'GET',
      path: '/channels/:id/messages',
      handle: ({ params, query }) => {
        const all = state.messages.get(channelOf(params).id) ?? []
        return { status: 200, body: messagePage(all, query).map(stripSandboxFields) }
      },
    },
    {
      method: 'GET',
      path: '/channels/:id/messages/:message_id',
      handle: ({ params }) => {
        const channel = channelOf(params)
        return {
          status: 200,
          body: stripSandboxFields(platform.requireMessage(channel, params.message_id ?? '')),
        }
      },
    },
    {
      method: 'POST',
      path: '/channels/:id/messages',
      handle: ({ params, body }) => {
        const channel = channelOf(params)
        checkBotCanDm(state, channel)
        const message = platform.send(channel, state.botUser, body)
        return { status: 200, body: stripSandboxFields(message) }
      },
    },
    {
      method: 'PATCH',
      path: '/channels/:id/messages/:message_id',
      handle: ({ params, body }) => {
        const channel = channelOf(params)
        const message = platform.requireMessage(channel, params.message_id ?? '')
        if (message.author.id !== state.botUser.id)
          throw new HttpError(403, { message: 'Cannot edit a message authored by another user', code: 50005 })
        return { status: 200, body: stripSandboxFields(platform.edit(channel, message, body)) }
      },
    },
    {
      method: 'DELETE',
      path: '/channels/:id/messages/:message_id',
      handle: ({ params }) => {
        const channel = channelOf(params)
        const message = platform.requireMessage(channel, params.message_id ?? '')
        // "If operating on a guild channel and trying to delete a message that was not sent by the
        // current user, this endpoint requires the MANAGE_MESSAGES permission." A webhook's message
        // is not the bot user's either. (https://discord.com/developers/docs/resources/message#delete-message)
        if (
          message.author.id !== state.botUser.id &&
          channel.guild_id !== undefined &&
          (state.permissionsIn(channel, state.botUser.id) & PermissionFlagsBits.ManageMessages) === 0n
        )
          throw new HttpError(403, { message: 'Missing Permissions', code: 50013 })
        platform.delete(channel, message)
        return { status: 204 }
      },
    },
    ...(['PUT', 'DELETE'] as const).map(
      (method): Route => ({
        method,
        path: '/channels/:id/messages/:message_id/reactions/:emoji/@me',
        handle: ({ params }) => {
          const channel = channelOf(params)
          const message = platform.requireMessage(channel, params.message_id ?? '')
          platform.react(channel, message, state.botUser.id, params.emoji ?? '', method === 'PUT')
          return { status: 204 }
        },
      }),
    ),
    {
      method: 'POST',
      path: '/channels/:id/threads',
      handle: ({ params, body }) => {
        const parent = channelOf(params)
        const message = body.message as Record<string, unknown> | undefined
        const { thread, starter } = platform.createThread(
          parent,
          state.botUser,
          body.name,
          message,
          {},
          body.applied_tags,
        )
        return {
          status: 201,
          body: {
            ...state.channelPayload(thread),
            ...(starter ? { message: stripSandboxFields(starter) } : {}),
          },
        }
      },
    },
    {
      method: 'POST',
      path: '/channels/:id/messages/:message_id/threads',
      handle: ({ params, body }) => {
        const parent = channelOf(params)
        const starter = platform.requireMessage(parent, params.message_id ?? '')
        const thread = platform.createThreadFromMessage(parent, starter, state.botUser, body.name)
        return { status: 201, body: state.channelPayload(thread) }
      },
    },
    ...webhookRoutes(emu),
    {
      method: 'POST',
      path: '/users/@me/channels',
      handle: ({ body }) => {
        const recipient = state.users.get(String(body.recipient_id ?? ''))
        if (recipient === undefined) throw new HttpError(400, { message: 'Unknown User', code: 10013 })
        return { status: 200, body: state.channelPayload(state.dmChannelFor(recipient.id)) }
      },
    },
    {
      method: 'GET',
      path: '/guilds/:id',
      handle: ({ params }) => {
        const guild = state.guilds.get(params.id ?? '')
        if (guild === undefined) throw new HttpError(404, { message: 'Unknown Guild', code: 10004 })
        return { status: 200, body: emu.gateway.guildCreatePayload(guild.id) }
      },
    },
    {
      method: 'GET',
      path: '/guilds/:id/threads/active',
      handle: ({ params }) => {
        const threads = [...state.channels.values()].filter(
          (c) => c.guild_id === params.id && c.type === ChannelType.PublicThread && !c.archived,
        )
        return { status: 200, body: { threads: threads.map((t) => state.channelPayload(t)), members: [] } }
      },
    },
    {
      // https://discord.com/developers/docs/resources/channel#list-public-archived-threads: the
      // channel's archived public threads, most recently archived first, `before` an ISO8601
      // archive timestamp (exclusive), `limit` 2 to 100 (default 50), `has_more` when more remain.
      method: 'GET',
      path: '/channels/:id/threads/archived/public',
      handle: ({ params, query }) => {
        const parent = channelOf(params)
        if ((state.permissionsIn(parent, state.botUser.id) & PermissionFlagsBits.ReadMessageHistory) === 0n)
          throw new HttpError(403, { message: 'Missing Access', code: 50001 })
        const limit = Number(query.get('limit') ?? 50)
        if (!Number.isInteger(limit) || limit < 2 || limit > 100)
          throw invalidFormBody('limit', 'NUMBER_TYPE_MIN_MAX', 'int value should be between 2 and 100.')
        const beforeText = query.get('before')
        const before = beforeText === null ? Number.POSITIVE_INFINITY : Date.parse(beforeText)
        if (Number.isNaN(before)) throw invalidFormBody('before', 'DATE_TYPE_PARSE', 'Could not parse date.')
        const archived = [...state.channels.values()]
          .filter(
            (c) => c.parent_id === parent.id && c.type === ChannelType.PublicThread && c.archived === true,
          )
          .filter((c) => archivedAt(c) < before)
          .sort((a, b) => archivedAt(b) - archivedAt(a))
        return {
          status: 200,
          body: {
            threads: archived.slice(0, limit).map((t) => state.channelPayload(t)),
            members: [],
            has_more: archived.length > limit,
          },
        }
      },
    },
    {
      method: 'GET',
      path: '/guilds/:id/roles',
      handle: ({ params }) => {
        const guild = state.guilds.get(params.id ?? '')
        if (guild === undefined) throw new HttpError(404, { message: 'Unknown Guild', code: 10004 })
        return { status: 200, body: guild.roles }
      },
    },
    {
      method: 'GET',
      path: '/guilds/:id/members/:user_id',
      handle: ({ params }) => {
        const member = state.memberPayload(params.id ?? '', params.user_id ?? '')
        if (member === undefined) throw new HttpError(404, { message: 'Unknown Member', code: 10007 })
        return { status: 200, body: member }
      },
    },
    ...(['/applications/:id/commands', '/applications/:id/guilds/:guild_id/commands'] as const).flatMap(
      (path): Route[] => [
        {
          method: 'PUT',
          path,
          handle: ({ params, body }) => {
            // The body is a JSON array; the server's body parser hands arrays through as they are.
            const list: unknown[] = Array.isArray(body) ? body : Object.values(body)
            const scope = params.guild_id ?? 'global'
            return {
              status: 200,
              body: state.commands.overwrite(scope, params.id ?? '', list, () => emu.nextId()),
            }
          },
        },
        {
          method: 'GET',
          path,
          handle: ({ params }) => ({
            status: 200,
            body: state.commands.list(params.guild_id ?? 'global'),
          }),
        },
      ],
    ),
  ]
}

/**
 * The application's flags for its enabled privileged intents: the `_LIMITED` ones, as Discord
 * sets them for an application in fewer than 100 servers, which the sandbox's is
 * (https://discord.com/developers/docs/resources/application#application-object-application-flags).
 */
function applicationFlags(privilegedIntents: number): number {
  let flags = 0
  if (privilegedIntents & GatewayIntentBits.GuildPresences) flags |= ApplicationFlags.GatewayPresenceLimited
  if (privilegedIntents & GatewayIntentBits.GuildMembers) flags |= ApplicationFlags.GatewayGuildMembersLimited
  if (privilegedIntents & GatewayIntentBits.MessageContent)
    flags |= ApplicationFlags.GatewayMessageContentLimited
  return flags
}

const archivedAt = (channel: StoredChannel) => channel.archived_at ?? channel.created_at

function invalidFormBody(field: string, code: string, message: string): HttpError {
  return new HttpError(400, {
    message: 'Invalid Form Body',
    code: 50035,
    errors: { [field]: { _errors: [{ code, message }] } },
  })
}

/**
 * https://discord.com/developers/docs/resources/message#get-channel-messages: at most one of
 * `around`, `before`, `after` (message ids), `limit` 1 to 100 (default 50). Discord answers newest
 * first whichever is given: `after` is the `limit` messages just after the id, `before` those just
 * before it, `around` those nearest it on both sides.
 */
function messagePage(all: StoredMessage[], query: URLSearchParams): StoredMessage[] {
  const limit = Number(query.get('limit') ?? 50)
  if (!Number.isInteger(limit) || limit < 1 || limit > 100)
    throw invalidFormBody('limit', 'NUMBER_TYPE_MIN_MAX', 'int value should be between 1 and 100.')
  const id = (m: StoredMessage) => BigInt(m.id)
  const given = (name: string) => {
    const value = query.get(name)
    if (value === null) return undefined
    if (!/^\d{1,20}$/.test(value))
      throw invalidFormBody(name, 'NUMBER_TYPE_COERCE', `Value "${value}" is not snowflake.`)
    return BigInt(value)
  }
  const after = given('after')
  const before = given('before')
  const around = given('around')
  const oldestFirst = [...all].sort((a, b) => (id(a) < id(b) ? -1 : id(a) > id(b) ? 1 : 0))
  let page: StoredMessage[]
  if (around !== undefined) {
    const older = oldestFirst.filter((m) => id(m) < around)
    const rest = oldestFirst.filter((m) => id(m) >= around)
    const half = Math.floor(limit / 2)
    page = [...older.slice(Math.max(0, older.length - half)), ...rest].slice(0, limit)
  } else if (after !== undefined) page = oldestFirst.filter((m) => id(m) > after).slice(0, limit)
  else {
    const upTo = before === undefined ? oldestFirst : oldestFirst.filter((m) => id(m) < before)
    page = upTo.slice(Math.max(0, upTo.length - limit))
  }
  return page.reverse()
}
