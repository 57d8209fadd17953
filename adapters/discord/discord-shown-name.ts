import { visibleName } from '../../src/names/visible-name.ts'

/**
 * The name Discord shows for a person, read at the edge: the server nickname, else the global
 * display name, else the username (https://discord.com/developers/docs/resources/guild#guild-member-object,
 * .../resources/user#user-object), the first that still shows something once hidden characters
 * (bidi controls, fillers, zero-width) are removed; the id if none does.
 */
export function discordShownName(
  user: { id: string; globalName: string | null; username: string },
  member?: { nickname: string | null } | null,
): string {
  return visibleName([member?.nickname, user.globalName, user.username], user.id)
}
