import { type Client, RESTJSONErrorCodes } from 'discord.js'
import type { CommunityBridge } from '../../src/communities/community-registry.ts'
import type { Person, PrivateNotice } from '../../src/platform/platform-port.ts'
import { isDiscordError, toDeliveryError } from './discord-errors.ts'
import { discordShownName } from './discord-shown-name.ts'

/** Discord's longest message, in characters. */
const MAX_CONTENT = 2000

/**
 * The people-facing half of the Discord port: direct messages, and names looked up for
 * attribution and mentions. discord.js answers users, channels and roles it already holds (the
 * gateway sent them) from its cache, so a lookup costs a request only the first time.
 */
export class DiscordPeople {
  constructor(protected readonly client: Client) {}

  /**
   * Discord answers ephemerally only to an interaction, and a message is not one: a person who
   * must hear something about what they wrote gets a direct message.
   */
  tellPrivately(notice: PrivateNotice): Promise<void> {
    return this.directMessage(notice.platformUserId, notice.text)
  }

  /** POST /users/@me/channels then a message in it; mentions off, cut to Discord's 2,000 characters. */
  async directMessage(platformUserId: string, text: string): Promise<void> {
    try {
      const user = await this.client.users.fetch(platformUserId)
      await user.send({ content: text.slice(0, MAX_CONTENT), allowedMentions: { parse: [] } })
    } catch (error) {
      throw toDeliveryError(error)
    }
  }

  /**
   * The name people see: a member's server nickname where the bot's guilds have them as a member
   * (GET /guilds/{id}/members/{user}), else GET /users/{id}: the global display name, else the
   * username; the first that shows something once hidden characters are removed
   * (discordShownName). Undefined for an unknown user.
   */
  async lookUpUser(platformUserId: string): Promise<Person | undefined> {
    for (const guild of this.client.guilds.cache.values()) {
      const member = await guild.members
        .fetch(platformUserId)
        .catch(unknownAs(RESTJSONErrorCodes.UnknownMember))
      if (member !== undefined)
        return { displayName: discordShownName(member.user, member), avatarUrl: member.displayAvatarURL() }
    }
    const user = await this.client.users
      .fetch(platformUserId)
      .catch(unknownAs(RESTJSONErrorCodes.UnknownUser))
    if (user === undefined) return undefined
    return { displayName: discordShownName(user), avatarUrl: user.displayAvatarURL() }
  }

  /** The user the bot logged in as (known from the gateway's ready event, no request). */
  async isOwnAccount(platformUserId: string): Promise<boolean> {
    return this.client.user?.id === platformUserId
  }

  /** A message URL is made, not asked for: Discord's clients open `/channels/{guild}/{channel}/{message}`. */
  async permalink(
    bridge: CommunityBridge,
    message: { channelId: string; messageId: string },
  ): Promise<string> {
    return `https://discord.com/channels/${bridge.workspaceId}/${message.channelId}/${message.messageId}`
  }

  /** GET /channels/{id}: a channel's or thread's name; undefined for an unknown channel or a DM. */
  async lookUpChannel(channelId: string): Promise<string | undefined> {
    const channel = await this.client.channels
      .fetch(channelId)
      .catch(unknownAs(RESTJSONErrorCodes.UnknownChannel))
    if (channel === null || channel === undefined || channel.isDMBased()) return undefined
    return channel.name
  }

  /**
   * A role's name, from the guilds the bot is in (GET /guilds/{id}/roles when not yet cached).
   * Role ids are snowflakes, unique across guilds; undefined when no guild has it.
   */
  async lookUpRole(roleId: string): Promise<string | undefined> {
    for (const guild of this.client.guilds.cache.values()) {
      const cached = guild.roles.cache.get(roleId)
      if (cached !== undefined) return cached.name
    }
    for (const guild of this.client.guilds.cache.values()) {
      const roles = await guild.roles.fetch().catch((error: unknown) => {
        throw toDeliveryError(error)
      })
      const found = roles.get(roleId)
      if (found !== undefined) return found.name
    }
    return undefined
  }
}

/** A lookup of something Discord does not know answers undefined; other failures are thrown. */
function unknownAs(code: RESTJSONErrorCodes) {
  return (error: unknown): undefined => {
    if (isDiscordError(error, code)) return undefined
    throw toDeliveryError(error)
  }
}
