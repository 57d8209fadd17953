import {
  type APIAllowedMentions,
  type APIChannel,
  type APIEmbed,
  type APIGuildForumTag,
  type APIGuildMember,
  type APIMessage,
  type APIOverwrite,
  type APIRole,
  type APIUser,
  ChannelType,
  type GuildMemberFlags,
  MessageType,
  PermissionFlagsBits,
  type RoleFlags,
} from 'discord-api-types/v10'
import { CommandRegistry } from './discord-commands.ts'
import { parseMentions, whoIsPinged } from './discord-mentions.ts'
import { basePermissions, channelPermissions, overwritesFor } from './discord-permissions.ts'
import { snowflake, webhookToken } from './snowflake.ts'

/** A message as stored: Discord's shape, plus what the sandbox records about it. */
export interface StoredMessage extends APIMessage {
  /** The webhook's per-message name override, if any. */
  username?: string
  /** Who was actually notified, honouring allowed_mentions; "everyone" for a mass mention that pinged. */
  pinged: string[]
}

export interface StoredWebhook {
  id: string
  token: string
  channel_id: string
  guild_id: string
  name: string
  application_id: string
}

export interface StoredChannel {
  id: string
  type: ChannelType
  name?: string | undefined
  guild_id?: string | undefined
  parent_id?: string | null | undefined
  owner_id?: string | undefined
  recipient_id?: string | undefined
  archived?: boolean | undefined
  locked?: boolean | undefined
  /** When it was last archived (ms): archived threads are listed by it. */
  archived_at?: number | undefined
  /** Absent means none, as for every channel the seed makes. */
  permission_overwrites?: APIOverwrite[] | undefined
  /** A forum's channel flags: REQUIRE_TAG, or none (see discord-forum-tags.ts). */
  flags?: number | undefined
  /** A forum's tags to choose from. */
  available_tags?: APIGuildForumTag[] | undefined
  /** A forum post's tags. */
  applied_tags?: string[] | undefined
  created_at: number
}

export interface StoredGuild {
  id: string
  name: string
  owner_id: string
  roles: APIRole[]
  members: Map<string, string[]>
}

export interface Reaction {
  emoji: string
  users: Set<string>
}

/** Everything a Discord emulator knows: users, guilds, channels, messages, webhooks. */
export class DiscordState {
  readonly users = new Map<string, APIUser>()
  readonly guilds = new Map<string, StoredGuild>()
  readonly channels = new Map<string, StoredChannel>()
  readonly messages = new Map<string, StoredMessage[]>()
  readonly webhooks = new Map<string, StoredWebhook>()
  readonly reactions = new Map<string, Map<string, Reaction>>()
  readonly commands = new CommandRegistry()
  /** `${authorId}:${nonce}` → message id, for enforce_nonce. */
  readonly nonces = new Map<string, { messageId: string; channelId: string; at: number }>()
  /** Server nicknames, by `${guildId}/${userId}`: a member without one shows their display name. */
  readonly nicks = new Map<string, string>()
  /** People whose DMs are closed to the bot (privacy settings, or they blocked it): see discord-dm-rules.ts. */
  readonly closedDms = new Set<string>()
  readonly botUser: APIUser
  readonly applicationId: string

  constructor(botName = 'Threadbridge', restored?: { applicationId: string; botUser: APIUser }) {
    this.applicationId = restored?.applicationId ?? snowflake()
    this.botUser = restored?.botUser ?? {
      id: this.applicationId,
      username: botName,
      discriminator: '0',
      global_name: null,
      avatar: null,
      bot: true,
    }
    this.users.set(this.botUser.id, this.botUser)
  }

  addUser(username: string, options: { bot?: boolean } = {}): APIUser {
    const user: APIUser = {
      id: snowflake(),
      username,
      discriminator: '0',
      global_name: username,
      avatar: null,
      ...(options.bot ? { bot: true } : {}),
    }
    this.users.set(user.id, user)
    return user
  }

  findUserByName(username: string): APIUser | undefined {
    return [...this.users.values()].find((u) => u.username === username)
  }

