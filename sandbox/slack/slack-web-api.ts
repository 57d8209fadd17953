import { SlackApiError } from './slack-api-error.ts'
import { messageBlocks } from './slack-block-rules.ts'
import type { SlackEmulator } from './slack-emulator.ts'
import { MAX_TEXT_LENGTH } from './slack-state.ts'
import { viewMethods } from './slack-view-methods.ts'
import { eventShape, truthy } from './slack-workspace.ts'

export type WebApiMethod = (body: Record<string, unknown>, token: string) => Record<string, unknown>

/**
 * The Web API methods our bot and Bolt call. Each takes the (form or JSON) arguments and returns
 * the fields of an `ok: true` answer, or throws SlackApiError for `ok: false`.
 */
export function webApiMethods(emu: SlackEmulator): Record<string, WebApiMethod> {
  const { state, workspace } = emu
  const bot = state.botUser
  const userOf = (id: unknown) => {
    const user = state.users.get(String(id ?? ''))
    if (user === undefined) throw new SlackApiError('user_not_found')
    return user
  }
  /**
   * One page of conversations.history (newest first) or conversations.replies (oldest first):
   * messages whose ts lies between `oldest` and `latest` (exclusive unless `inclusive`), at most
   * `limit` (default 100, at most 999), and `has_more` with a `next_cursor` when more remain.
   * Slack's cursors are opaque; like Slack's own they encode where the next page starts.
   */
  const history = (
    messages: ReturnType<typeof state.topLevel>,
    body: Record<string, unknown>,
    newestFirst: boolean,
  ) => {
    const limit = Math.min(Number(body.limit ?? 100) || 100, 999)
    const withMetadata = truthy(body.include_all_metadata)
    const inclusive = truthy(body.inclusive)
    const oldest = micros(body.oldest ?? '0', 'invalid_ts_oldest')
    const latest =
      body.latest === undefined || body.latest === '' ? undefined : micros(body.latest, 'invalid_ts_latest')
    const inRange = messages.filter((m) => {
      const ts = micros(m.ts, 'invalid_ts_oldest')
      const afterOldest = inclusive ? ts >= oldest : ts > oldest
      return afterOldest && (latest === undefined || (inclusive ? ts <= latest : ts < latest))
    })
    const ordered = newestFirst ? [...inRange].reverse() : inRange
    const cursor = typeof body.cursor === 'string' && body.cursor !== '' ? body.cursor : undefined
    let start = 0
    if (cursor !== undefined) {
      const next = /^next_ts:(\d+\.\d+)$/.exec(Buffer.from(cursor, 'base64').toString('utf8'))?.[1]
      if (next === undefined) throw new SlackApiError('invalid_cursor')
      const from = micros(next, 'invalid_cursor')
      start = ordered.findIndex((m) => (newestFirst ? micros(m.ts, '') <= from : micros(m.ts, '') >= from))
      if (start === -1) start = ordered.length
    }
    const page = ordered.slice(start, start + limit)
    const following = ordered[start + limit]
    return {
      messages: page.map((m) => {
        const shaped = eventShape(m)
        if (!withMetadata) delete shaped.metadata
        return shaped
      }),
      has_more: following !== undefined,
      response_metadata: {
        next_cursor: following === undefined ? '' : Buffer.from(`next_ts:${following.ts}`).toString('base64'),
      },
    }
  }

  return {
    'auth.test': () => ({
      url: `https://${state.team.domain}.slack.com/`,
      team: state.team.name,
      user: bot.name,
      team_id: state.team.id,
      user_id: bot.id,
      bot_id: state.botId,
      is_enterprise_install: false,
    }),
    'apps.connections.open': (_body, token) => {
      if (!token.startsWith('xapp-')) throw new SlackApiError('not_allowed_token_type')
      return {
        url: `${emu.url.replace(/^http/, 'ws')}/link/?ticket=${emu.hub.issueTicket()}&app_id=${state.appId}`,
      }
    },
    'chat.postMessage': (body) => {
      const channel =
        body.channel && String(body.channel).startsWith('U')
          ? state.dmWith(userOf(body.channel).id)
          : workspace.requireChannel(body.channel)
      const message = workspace.post(bot, channel, body)
      return { channel: channel.id, ts: message.ts, message: eventShape(message) }
    },
    'chat.update': (body) => {
      const channel = workspace.requireChannel(body.channel)
      const message = workspace.edit(
        bot,
        channel,
        workspace.requireMessage(channel, body.ts),
        body.text,
        body.blocks,
      )
      return { channel: channel.id, ts: message.ts, text: message.text, message: eventShape(message) }
    },
    'chat.delete': (body) => {
      const channel = workspace.requireChannel(body.channel)
      const message = workspace.requireMessage(channel, body.ts)
      workspace.delete(bot, channel, message)
      return { channel: channel.id, ts: message.ts }
    },
    // https://api.slack.com/methods/chat.postEphemeral: shown to one member of the channel only,
    // with blocks under Block Kit's rules and text as their fallback.
    'chat.postEphemeral': (body) => {
      const channel = workspace.requireChannel(body.channel)
      const user = userOf(body.user)
      if (!channel.members.has(user.id)) throw new SlackApiError('user_not_in_channel')
      const blocks = messageBlocks(body.blocks)
      const text = typeof body.text === 'string' ? body.text : ''
      if (text.trim() === '' && blocks === undefined) throw new SlackApiError('no_text')
      if (text.length > MAX_TEXT_LENGTH) throw new SlackApiError('msg_too_long')
      const ts = state.nextTs()
      const entry = {
        channel: channel.id,
        user: user.id,
        text,
        ts,
        ...(blocks ? { blocks } : {}),
        ...(typeof body.thread_ts === 'string' ? { thread_ts: body.thread_ts } : {}),
      }
      state.ephemeral.push(entry)
      const { user: _user, ...shown } = entry
      emu.shown.record(user.id, { kind: 'ephemeral', ...shown })
      emu.commands.noteEphemeral(entry)
      return { message_ts: ts }
    },
    'chat.getPermalink': (body) => {
      const channel = workspace.requireChannel(body.channel)
      const message = workspace.requireMessage(channel, body.message_ts)
      return {
        channel: channel.id,
        permalink: `https://${state.team.domain}.slack.com/archives/${channel.id}/p${message.ts.replace('.', '')}`,
      }
    },
    'conversations.history': (body) => {
      const channel = workspace.requireChannel(body.channel)
      if (!channel.members.has(bot.id)) throw new SlackApiError('not_in_channel')
      return history(state.topLevel(channel.id), body, true)
    },
    'conversations.replies': (body) => {
      const channel = workspace.requireChannel(body.channel)
      const thread = state.thread(channel.id, String(body.ts ?? ''))
      if (thread.length === 0) throw new SlackApiError('thread_not_found')
      return history(thread, body, false)
    },
    'conversations.info': (body) => ({
      channel: state.channelPayload(workspace.requireChannel(body.channel)),
    }),
    // https://api.slack.com/methods/conversations.open: one user opens (or finds) the app's DM
    // with them, `channel` resumes one; a deactivated person answers user_disabled (documented),
    // and a bot cannot_dm_bot (what Slack answers, though the method's page does not list it).
    'conversations.open': (body) => {
      if (typeof body.channel === 'string' && body.channel !== '') {
        const im = state.channels.get(body.channel)
        if (im === undefined || !im.is_im) throw new SlackApiError('channel_not_found')
        return { channel: state.channelPayload(im) }
      }
      const users = String(body.users ?? '')
        .split(',')
        .filter(Boolean)
      if (users.length === 0) throw new SlackApiError('users_list_not_supplied')
      // A group DM is a real Slack feature the sandbox does not emulate: say so, not a made-up refusal.
      if (users.length > 1) throw new SlackApiError('sandbox_group_dms_not_emulated')
      const user = userOf(users[0])
      if (user.deleted) throw new SlackApiError('user_disabled')
      if (user.is_bot) throw new SlackApiError('cannot_dm_bot')
      return { channel: state.channelPayload(state.dmWith(user.id)) }
    },
    'users.info': (body) => ({ user: userOf(body.user) }),
    'reactions.add': (body) => {
      const channel = workspace.requireChannel(body.channel)
      workspace.react(bot, channel, workspace.requireMessage(channel, body.timestamp), body.name, true)
      return {}
    },
    'reactions.remove': (body) => {
      const channel = workspace.requireChannel(body.channel)
      workspace.react(bot, channel, workspace.requireMessage(channel, body.timestamp), body.name, false)
      return {}
    },
    ...viewMethods(emu),
  }
}

/** A ts ("1712345678.000200", or whole seconds) as microseconds: exact, where a float is not. */
function micros(value: unknown, error: string): bigint {
  const match = /^(\d+)(?:\.(\d{1,6}))?$/.exec(String(value))
  if (match === null) throw new SlackApiError(error)
  return BigInt(match[1] ?? '0') * 1_000_000n + BigInt((match[2] ?? '').padEnd(6, '0'))
}
