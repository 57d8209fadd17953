import { GuildMember, type Interaction, PermissionFlagsBits } from 'discord.js'
import type { Core } from '../../src/core.ts'

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
  if (holdsOneOf(member, moderatorRoles)) return true
  const channel =
    guild.channels.cache.get(bridge.channelId) ??
    (await guild.channels.fetch(bridge.channelId).catch(() => null))
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
