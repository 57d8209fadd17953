import { ChannelType } from 'discord-api-types/v10'
import { HttpError } from '../http/http-kit.ts'
import type { Route } from '../http/route.ts'
import type { DiscordEmulator } from './discord-emulator.ts'
import { InteractionResponder } from './discord-interaction-responder.ts'
import { webhookName } from './discord-names.ts'
import { type StoredMessage, stripSandboxFields } from './discord-state.ts'

/**
 * Webhooks and interaction responses, under /api/v10: creating and listing a channel's webhooks,
 * executing one (into a channel, a thread by thread_id, or a new forum post by thread_name), and
 * editing or deleting its messages; and the interaction callback with its follow-ups, which
 * Discord serves through the application's own webhook (/webhooks/{application_id}/{token}).
 * https://discord.com/developers/docs/resources/webhook and
 * https://discord.com/developers/docs/interactions/receiving-and-responding
 */
export function webhookRoutes(emu: DiscordEmulator): Route[] {
  const { state, platform } = emu
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
  const responder = new InteractionResponder(emu)

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
        const name = webhookName(body.name, 'name')
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
        if (isInteractionWebhook(params)) return responder.followup(params.token ?? '', body)
        const webhook = webhookOf(params)
        const parent = platform.requireChannel(webhook.channel_id)
        const via = {
          webhookId: webhook.id,
          ...(body.username !== undefined ? { username: webhookName(body.username, 'username') } : {}),
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
          message = platform.createThread(
            parent,
            state.botUser,
            body.thread_name,
            body,
            via,
            body.applied_tags,
          ).starter
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
          if (isInteractionWebhook(params))
            return responder.message(method, params.token ?? '', params.message_id ?? '', body)
          const webhook = webhookOf(params)
          const channel = webhookTarget(webhook.channel_id, query)
          const message = platform.requireMessage(channel, params.message_id ?? '')
          if (message.webhook_id !== params.id) {
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
          return { status: 200, body: stripSandboxFields(platform.edit(channel, message, body)) }
        },
      }),
    ),
    {
      method: 'POST',
      path: '/interactions/:id/:token/callback',
      handle: ({ params, body, query }) => {
        return responder.callback(
          params.id ?? '',
          params.token ?? '',
          body,
          query.get('with_response') === 'true',
        )
      },
    },
  ]
}
