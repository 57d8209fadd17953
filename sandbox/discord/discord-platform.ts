import {
  type APIAllowedMentions,
  type APIUser,
  ChannelType,
  GatewayDispatchEvents,
  GatewayIntentBits,
  MessageFlags,
  PermissionFlagsBits,
} from 'discord-api-types/v10'
import { HttpError } from '../http/http-kit.ts'
import { appliedTagsFor } from './discord-forum-tags.ts'
import type { DiscordGateway } from './discord-gateway.ts'
import { invalidForm, messageParts } from './discord-message-parts.ts'
import {
  type DiscordState,
  type StoredChannel,
  type StoredMessage,
  stripSandboxFields,
} from './discord-state.ts'

export const MAX_THREAD_NAME_LENGTH = 100
/** Discord remembers an enforced nonce for "a few minutes". */
const NONCE_WINDOW_MS = 5 * 60_000

export interface SendInput {
  content?: unknown
  nonce?: unknown
  enforce_nonce?: unknown
  allowed_mentions?: APIAllowedMentions
  message_reference?: { message_id?: string }
  flags?: number
  embeds?: unknown
  components?: unknown
  /** Files a person attached (the control API's way to upload: name, size and where it lives). */
  attachments?: { filename: string; size: number; url: string; content_type?: string }[]
}

/**
 * What happens on Discord when someone (a person through the control API, or the bot through
 * REST) acts: the state changes and the gateway tells connected clients, in Discord's order.
 */
export class DiscordPlatform {
  constructor(
    readonly state: DiscordState,
    readonly gateway: DiscordGateway,
  ) {}

  requireChannel(channelId: string): StoredChannel {
    const channel = this.state.channels.get(channelId)
    if (channel === undefined) throw new HttpError(404, { message: 'Unknown Channel', code: 10003 })
    return channel
  }

  requireMessage(channel: StoredChannel, messageId: string): StoredMessage {
    const message = this.state.findMessage(channel.id, messageId)
    if (message === undefined) throw new HttpError(404, { message: 'Unknown Message', code: 10008 })
    return message
  }

  /** Posts a message as `author` (or as a webhook), enforcing Discord's checks. */
  send(
    channel: StoredChannel,
    author: APIUser,
    input: SendInput,
    via: { webhookId?: string; username?: string; avatarUrl?: string; id?: string; loading?: boolean } = {},
  ): StoredMessage {
    if (channel.type === ChannelType.GuildForum) {
      throw new HttpError(400, {
        message: 'Cannot send messages in a forum channel; create a post',
        code: 50008,
      })
    }
    // A deferred interaction's "thinking…" message is the one message that may be empty.
    const parts = messageParts(input, {
      hasFiles: (input.attachments?.length ?? 0) > 0,
      allowEmpty: via.loading === true,
    })
    if (channel.type === ChannelType.PublicThread) {
      // Sending into an archived thread unarchives it, as on Discord, unless it is locked: then
      // only someone with Manage Threads can reopen it (by editing it), and only they may write.
      if (channel.archived && channel.locked) throw archivedThread()
      if (channel.locked && (via.webhookId !== undefined || !this.canManageThreads(channel, author.id)))
        throw new HttpError(403, { message: 'Thread is locked', code: 160005 })
      if (channel.archived) {
        channel.archived = false
        channel.archived_at = Date.now()
        this.dispatchChannel(GatewayDispatchEvents.ThreadUpdate, channel)
      }
    }
    const nonce =
      typeof input.nonce === 'string' || typeof input.nonce === 'number' ? String(input.nonce) : undefined
    if (nonce !== undefined && nonce.length > 25) throw invalidForm('nonce', 'Must be 25 or fewer in length.')
    const nonceKey = nonce === undefined ? undefined : `${via.webhookId ?? author.id}:${nonce}`
    if (nonceKey !== undefined && input.enforce_nonce === true) {
      const seen = this.state.nonces.get(nonceKey)
      if (seen !== undefined && Date.now() - seen.at < NONCE_WINDOW_MS) {
        const existing = this.state.findMessage(seen.channelId, seen.messageId)
        if (existing) return existing
      }
    }
    const replyTo = input.message_reference?.message_id
      ? this.requireMessage(channel, input.message_reference.message_id)
      : undefined
    const message = this.state.createMessage({
      channel,
      author,
      ...parts,
      ...(via.id ? { id: via.id } : {}),
      ...(via.webhookId ? { webhookId: via.webhookId } : {}),
      ...(via.username ? { username: via.username } : {}),
      ...(via.avatarUrl ? { avatarUrl: via.avatarUrl } : {}),
      ...(input.allowed_mentions ? { allowedMentions: input.allowed_mentions } : {}),
      ...(replyTo ? { replyTo } : {}),
      ...(nonce ? { nonce } : {}),
      ...(input.flags ? { flags: input.flags } : {}),
      ...(input.attachments ? { attachments: input.attachments } : {}),
    })
    if (nonceKey !== undefined)
      this.state.nonces.set(nonceKey, { messageId: message.id, channelId: channel.id, at: Date.now() })
    this.dispatchMessage(GatewayDispatchEvents.MessageCreate, channel, message)
    return message
  }

