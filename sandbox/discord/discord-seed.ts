import { ChannelType, PermissionFlagsBits } from 'discord-api-types/v10'
import { BOT_PERMISSIONS } from '../../adapters/discord/bot-permissions.ts'
import type { DiscordState } from './discord-state.ts'

export interface DiscordSeed {
  guildId: string
  forumId: string
  /** A text channel, `general`: threads there are discussions too when a community is bridged to it. */
  generalId: string
  moderatorRoleId: string
  /** The role the bot was given when it was added to the server, with the rights it asks for. */
  botRoleId: string
  /** `owner` owns the server (as whoever created it does on Discord) and has joined no community. */
  users: { jo: string; mark: string; visitor: string; owner: string }
}

/**
 * The Lightbulb Moment server, owned by `owner`: a forum channel `discussions`, people jo, mark
 * and visitor, and a
 * Moderators role that mark holds (so permission checks have something real to read), and the
 * bot's own role with the rights an admin grants it at install (the invite link's).
 */
export function seedDiscord(state: DiscordState): DiscordSeed {
  const jo = state.addUser('jo')
  const mark = state.addUser('mark')
  const visitor = state.addUser('visitor')
  // Not jo: Discord gives a server's owner every right, and a moderator is not banned, so the
  // people a sandbox moderator bans and refuses must not own the server.
  const owner = state.addUser('owner')
  const guild = state.addGuild('Lightbulb Moment', owner.id)
  const moderators = state.addRole(
    guild.id,
    'Moderators',
    PermissionFlagsBits.ManageMessages |
      PermissionFlagsBits.ManageThreads |
      PermissionFlagsBits.BanMembers |
      PermissionFlagsBits.ModerateMembers,
  )
  // Exactly what `threadbridge invite` asks for: Discord gives the bot a role with those rights.
  const botRole = state.addRole(guild.id, 'Threadbridge', BOT_PERMISSIONS)
  state.addMember(guild.id, state.botUser.id, [botRole.id])
  for (const user of [owner, jo, mark, visitor]) state.addMember(guild.id, user.id)
  state.addMember(guild.id, mark.id, [moderators.id])
  const general = state.addChannel({ type: ChannelType.GuildText, name: 'general', guild_id: guild.id })
  const forum = state.addChannel({ type: ChannelType.GuildForum, name: 'discussions', guild_id: guild.id })
  return {
    guildId: guild.id,
    forumId: forum.id,
    generalId: general.id,
    moderatorRoleId: moderators.id,
    botRoleId: botRole.id,
    users: { jo: jo.id, mark: mark.id, visitor: visitor.id, owner: owner.id },
  }
}
