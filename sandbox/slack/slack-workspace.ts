import { randomBytes } from 'node:crypto'
import { SlackApiError } from './slack-api-error.ts'
import type { AppDelivery } from './slack-app-delivery.ts'
import { messageBlocks } from './slack-block-rules.ts'
import {
  MAX_TEXT_LENGTH,
  type SlackChannel,
  type SlackMessage,
  type SlackState,
  type SlackUser,
  whoIsPinged,
} from './slack-state.ts'

export interface PostInput {
  text?: unknown
  thread_ts?: unknown
  reply_broadcast?: unknown
  username?: unknown
  icon_url?: unknown
  metadata?: unknown
  blocks?: unknown
  link_names?: unknown
  /** Files a person shared with the message (the control API's way to upload). */
  files?: { name: string; size: number; url: string; mimetype?: string }[]
}

/**
 * What happens in the Slack workspace when someone acts, person or bot: the state changes and
 * the app hears about it (Socket Mode or HTTP), with Slack's event shapes, if it subscribes.
 */
export class SlackWorkspace {
  constructor(
    readonly state: SlackState,
    readonly delivery: AppDelivery,
    /** Whether the app subscribes to an event, by its manifest name (`message.channels`). */
    private readonly subscribed: (event: string) => boolean = () => true,
  ) {}

  requireChannel(id: unknown): SlackChannel {
    const channel = this.state.channels.get(String(id ?? ''))
    if (channel === undefined) throw new SlackApiError('channel_not_found')
    return channel
  }

  requireMessage(channel: SlackChannel, ts: unknown): SlackMessage {
    const message = this.state.find(channel.id, String(ts ?? ''))
    if (message === undefined) throw new SlackApiError('message_not_found')
    return message
  }

  post(author: SlackUser, channel: SlackChannel, input: PostInput): SlackMessage {
    if (channel.is_archived) throw new SlackApiError('is_archived')
    if (!channel.members.has(author.id)) throw new SlackApiError('not_in_channel')
    const text = typeof input.text === 'string' ? input.text : ''
    const blocks = messageBlocks(input.blocks)
    const files = (input.files ?? []).map((file, index) => ({
      id: `F${Date.now().toString(36).toUpperCase()}${index}`,
      name: file.name,
      size: file.size,
      mimetype: file.mimetype ?? 'application/octet-stream',
      permalink: file.url,
      url_private: file.url,
    }))
    if (text.trim() === '' && !Array.isArray(blocks) && files.length === 0) throw new SlackApiError('no_text')
    if (text.length > MAX_TEXT_LENGTH) throw new SlackApiError('msg_too_long')
    const threadTs =
      typeof input.thread_ts === 'string' && input.thread_ts !== '' ? input.thread_ts : undefined
    const parent = threadTs === undefined ? undefined : this.state.find(channel.id, threadTs)
    if (threadTs !== undefined && parent === undefined) throw new SlackApiError('thread_not_found')
    if (parent?.thread_ts !== undefined && parent.thread_ts !== parent.ts)
      throw new SlackApiError('cannot_reply_to_message')
    const metadata = parseJsonField(input.metadata) as SlackMessage['metadata'] | undefined
    const message: SlackMessage = {
      type: 'message',
      ts: this.state.nextTs(),
      channel: channel.id,
      text,
      pinged: whoIsPinged(text, {
        linkNames: truthy(input.link_names),
        channelMembers: channel.members,
        authorId: author.id,
      }),
      ...(author.is_bot ? { bot_id: this.state.botId, user: author.id } : { user: author.id }),
      ...(author.is_bot && typeof input.username === 'string'
        ? { username: input.username, subtype: 'bot_message' }
        : {}),
      ...(author.is_bot && typeof input.icon_url === 'string' ? { icons: { image_48: input.icon_url } } : {}),
      ...(threadTs ? { thread_ts: threadTs } : {}),
      ...(metadata ? { metadata } : {}),
      ...(Array.isArray(blocks) ? { blocks } : {}),
      ...(files.length > 0 ? { files } : {}),
    }
    this.state.messages.get(channel.id)?.push(message)
    if (parent) {
      parent.thread_ts = parent.ts
      parent.reply_count = (parent.reply_count ?? 0) + 1
      parent.reply_users = [...new Set([...(parent.reply_users ?? []), author.id])]
      parent.latest_reply = message.ts
    }
    this.emitMessage(
      channel,
      eventShape(message),
      truthy(input.reply_broadcast) && parent ? 'thread_broadcast' : undefined,
    )
    return message
  }