  /** A forum post (or a thread in a text channel): the thread, then its starter message, whose id is the thread's. */
  createThread(
    parent: StoredChannel,
    author: APIUser,
    name: unknown,
    message: SendInput | undefined,
    via: { webhookId?: string; username?: string; avatarUrl?: string } = {},
    appliedTags?: unknown,
  ) {
    checkThreadName(name)
    if (parent.type !== ChannelType.GuildForum && parent.type !== ChannelType.GuildText) {
      throw new HttpError(400, { message: 'Cannot create a thread here', code: 50024 })
    }
    if (parent.type === ChannelType.GuildForum) messageParts(message ?? {})
    const tags = appliedTagsFor(parent, appliedTags)
    const thread = this.state.addChannel({
      type: ChannelType.PublicThread,
      name,
      guild_id: parent.guild_id,
      parent_id: parent.id,
      owner_id: via.webhookId ?? author.id,
      ...(tags.length > 0 ? { applied_tags: tags } : {}),
    })
    this.dispatchChannel(GatewayDispatchEvents.ThreadCreate, thread, { newly_created: true })
    const starter =
      message && parent.type === ChannelType.GuildForum
        ? this.send(thread, author, message, { ...via, id: thread.id })
        : undefined
    return { thread, starter }
  }

  /**
   * A thread started from a message in a text channel: it takes the message's id, and the
   * message stays in the channel as the thread's starter. One thread per message.
   */
  createThreadFromMessage(parent: StoredChannel, starter: StoredMessage, author: APIUser, name: unknown) {
    checkThreadName(name)
    if (parent.type !== ChannelType.GuildText)
      throw new HttpError(400, { message: 'Cannot create a thread here', code: 50024 })
    if (this.state.channels.has(starter.id))
      throw new HttpError(400, {
        message: 'A thread has already been created for this message',
        code: 160004,
      })
    const thread = this.state.addChannel({
      id: starter.id,
      type: ChannelType.PublicThread,
      name,
      guild_id: parent.guild_id,
      parent_id: parent.id,
      owner_id: author.id,
    })
    this.dispatchChannel(GatewayDispatchEvents.ThreadCreate, thread, { newly_created: true })
    return thread
  }

  /**
   * Edits never notify anyone on Discord, so `pinged` keeps what the original post notified.
   * What an edit leaves out (content, embeds or components) stays as it was.
   */
  edit(channel: StoredChannel, message: StoredMessage, input: EditInput): StoredMessage {
    if (channel.archived) throw archivedThread()
    applyEdit(message, input)
    this.dispatchMessage(GatewayDispatchEvents.MessageUpdate, channel, message)
    return message
  }

  delete(channel: StoredChannel, message: StoredMessage): void {
    if (channel.archived) throw archivedThread()
    const list = this.state.messages.get(channel.id) ?? []
    list.splice(list.indexOf(message), 1)
    this.gateway.dispatch(
      GatewayDispatchEvents.MessageDelete,
      { id: message.id, channel_id: channel.id, ...(channel.guild_id ? { guild_id: channel.guild_id } : {}) },
      messageScope(channel),
    )
  }

  /**
   * Deletes a channel. A thread's deletion is a THREAD_DELETE; a channel's is one CHANNEL_DELETE,
   * and its threads and webhooks go with it without events of their own.
   */
  deleteChannel(channel: StoredChannel): void {
    this.state.channels.delete(channel.id)
    this.state.messages.delete(channel.id)
    for (const child of [...this.state.channels.values()].filter((c) => c.parent_id === channel.id)) {
      this.state.channels.delete(child.id)
      this.state.messages.delete(child.id)
    }
    for (const [id, webhook] of this.state.webhooks)
      if (webhook.channel_id === channel.id) this.state.webhooks.delete(id)
    const event =
      channel.type === ChannelType.PublicThread
        ? GatewayDispatchEvents.ThreadDelete
        : GatewayDispatchEvents.ChannelDelete
    this.gateway.dispatch(
      event,
      channel.type === ChannelType.PublicThread
        ? { id: channel.id, guild_id: channel.guild_id, parent_id: channel.parent_id, type: channel.type }
        : (this.state.channelPayload(channel) as unknown as Record<string, unknown>),
      { intent: GatewayIntentBits.Guilds, guildId: channel.guild_id },
    )
  }

  /** Manage Threads (or Administrator) in the thread's server: the right to lock and reopen threads. */
  canManageThreads(channel: StoredChannel, userId: string): boolean {
    const permissions = this.state.permissionsOf(channel.guild_id ?? '', userId)
    return (permissions & (PermissionFlagsBits.ManageThreads | PermissionFlagsBits.Administrator)) !== 0n
  }

