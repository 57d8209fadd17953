import { ChannelType, InteractionResponseType, MessageFlags } from 'discord-api-types/v10'
import { HttpError } from '../http/http-kit.ts'
import type { Route } from '../http/route.ts'
import type { DiscordEmulator } from './discord-emulator.ts'
import { type StoredMessage, stripSandboxFields } from './discord-state.ts'

const EPHEMERAL = MessageFlags.Ephemeral

/**
 * Webhooks and interaction responses, under /api/v10: creating and listing a channel's webhooks,
 * executing one (into a channel, a thread by thread_id, or a new forum post by thread_name), and
 * editing or deleting its messages; and the interaction callback with its follow-ups, which
 * Discord serves through the application's own webhook (/webhooks/{application_id}/{token}).
 * https://discord.com/developers/docs/resources/webhook and
 * https://discord.com/developers/docs/interactions/receiving-and-responding
 */
export function webhookRoutes(emu: DiscordEmulator): Route[] {
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
  ]
}