  addGuild(name: string, ownerId: string): StoredGuild {
    const id = snowflake()
    const everyone: APIRole = role(
      id,
      '@everyone',
      PermissionFlagsBits.ViewChannel |
        PermissionFlagsBits.SendMessages |
        PermissionFlagsBits.SendMessagesInThreads |
        PermissionFlagsBits.ReadMessageHistory |
        PermissionFlagsBits.AddReactions |
        PermissionFlagsBits.UseApplicationCommands,
    )
    const guild: StoredGuild = { id, name, owner_id: ownerId, roles: [everyone], members: new Map() }
    this.guilds.set(id, guild)
    guild.members.set(this.botUser.id, [])
    return guild
  }

  addRole(guildId: string, name: string, permissions: bigint): APIRole {
    const guild = this.requireGuild(guildId)
    const created = role(snowflake(), name, permissions)
    guild.roles.push(created)
    return created
  }

  addMember(guildId: string, userId: string, roles: string[] = []): void {
    this.requireGuild(guildId).members.set(userId, roles)
  }

  addChannel(channel: Omit<StoredChannel, 'id' | 'created_at'> & { id?: string }): StoredChannel {
    const stored: StoredChannel = { ...channel, id: channel.id ?? snowflake(), created_at: Date.now() }
    this.channels.set(stored.id, stored)
    this.messages.set(stored.id, [])
    return stored
  }

  dmChannelFor(userId: string): StoredChannel {
    const existing = [...this.channels.values()].find(
      (c) => c.type === ChannelType.DM && c.recipient_id === userId,
    )
    return existing ?? this.addChannel({ type: ChannelType.DM, recipient_id: userId })
  }

  addWebhook(channel: StoredChannel, name: string): StoredWebhook {
    const webhook: StoredWebhook = {
      id: snowflake(),
      token: webhookToken(),
      channel_id: channel.id,
      guild_id: channel.guild_id ?? '',
      name,
      application_id: this.applicationId,
    }
    this.webhooks.set(webhook.id, webhook)
    return webhook
  }

  requireGuild(guildId: string): StoredGuild {
    const guild = this.guilds.get(guildId)
    if (guild === undefined) throw new Error(`unknown guild ${guildId}`)
    return guild
  }

  findMessage(channelId: string, messageId: string): StoredMessage | undefined {
    return this.messages.get(channelId)?.find((m) => m.id === messageId)
  }

  /** The member's permissions in a guild, before channel overwrites (see discord-permissions.ts). */
  permissionsOf(guildId: string, userId: string): bigint {
    const guild = this.guilds.get(guildId)
    return guild === undefined ? 0n : basePermissions(guild, userId)
  }

  /** The member's permissions in a channel, its overwrites applied (a thread's are its parent's). */
  permissionsIn(channel: StoredChannel, userId: string): bigint {
    const guild = channel.guild_id === undefined ? undefined : this.guilds.get(channel.guild_id)
    if (guild === undefined) return 0n
    const parent = channel.parent_id ? this.channels.get(channel.parent_id) : undefined
    return channelPermissions(guild, overwritesFor(channel, parent), userId)
  }

  memberPayload(guildId: string, userId: string): APIGuildMember | undefined {
    const guild = this.guilds.get(guildId)
    const roles = guild?.members.get(userId)
    const user = this.users.get(userId)
    if (guild === undefined || roles === undefined || user === undefined) return undefined
    return {
      user,
      roles,
      joined_at: new Date(0).toISOString(),
      deaf: false,
      mute: false,
      flags: 0 as GuildMemberFlags,
      nick: this.nicks.get(`${guildId}/${userId}`) ?? null,
    }
  }

