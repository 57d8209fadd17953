import type { APIUser } from 'discord-api-types/v10'
import type { StoredCommand } from './discord-commands.ts'
import {
  DiscordState,
  type StoredChannel,
  type StoredGuild,
  type StoredMessage,
  type StoredWebhook,
} from './discord-state.ts'

/** A JSON-safe copy of a DiscordState, so a sandbox keeps its world across restarts. */
export interface DiscordSnapshot {
  applicationId: string
  botUser: APIUser
  users: APIUser[]
  guilds: (Omit<StoredGuild, 'members'> & { members: [string, string[]][] })[]
  channels: StoredChannel[]
  messages: [string, StoredMessage[]][]
  webhooks: StoredWebhook[]
  reactions: [string, { emoji: string; users: string[] }[]][]
  /** Absent in worlds saved before commands were kept. */
  commands?: [string, StoredCommand[]][]
  /** Absent in worlds saved before people could close their DMs. */
  closedDms?: string[]
  /** Absent in worlds saved before members had nicknames. */
  nicks?: [string, string][]
}

export function snapshotDiscord(state: DiscordState): DiscordSnapshot {
  return {
    applicationId: state.applicationId,
    botUser: state.botUser,
    users: [...state.users.values()],
    guilds: [...state.guilds.values()].map((g) => ({ ...g, members: [...g.members.entries()] })),
    channels: [...state.channels.values()],
    messages: [...state.messages.entries()],
    webhooks: [...state.webhooks.values()],
    reactions: [...state.reactions.entries()].map(([id, byEmoji]) => [
      id,
      [...byEmoji.values()].map((r) => ({ emoji: r.emoji, users: [...r.users] })),
    ]),
    commands: [...state.commands.scopes.entries()],
    closedDms: [...state.closedDms],
    nicks: [...state.nicks.entries()],
  }
}

export function restoreDiscord(snapshot: DiscordSnapshot): DiscordState {
  const state = new DiscordState(snapshot.botUser.username, {
    applicationId: snapshot.applicationId,
    botUser: snapshot.botUser,
  })
  for (const user of snapshot.users) state.users.set(user.id, user)
  for (const guild of snapshot.guilds)
    state.guilds.set(guild.id, { ...guild, members: new Map(guild.members) })
  for (const channel of snapshot.channels) state.channels.set(channel.id, channel)
  for (const [channelId, messages] of snapshot.messages) state.messages.set(channelId, messages)
  for (const webhook of snapshot.webhooks) state.webhooks.set(webhook.id, webhook)
  for (const [messageId, reactions] of snapshot.reactions) {
    state.reactions.set(
      messageId,
      new Map(reactions.map((r) => [r.emoji, { emoji: r.emoji, users: new Set(r.users) }])),
    )
  }
  for (const [scope, commands] of snapshot.commands ?? []) state.commands.scopes.set(scope, commands)
  for (const userId of snapshot.closedDms ?? []) state.closedDms.add(userId)
  for (const [key, nick] of snapshot.nicks ?? []) state.nicks.set(key, nick)
  return state
}
