import { ChannelType, InteractionResponseType, MessageFlags } from 'discord-api-types/v10'
import { HttpError } from '../http/http-kit.ts'
import type { Route } from '../http/route.ts'
import type { DiscordEmulator } from './discord-emulator.ts'
import { type StoredMessage, stripSandboxFields } from './discord-state.ts'

const EPHEMERAL = MessageFlags.Ephemeral

/**
 * The REST routes our bot and discord.js call, under /api/v10. Handlers return Discord's shapes
 * and Discord's error bodies; the emulator around them does auth, rate limits, faults and stats.
 */
export function restRoutes(emu: DiscordEmulator): Route[] {
  const { state, platform, interactions } = emu
  const channelOf = (p: Record<string, string>) => platform.requireChannel(p.id ?? '')
  const webhookOf = (p: Record<string, string>) => {
    const webhook = state.webhooks.get(p.id ?? '')
    if (webhook === undefined || webhook.token !== p.token)
      throw new HttpError(404, { message: 'Unknown Webhook', code: 10015 })
    return webhook
  }
  const webhookTarget = (channelId: string, query: URLSearchParams) => {
    const threadId = query.get('thread_id')
    if (!threadId) return platform.requireChannel(channelId)
    const thread = platform.requireChannel(threadId)
    if (thread.parent_id !== channelId) throw new HttpError(400, { message: 'Unknown Channel', code: 10003 })
    return thread
  }
  const isInteractionWebhook = (p: Record<string, string>) => p.id === state.applicationId
  const interactionOf = (p: Record<string, string>) => {
    const interaction = interactions.byInteractionToken(p.token ?? '')
    if (interaction === undefined || Date.now() - interaction.createdAt > 15 * 60_000) {
      throw new HttpError(404, { message: 'Unknown interaction', code: 10062 })
    }
    return interaction
  }

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
        body: { id: state.applicationId, name: state.botUser.username, bot: state.botUser, flags: 0 },
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
        if (typeof body.name === 'string') channel.name = body.name
        if (
          channel.type === ChannelType.PublicThread &&
          (typeof body.archived === 'boolean' || typeof body.locked === 'boolean')
        ) {
          // A thread's owner may archive and reopen it while it is unlocked; locking, and anything
          // on a locked thread, takes Manage Threads.
          const ownUnlocked = channel.owner_id === state.botUser.id && !channel.locked && body.locked !== true
          if (!ownUnlocked && !platform.canManageThreads(channel, state.botUser.id))
            throw new HttpError(403, { message: 'Missing Permissions', code: 50013 })
          platform.setArchived(
            channel,
            typeof body.archived === 'boolean' ? body.archived : (channel.archived ?? false),
            typeof body.locked === 'boolean' ? body.locked : undefined,
          )
        }
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
        const limit = Math.min(100, Number(query.get('limit') ?? 50))
        const all = state.messages.get(channelOf(params).id) ?? []
        return { status: 200, body: all.slice(-limit).reverse().map(stripSandboxFields) }
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
        const message = platform.send(channelOf(params), state.botUser, body)
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
        return { status: 200, body: stripSandboxFields(platform.edit(channel, message, body.content)) }
      },
    },
    {
      method: 'DELETE',
      path: '/channels/:id/messages/:message_id',
      handle: ({ params }) => {
        const channel = channelOf(params)
        platform.delete(channel, platform.requireMessage(channel, params.message_id ?? ''))
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
        const { thread, starter } = platform.createThread(parent, state.botUser, body.name, message)
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
    {
      method: 'GET',
      path: '/channels/:id/webhooks',
      handle: ({ params }) => {
        const channel = channelOf(params)
        const hooks = [...state.webhooks.values()].filter((w) => w.channel_id === channel.id)
        return { status: 200, body: hooks.map((w) => ({ ...w, type: 1, avatar: null, user: state.botUser })) }
      },
    },
    {
      method: 'POST',
      path: '/channels/:id/webhooks',
      handle: ({ params, body }) => {
        const channel = channelOf(params)
        const name = typeof body.name === 'string' ? body.name : ''
        if (name === '' || name.length > 80 || /clyde|discord/i.test(name)) {
          throw new HttpError(400, {
            message: 'Invalid Form Body',
            code: 50035,
            errors: {
              name: { _errors: [{ code: 'BASE_TYPE_BAD_LENGTH', message: 'Invalid webhook name' }] },
            },
          })
        }
        if ([...state.webhooks.values()].filter((w) => w.channel_id === channel.id).length >= 15) {
          throw new HttpError(400, { message: 'Maximum number of webhooks reached (15)', code: 30007 })
        }
        const webhook = state.addWebhook(channel, name)
        return { status: 200, body: { ...webhook, type: 1, avatar: null, user: state.botUser } }
      },
    },
    {
      method: 'POST',
      path: '/webhooks/:id/:token',
      handle: ({ params, body, query }) => {
        if (isInteractionWebhook(params)) {
          const interaction = interactionOf(params)
          const flags = Number(body.flags ?? 0)
          const ephemeral = (flags & EPHEMERAL) !== 0
          const message = ephemeral
            ? undefined
            : platform.send(platform.requireChannel(interaction.channelId), state.botUser, body)
          interactions.record(
            interaction,
            {
              kind: 'followup',
              content: String(body.content ?? ''),
              flags,
              ephemeral,
              message_id: message?.id ?? null,
            },
            true,
          )
          return {
            status: 200,
            body: message ? stripSandboxFields(message) : { id: '0', content: body.content, flags },
          }
        }
        const webhook = webhookOf(params)
        const parent = platform.requireChannel(webhook.channel_id)
        const via = {
          webhookId: webhook.id,
          ...(typeof body.username === 'string' ? { username: body.username } : {}),
          ...(typeof body.avatar_url === 'string' ? { avatarUrl: body.avatar_url } : {}),
        }
        let message: StoredMessage | undefined
        if (parent.type === ChannelType.GuildForum && !query.get('thread_id')) {
          if (typeof body.thread_name !== 'string') {
            throw new HttpError(400, {
              message: 'Webhooks posted to forum channels must have a thread_name or thread_id',
              code: 220001,
            })
          }
          message = platform.createThread(parent, state.botUser, body.thread_name, body, via).starter
        } else {
          message = platform.send(webhookTarget(webhook.channel_id, query), state.botUser, body, via)
        }
        if (query.get('wait') !== 'true' || message === undefined) return { status: 204 }
        return { status: 200, body: stripSandboxFields(message) }
      },
    },
    ...(['GET', 'PATCH', 'DELETE'] as const).map(
      (method): Route => ({
        method,
        path: '/webhooks/:id/:token/messages/:message_id',
        handle: ({ params, body, query }) => {
          let channelId: string
          let messageId = params.message_id ?? ''
          if (isInteractionWebhook(params)) {
            const interaction = interactionOf(params)
            channelId = interaction.channelId
            if (messageId === '@original') {
              if (method === 'PATCH') {
                const flags = interaction.deferredEphemeral ? EPHEMERAL : Number(body.flags ?? 0)
                const ephemeral = (flags & EPHEMERAL) !== 0
                const existing = interaction.responses.find(
                  (r) => r.message_id !== null && (r.kind === 'initial' || r.kind === 'edit'),
                )
                let id = existing?.message_id ?? null
                if (!ephemeral) {
                  const channel = platform.requireChannel(channelId)
                  const stored = id ? state.findMessage(channelId, id) : undefined
                  id = stored
                    ? platform.edit(channel, stored, body.content).id
                    : platform.send(channel, state.botUser, body).id
                }
                interactions.record(
                  interaction,
                  { kind: 'edit', content: String(body.content ?? ''), flags, ephemeral, message_id: id },
                  true,
                )
                const stored = id ? state.findMessage(channelId, id) : undefined
                return {
                  status: 200,
                  body: stored
                    ? stripSandboxFields(stored)
                    : { id: interaction.id, channel_id: channelId, content: body.content, flags },
                }
              }
              const original = interaction.responses.find((r) => r.message_id !== null)
              if (original?.message_id == null) {
                if (method === 'GET')
                  return {
                    status: 200,
                    body: {
                      id: interaction.id,
                      channel_id: channelId,
                      content: interaction.responses.at(-1)?.content ?? '',
                      flags: EPHEMERAL,
                    },
                  }
                return { status: 204 }
              }
              messageId = original.message_id
            }
          } else {
            const webhook = webhookOf(params)
            channelId = webhookTarget(webhook.channel_id, query).id
          }
          const channel = platform.requireChannel(channelId)
          const message = platform.requireMessage(channel, messageId)
          if (!isInteractionWebhook(params) && message.webhook_id !== params.id) {
            throw new HttpError(403, {
              message: 'Cannot edit a message authored by another user',
              code: 50005,
            })
          }
          if (method === 'GET') return { status: 200, body: stripSandboxFields(message) }
          if (method === 'DELETE') {
            platform.delete(channel, message)
            return { status: 204 }
          }
          return { status: 200, body: stripSandboxFields(platform.edit(channel, message, body.content)) }
        },
      }),
    ),
    {
      method: 'POST',
      path: '/interactions/:id/:token/callback',
      handle: ({ params, body, query }) => {
        const interaction = interactions.get(params.id ?? '')
        if (
          interaction === undefined ||
          interaction.token !== params.token ||
          Date.now() - interaction.createdAt > 3000
        ) {
          throw new HttpError(404, { message: 'Unknown interaction', code: 10062 })
        }
        if (interaction.acknowledged)
          throw new HttpError(400, { message: 'Interaction has already been acknowledged.', code: 40060 })
        interaction.acknowledged = true
        const data = (body.data ?? {}) as Record<string, unknown>
        const flags = Number(data.flags ?? 0)
        const ephemeral = (flags & EPHEMERAL) !== 0
        let messageId: string | null = null
        if (body.type === InteractionResponseType.ChannelMessageWithSource) {
          if (!ephemeral)
            messageId = platform.send(platform.requireChannel(interaction.channelId), state.botUser, data).id
          interactions.record(
            interaction,
            { kind: 'initial', content: String(data.content ?? ''), flags, ephemeral, message_id: messageId },
            true,
          )
        } else if (body.type === InteractionResponseType.DeferredChannelMessageWithSource) {
          interaction.deferredEphemeral = ephemeral
          interactions.record(
            interaction,
            { kind: 'deferred', content: null, flags, ephemeral, message_id: null },
            false,
          )
        } else {
          throw new HttpError(400, { message: 'Invalid interaction response type', code: 50035 })
        }
        if (query.get('with_response') !== 'true') return { status: 204 }
        return {
          status: 200,
          body: {
            interaction: {
              id: interaction.id,
              type: 2,
              response_message_id: messageId,
              response_message_loading: messageId === null,
              response_message_ephemeral: ephemeral,
              activity_instance_id: null,
            },
            resource: { type: body.type },
          },
        }
      },
    },
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
            const list = Array.isArray(body)
              ? body
              : Array.isArray(body.commands)
                ? body.commands
                : Object.values(body)
            const commands = (list as Record<string, unknown>[]).map((command) => ({
              ...command,
              id: emu.nextId(),
              application_id: params.id,
              version: emu.nextId(),
              ...(params.guild_id ? { guild_id: params.guild_id } : {}),
            }))
            state.commands.set(params.guild_id ?? 'global', commands)
            return { status: 200, body: commands }
          },
        },
        {
          method: 'GET',
          path,
          handle: ({ params }) => ({
            status: 200,
            body: state.commands.get(params.guild_id ?? 'global') ?? [],
          }),
        },
      ],
    ),
  ]
}
