import { type APIOverwrite, ChannelType, OverwriteType, PermissionFlagsBits } from 'discord-api-types/v10'
import type { StoredChannel, StoredGuild } from './discord-state.ts'

/** Every permission Discord defines: what the owner and an administrator hold. */
export const ALL_PERMISSIONS = Object.values(PermissionFlagsBits).reduce((all, bit) => all | bit, 0n)

/**
 * A member's permissions in the guild, before any channel's overwrites: @everyone's, then every
 * role's, and all of them for the owner or an ADMINISTRATOR.
 * https://discord.com/developers/docs/topics/permissions#permission-overwrites (compute_base_permissions)
 */
export function basePermissions(guild: StoredGuild, userId: string): bigint {
  if (guild.owner_id === userId) return ALL_PERMISSIONS
  const roleIds = new Set([guild.id, ...(guild.members.get(userId) ?? [])])
  const permissions = guild.roles
    .filter((r) => roleIds.has(r.id))
    .reduce((acc, r) => acc | BigInt(r.permissions), 0n)
  return (permissions & PermissionFlagsBits.Administrator) !== 0n ? ALL_PERMISSIONS : permissions
}

/**
 * A member's permissions in a channel: the base permissions, then the channel's overwrites in
 * Discord's order: @everyone's, then all the member's roles' together (denies, then allows),
 * then the member's own. ADMINISTRATOR skips the overwrites. `overwrites` are the channel's, or
 * for a thread its parent's (threads have none of their own).
 * https://discord.com/developers/docs/topics/permissions#permission-overwrites (compute_overwrites)
 */
export function channelPermissions(guild: StoredGuild, overwrites: APIOverwrite[], userId: string): bigint {
  const base = basePermissions(guild, userId)
  if ((base & PermissionFlagsBits.Administrator) !== 0n) return ALL_PERMISSIONS
  let permissions = base
  const apply = (overwrite: { allow: bigint; deny: bigint }) => {
    permissions &= ~overwrite.deny
    permissions |= overwrite.allow
  }
  const bits = (o: APIOverwrite) => ({ allow: BigInt(o.allow), deny: BigInt(o.deny) })
  const everyone = overwrites.find((o) => o.id === guild.id && o.type === OverwriteType.Role)
  if (everyone) apply(bits(everyone))
  const roles = new Set(guild.members.get(userId) ?? [])
  const forRoles = overwrites
    .filter((o) => o.type === OverwriteType.Role && o.id !== guild.id && roles.has(o.id))
    .map(bits)
    .reduce((acc, o) => ({ allow: acc.allow | o.allow, deny: acc.deny | o.deny }), { allow: 0n, deny: 0n })
  apply(forRoles)
  const own = overwrites.find((o) => o.id === userId && o.type === OverwriteType.Member)
  if (own) apply(bits(own))
  return permissions
}

/** Whose overwrites decide a channel's permissions: a thread's parent's, otherwise its own. */
export function overwritesFor(channel: StoredChannel, parent: StoredChannel | undefined): APIOverwrite[] {
  const thread = channel.type === ChannelType.PublicThread || channel.type === ChannelType.PrivateThread
  const decides = thread && parent !== undefined ? parent : channel
  return decides.permission_overwrites ?? []
}