  edit(
    editor: SlackUser,
    channel: SlackChannel,
    message: SlackMessage,
    text: unknown,
    blocks?: unknown,
  ): SlackMessage {
    if (channel.is_archived) throw new SlackApiError('is_archived')
    if (message.user !== editor.id)
      throw new SlackApiError(editor.is_bot ? 'cant_update_message' : 'edit_window_closed')
    const newText = typeof text === 'string' ? text : ''
    if (newText.length > MAX_TEXT_LENGTH) throw new SlackApiError('msg_too_long')
    const parsedBlocks = messageBlocks(blocks)
    if (newText.trim() === '' && parsedBlocks === undefined) throw new SlackApiError('no_text')
    const previous = eventShape(message)
    message.text = newText
    message.edited = { user: editor.id, ts: this.state.nextTs() }
    // New text without blocks removes the old blocks: "the message's previous blocks will only be
    // retained if the text argument is not provided" (https://api.slack.com/methods/chat.update),
    // and a response_url's replace_original replaces the whole message.
    if (parsedBlocks !== undefined) message.blocks = parsedBlocks
    else delete message.blocks
    this.emit(channel, {
      type: 'message',
      subtype: 'message_changed',
      hidden: true,
      channel: channel.id,
      ts: message.edited.ts,
      event_ts: message.edited.ts,
      message: eventShape(message),
      previous_message: previous,
      channel_type: channelType(channel),
    })
    return message
  }

  delete(actor: SlackUser, channel: SlackChannel, message: SlackMessage): void {
    if (actor.is_bot && message.user !== actor.id) throw new SlackApiError('cant_delete_message')
    if (channel.is_archived) throw new SlackApiError('is_archived')
    if (message.subtype !== 'tombstone' && (message.reply_count ?? 0) > 0) {
      // A thread's parent with replies is not removed: Slack leaves a tombstone in its place, so
      // the replies keep their thread, and says so with a message_changed.
      const previous = eventShape(message)
      const tombstone: SlackMessage = {
        type: 'message',
        subtype: 'tombstone',
        hidden: true,
        text: 'This message was deleted.',
        user: 'USLACKBOT',
        ts: message.ts,
        channel: channel.id,
        thread_ts: message.ts,
        reply_count: message.reply_count ?? 0,
        pinged: [],
        ...(message.reply_users ? { reply_users: message.reply_users } : {}),
        ...(message.latest_reply ? { latest_reply: message.latest_reply } : {}),
      }
      const list = this.state.messages.get(channel.id) ?? []
      list.splice(list.indexOf(message), 1, tombstone)
      const ts = this.state.nextTs()
      this.emit(channel, {
        type: 'message',
        subtype: 'message_changed',
        hidden: true,
        channel: channel.id,
        ts,
        event_ts: ts,
        message: eventShape(tombstone),
        previous_message: previous,
        channel_type: channelType(channel),
      })
      return
    }
    const list = this.state.messages.get(channel.id) ?? []
    list.splice(list.indexOf(message), 1)
    if (message.thread_ts && message.thread_ts !== message.ts) {
      const parent = this.state.find(channel.id, message.thread_ts)
      if (parent) parent.reply_count = Math.max(0, (parent.reply_count ?? 1) - 1)
    }
    const ts = this.state.nextTs()
    this.emit(channel, {
      type: 'message',
      subtype: 'message_deleted',
      hidden: true,
      channel: channel.id,
      ts,
      event_ts: ts,
      deleted_ts: message.ts,
      previous_message: eventShape(message),
      channel_type: channelType(channel),
    })
  }