  /**
   * Modify Channel "fires a Channel Update Gateway event", or for a thread a Thread Update
   * (https://discord.com/developers/docs/resources/channel#modify-channel), whatever changed: a
   * rename is reported like a lock, to every client, the bot's own included.
   */
  rename(channel: StoredChannel, name: unknown): void {
    if (channel.type === ChannelType.PublicThread) checkThreadName(name)
    else if (typeof name !== 'string' || name.trim() === '')
      throw invalidForm('name', 'This field is required')
    channel.name = name
  }

  /** Tells the server's clients what a channel (or thread) is now, after a Modify Channel. */
  channelUpdated(channel: StoredChannel): void {
    this.dispatchChannel(
      channel.type === ChannelType.PublicThread
        ? GatewayDispatchEvents.ThreadUpdate
        : GatewayDispatchEvents.ChannelUpdate,
      channel,
    )
  }

  setArchived(thread: StoredChannel, archived: boolean, locked?: boolean): void {
    // Discord's archive_timestamp: "timestamp when the thread's archive status was last changed".
    if (thread.archived !== archived) thread.archived_at = Date.now()
    thread.archived = archived
    if (locked !== undefined) thread.locked = locked
    this.dispatchChannel(GatewayDispatchEvents.ThreadUpdate, thread)
  }

  react(channel: StoredChannel, message: StoredMessage, userId: string, emoji: string, add: boolean): void {
    const byEmoji = this.state.reactions.get(message.id) ?? new Map()
    this.state.reactions.set(message.id, byEmoji)
    const reaction = byEmoji.get(emoji) ?? { emoji, users: new Set<string>() }
    byEmoji.set(emoji, reaction)
    if (add === reaction.users.has(userId)) return
    if (add) reaction.users.add(userId)
    else reaction.users.delete(userId)
    const custom = /^(.+):(\d+)$/.exec(emoji)
    this.gateway.dispatch(
      add ? GatewayDispatchEvents.MessageReactionAdd : GatewayDispatchEvents.MessageReactionRemove,
      {
        user_id: userId,
        channel_id: channel.id,
        message_id: message.id,
        emoji: custom ? { name: custom[1], id: custom[2] } : { name: emoji, id: null },
        ...(channel.guild_id ? { guild_id: channel.guild_id } : {}),
        ...(add ? { message_author_id: message.author.id, burst: false, type: 0 } : {}),
      },
      {
        intent: channel.guild_id
          ? GatewayIntentBits.GuildMessageReactions
          : GatewayIntentBits.DirectMessageReactions,
        guildId: channel.guild_id,
      },
    )
  }

  private dispatchMessage(
    event: GatewayDispatchEvents,
    channel: StoredChannel,
    message: StoredMessage,
  ): void {
    const payload: Record<string, unknown> = { ...stripSandboxFields(message) }
    if (channel.guild_id) {
      payload.guild_id = channel.guild_id
      const member = this.state.memberPayload(channel.guild_id, message.author.id)
      if (member && !message.webhook_id) {
        const { user: _user, ...rest } = member
        payload.member = rest
      }
    }
    if (channel.type === ChannelType.PublicThread) payload.channel_type = ChannelType.PublicThread
    this.gateway.dispatch(event, payload, messageScope(channel))
  }

  private dispatchChannel(
    event: GatewayDispatchEvents,
    channel: StoredChannel,
    extra: Record<string, unknown> = {},
  ): void {
    this.gateway.dispatch(
      event,
      { ...(this.state.channelPayload(channel) as unknown as Record<string, unknown>), ...extra },
      {
        intent: GatewayIntentBits.Guilds,
        guildId: channel.guild_id,
      },
    )
  }
}

function messageScope(channel: StoredChannel) {
  return channel.guild_id
    ? { intent: GatewayIntentBits.GuildMessages, guildId: channel.guild_id }
    : { intent: GatewayIntentBits.DirectMessages }
}

export interface EditInput {
  content?: unknown
  embeds?: unknown
  components?: unknown
}

/** Applies an edit to a stored message (in a channel, or an ephemeral one only its person sees). */
export function applyEdit(message: StoredMessage, input: EditInput): void {
  const parts = messageParts(
    {
      content: input.content === undefined ? message.content : input.content,
      embeds: input.embeds === undefined ? message.embeds : input.embeds,
      components: input.components === undefined ? message.components : input.components,
      flags: message.flags,
    },
    { hasFiles: message.attachments.length > 0 },
  )
  message.content = parts.content
  message.embeds = parts.embeds
  message.components = parts.components as NonNullable<StoredMessage['components']>
  // Once edited, a deferred response is no longer "thinking…".
  message.flags = (message.flags ?? 0) & ~MessageFlags.Loading
  message.edited_timestamp = new Date().toISOString()
}

function archivedThread(): HttpError {
  return new HttpError(400, { message: 'Thread is archived', code: 50083 })
}

/** Discord's rule for a thread's name: present, and at most 100 characters. */
function checkThreadName(name: unknown): asserts name is string {
  if (typeof name !== 'string' || name.trim() === '') throw invalidForm('name', 'This field is required')
  if (name.length > MAX_THREAD_NAME_LENGTH)
    throw invalidForm('name', `Must be between 1 and ${MAX_THREAD_NAME_LENGTH} in length.`)
}
