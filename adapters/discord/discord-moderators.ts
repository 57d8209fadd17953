import {
  type Client,
  type Guild,
  GuildMember,
  type Interaction,
  PermissionFlagsBits,
  RESTJSONErrorCodes,
} from 'discord.js'
import type { BridgeModerators, CommunityBridge } from '../../src/communities/community-registry.ts'
import type { Core } from '../../src/core.ts'
import { isDiscordError } from './discord-errors.ts'

/**
 * Whether Discord says, now, that this person moderates the community's bridged channel: Manage
 * Messages or Manage Threads computed for that channel (roles and its overwrites; the owner and
 * Administrator have all), wherever the command was run; or they hold a role the configuration
 * names (`discord.moderatorRoles`, by id or name). The member's roles are the ones the interaction
 * carries and the channel's overwrites the gateway keeps current, so a role removed a minute ago
 * no longer counts.
 */
export async function moderatesBridge(
  /** Any interaction in a server: a command, its form, an option typed, a button, a message command. */
  interaction: Interaction,
  core: Core,
  communityId: string,
): Promise<boolean> {
  const guild = interaction.guild
  const bridge = (await core.communities.bridges(communityId)).find((b) => b.platform === 'discord')
  if (guild === null || bridge === undefined) return false
  // The interaction carries the member's roles as they are now; fetched afresh when it does not.
  const member =
    interaction.member instanceof GuildMember
      ? interaction.member
      : await guild.members.fetch({ user: interaction.user.id, force: true }).catch(() => null)
  if (member === null) return false
  const { moderatorRoles } = await core.communities.bridgeModerators(communityId, 'discord')
  return memberModerates(guild, member, bridge.channelId, moderatorRoles)
}

/**
 * Whether Discord says, now, that the account `userId` moderates the bridged channel, by the same
 * rules as `moderatesBridge` (the server's owner and Administrator included, who have every
 * permission): what a ban asks of its target. The member is fetched afresh (GET
 * /guilds/{guild.id}/members/{user.id}); someone who is not in the server (Unknown Member, Unknown
 * User) does not moderate there. Any other failure is thrown: a ban waits rather than guess.
 */
export async function userModeratesBridge(
  client: Client,
  bridge: CommunityBridge & BridgeModerators,
  userId: string,
): Promise<boolean> {
  if (!/^\d{17,20}$/.test(userId)) return false
  const notThere = (error: unknown) => {
    if (
      isDiscordError(error, RESTJSONErrorCodes.UnknownMember) ||
      isDiscordError(error, RESTJSONErrorCodes.UnknownUser) ||
      isDiscordError(error, RESTJSONErrorCodes.UnknownGuild)
    )
      return null
    throw error
  }
  const guild = await client.guilds.fetch(bridge.workspaceId).catch(notThere)
  if (guild === null) return false
  if (guild.ownerId === userId) return true
  const member = await guild.members.fetch({ user: userId, force: true }).catch(notThere)
  if (member === null) return false
  return memberModerates(guild, member, bridge.channelId, bridge.moderatorRoles)
}

/** A configured role, or Manage Messages or Manage Threads computed for the bridged channel. */
async function memberModerates(
  guild: Guild,
  member: GuildMember,
  channelId: string,
  moderatorRoles: readonly string[],
): Promise<boolean> {
  if (holdsOneOf(member, moderatorRoles)) return true
  const channel =
    guild.channels.cache.get(channelId) ?? (await guild.channels.fetch(channelId).catch(() => null))
  if (channel === null) return false
  return channel
    .permissionsFor(member)
    .any([PermissionFlagsBits.ManageMessages, PermissionFlagsBits.ManageThreads])
}

/**
 * Whether the member holds a role named by id, or by name as the server shows it now (a renamed
 * role stops counting by its old name; ids do not change, so the configuration may prefer them).
 */
function holdsOneOf(member: GuildMember, named: readonly string[]): boolean {
  if (named.length === 0) return false
  const wanted = new Set(named)
  return member.roles.cache.some((role) => wanted.has(role.id) || wanted.has(role.name))
}
