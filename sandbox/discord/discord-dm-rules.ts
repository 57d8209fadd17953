import { ChannelType } from 'discord-api-types/v10'
import { HttpError } from '../http/http-kit.ts'
import type { DiscordState, StoredChannel } from './discord-state.ts'

/**
 * Whether the bot may send into a DM channel. Opening the DM (POST /users/@me/channels) always
 * works; it is the message that Discord refuses, with 403 and 50007 "Cannot send messages to this
 * user" (https://discord.com/developers/docs/topics/opcodes-and-status-codes#json), when:
 * - the person turned off "Allow direct messages from server members" or blocked the bot (the
 *   sandbox's `PUT /_sandbox/users/{user_id}/dms {open: false}`);
 * - the bot shares no server with them (a bot may only DM people it can reach through a server);
 * - they are a bot themselves (bots cannot DM bots).
 */
export function checkBotCanDm(state: DiscordState, channel: StoredChannel): void {
  if (channel.type !== ChannelType.DM) return
  const recipientId = channel.recipient_id ?? ''
  const recipient = state.users.get(recipientId)
  const sharesServer = [...state.guilds.values()].some(
    (guild) => guild.members.has(recipientId) && guild.members.has(state.botUser.id),
  )
  if (recipient === undefined || recipient.bot === true || state.closedDms.has(recipientId) || !sharesServer)
    throw new HttpError(403, { message: 'Cannot send messages to this user', code: 50007 })
}