  /** Someone archived (or unarchived) the channel: it keeps its history and takes no new messages. */
  setArchived(actor: SlackUser, channel: SlackChannel, archived: boolean): void {
    if (Boolean(channel.is_archived) === archived)
      throw new SlackApiError(archived ? 'already_archived' : 'not_archived')
    channel.is_archived = archived
    this.emit(channel, {
      type: archived ? 'channel_archive' : 'channel_unarchive',
      channel: channel.id,
      user: actor.id,
      event_ts: this.state.nextTs(),
    })
  }

  /** An admin deleted the channel: it and its messages are gone, and its id is unknown from now on. */
  deleteChannel(channel: SlackChannel): void {
    this.emit(channel, { type: 'channel_deleted', channel: channel.id, event_ts: this.state.nextTs() })
    this.state.channels.delete(channel.id)
    this.state.messages.delete(channel.id)
  }

  react(user: SlackUser, channel: SlackChannel, message: SlackMessage, name: unknown, add: boolean): void {
    if (typeof name !== 'string' || !this.state.emoji.knows(name)) throw new SlackApiError('invalid_name')
    const reactions = message.reactions ?? []
    let reaction = reactions.find((r) => r.name === name)
    if (add) {
      if (reaction?.users.includes(user.id)) throw new SlackApiError('already_reacted')
      if (reaction === undefined) {
        reaction = { name, users: [], count: 0 }
        reactions.push(reaction)
      }
      reaction.users.push(user.id)
    } else {
      if (!reaction?.users.includes(user.id)) throw new SlackApiError('no_reaction')
      reaction.users = reaction.users.filter((u) => u !== user.id)
    }
    if (reaction) reaction.count = reaction.users.length
    message.reactions = reactions.filter((r) => r.count > 0)
    const ts = this.state.nextTs()
    this.emit(channel, {
      type: add ? 'reaction_added' : 'reaction_removed',
      user: user.id,
      reaction: name,
      item_user: message.user,
      item: { type: 'message', channel: channel.id, ts: message.ts },
      event_ts: ts,
    })
  }

  private emitMessage(channel: SlackChannel, message: Record<string, unknown>, subtype?: string): void {
    this.emit(channel, {
      ...message,
      ...(subtype ? { subtype } : {}),
      channel: channel.id,
      event_ts: message.ts,
      channel_type: channelType(channel),
    })
  }

  /** Wraps an event in Slack's `event_callback` body and delivers it to the app. */
  private emit(channel: SlackChannel, event: Record<string, unknown>): void {
    if (!channel.members.has(this.state.botUser.id)) return // the app only hears channels it is in
    // Slack sends only the events the app subscribes to; a message event's name says where it was.
    const name =
      event.type === 'message' ? `message.${channel.is_im ? 'im' : 'channels'}` : String(event.type)
    if (!this.subscribed(name)) return
    this.delivery.sendEvent({
      token: 'sandbox-verification-token',
      team_id: this.state.team.id,
      api_app_id: this.state.appId,
      event,
      type: 'event_callback',
      event_id: `Ev${randomBytes(6).toString('hex').toUpperCase()}`,
      event_time: Math.floor(Date.now() / 1000),
      authorizations: [
        {
          enterprise_id: null,
          team_id: this.state.team.id,
          user_id: this.state.botUser.id,
          is_bot: true,
          is_enterprise_install: false,
        },
      ],
      is_ext_shared_channel: false,
      event_context: randomBytes(8).toString('hex'),
    })
  }
}

/** A message as events and the Web API show it: without the sandbox's own fields. */
export function eventShape(message: SlackMessage): Record<string, unknown> {
  const { pinged: _pinged, channel: _channel, ...rest } = message
  return rest
}

function channelType(channel: SlackChannel): string {
  return channel.is_im ? 'im' : 'channel'
}

function parseJsonField(value: unknown): unknown {
  if (typeof value !== 'string') return value
  try {
    return JSON.parse(value)
  } catch {
    throw new SlackApiError('invalid_arguments')
  }
}

/** Form-encoded booleans arrive as strings. */
export function truthy(value: unknown): boolean {
  return value === true || value === 'true' || value === '1' || value === 1
}