  /** A channel as the API returns it. */
  channelPayload(channel: StoredChannel): APIChannel {
    const base = { id: channel.id, flags: 0 }
    // What a server's own channels (forum and text alike) carry.
    const guildChannel = {
      ...base,
      guild_id: channel.guild_id,
      name: channel.name ?? '',
      position: 0,
      parent_id: null,
      permission_overwrites: channel.permission_overwrites ?? [],
      nsfw: false,
      topic: null,
      rate_limit_per_user: 0,
      last_message_id: null,
    }
    switch (channel.type) {
      case ChannelType.DM:
        return {
          ...base,
          type: ChannelType.DM,
          last_message_id: null,
          recipients: [this.users.get(channel.recipient_id ?? '') ?? this.botUser],
        } as APIChannel
      case ChannelType.PublicThread:
        return {
          ...base,
          type: ChannelType.PublicThread,
          guild_id: channel.guild_id,
          parent_id: channel.parent_id ?? null,
          owner_id: channel.owner_id,
          name: channel.name ?? '',
          rate_limit_per_user: 0,
          message_count: this.messages.get(channel.id)?.length ?? 0,
          member_count: 1,
          total_message_sent: this.messages.get(channel.id)?.length ?? 0,
          applied_tags: channel.applied_tags ?? [],
          thread_metadata: {
            archived: channel.archived ?? false,
            auto_archive_duration: 1440,
            archive_timestamp: new Date(channel.archived_at ?? channel.created_at).toISOString(),
            locked: channel.locked ?? false,
            create_timestamp: new Date(channel.created_at).toISOString(),
          },
        } as APIChannel
      case ChannelType.GuildForum:
        return {
          ...guildChannel,
          type: ChannelType.GuildForum,
          flags: channel.flags ?? 0,
          available_tags: channel.available_tags ?? [],
          default_reaction_emoji: null,
          default_sort_order: null,
          default_forum_layout: 0,
          default_thread_rate_limit_per_user: 0,
        } as APIChannel
      default:
        return { ...guildChannel, type: ChannelType.GuildText } as APIChannel
    }
  }

  /** Creates a message, working out who it would notify. Returns the stored message. */
  createMessage(input: {
    channel: StoredChannel
    author: APIUser
    content: string
    embeds?: APIEmbed[]
    components?: unknown[]
    /** False for an ephemeral message: only its person sees it, never the channel's history. */
    inChannel?: boolean
    id?: string
    webhookId?: string
    username?: string
    avatarUrl?: string
    allowedMentions?: APIAllowedMentions
    replyTo?: StoredMessage
    nonce?: string
    flags?: number
    attachments?: { filename: string; size: number; url: string; content_type?: string }[]
    interaction?: boolean
  }): StoredMessage {
    const { channel, replyTo } = input
    const author: APIUser = input.webhookId
      ? {
          id: input.webhookId,
          username: input.username ?? input.author.username,
          discriminator: '0000',
          global_name: null,
          avatar: input.avatarUrl ?? null,
          bot: true,
        }
      : input.author
    const mentions = parseMentions(input.content)
    const guild = channel.guild_id ? this.guilds.get(channel.guild_id) : undefined
    const pinged = whoIsPinged(mentions, input.allowedMentions, {
      members: guild?.members,
      replyTo,
      authorId: author.id,
    })
    const message: StoredMessage = {
      id: input.id ?? snowflake(),
      channel_id: channel.id,
      author,
      content: input.content,
      timestamp: new Date().toISOString(),
      edited_timestamp: null,
      tts: false,
      mention_everyone: pinged.includes('everyone'),
      mentions: mentions.users.map((id) => this.users.get(id)).filter((u): u is APIUser => u !== undefined),
      mention_roles: mentions.roles,
      attachments: (input.attachments ?? []).map((file) => ({
        id: snowflake(),
        filename: file.filename,
        size: file.size,
        url: file.url,
        proxy_url: file.url,
        ...(file.content_type ? { content_type: file.content_type } : {}),
      })),
      embeds: input.embeds ?? [],
      pinned: false,
      type: replyTo ? MessageType.Reply : MessageType.Default,
      flags: input.flags ?? 0,
      components: (input.components ?? []) as APIMessage['components'] & {},
      pinged,
      ...(input.webhookId ? { webhook_id: input.webhookId } : {}),
      ...(input.username ? { username: input.username } : {}),
      ...(input.nonce ? { nonce: input.nonce } : {}),
      ...(replyTo
        ? {
            message_reference: {
              type: 0,
              channel_id: channel.id,
              message_id: replyTo.id,
              ...(channel.guild_id ? { guild_id: channel.guild_id } : {}),
            },
            referenced_message: stripSandboxFields(replyTo),
          }
        : {}),
    }
    if (input.inChannel !== false) this.messages.get(channel.id)?.push(message)
    return message
  }
}

export function stripSandboxFields(message: StoredMessage): APIMessage {
  const { pinged: _pinged, username: _username, ...rest } = message
  return rest
}

function role(id: string, name: string, permissions: bigint): APIRole {
  return {
    id,
    name,
    color: 0,
    colors: { primary_color: 0, secondary_color: null, tertiary_color: null },
    hoist: false,
    position: 0,
    permissions: permissions.toString(),
    managed: false,
    mentionable: true,
    flags: 0 as RoleFlags,
  }
}
