import { type APIGuildForumTag, ChannelFlags, ChannelType } from 'discord-api-types/v10'
import { HttpError } from '../http/http-kit.ts'
import { invalidForm } from './discord-message-parts.ts'
import type { StoredChannel } from './discord-state.ts'
import { snowflake } from './snowflake.ts'

/** Tags a forum offers at most, and a post may carry at most (Discord's limits). */
const MAX_AVAILABLE_TAGS = 20
const MAX_APPLIED_TAGS = 5

/**
 * The tags a new forum post carries (`applied_tags`), checked as Discord does. A forum whose flags
 * hold REQUIRE_TAG ("Require people to select tags when posting") refuses a post without one with
 * JSON error 40067, whoever posts and however (the API, a webhook, a person):
 * https://discord.com/developers/docs/resources/channel#channel-object-channel-flags and
 * https://discord.com/developers/docs/topics/opcodes-and-status-codes#json.
 */
export function appliedTagsFor(parent: StoredChannel, applied: unknown): string[] {
  if (applied !== undefined && applied !== null) {
    if (!Array.isArray(applied) || !applied.every((tag) => typeof tag === 'string'))
      throw invalidForm('applied_tags', 'Must be a list of tag ids', 'BASE_TYPE_BAD_TYPE')
    if (applied.length > MAX_APPLIED_TAGS)
      throw invalidForm(
        'applied_tags',
        `Must be ${MAX_APPLIED_TAGS} or fewer in length.`,
        'BASE_TYPE_MAX_LENGTH',
      )
  }
  const tags = (applied ?? []) as string[]
  if (parent.type !== ChannelType.GuildForum) return []
  if (tags.length === 0 && ((parent.flags ?? 0) & ChannelFlags.RequireTag) !== 0)
    throw new HttpError(400, {
      message: 'A tag is required to create a forum post in this channel',
      code: 40067,
    })
  return tags
}

/**
 * A server admin changes a forum's settings (Edit Channel: "Require people to select tags when
 * posting", its tags), as Discord's Modify Channel takes them: `flags` (REQUIRE_TAG only, for a
 * forum) and `available_tags` (a new tag without an id is given one).
 */
export function changeForumSettings(channel: StoredChannel, body: Record<string, unknown>): void {
  if ('flags' in body) {
    const flags = Number(body.flags)
    if (!Number.isInteger(flags) || (flags & ~ChannelFlags.RequireTag) !== 0)
      throw new HttpError(400, { error: 'a forum takes only the flag REQUIRE_TAG (16), or 0' })
    channel.flags = flags
  }
  if ('available_tags' in body) {
    const tags = body.available_tags
    if (!Array.isArray(tags) || tags.length > MAX_AVAILABLE_TAGS)
      throw new HttpError(400, { error: `available_tags is a list of at most ${MAX_AVAILABLE_TAGS} tags` })
    channel.available_tags = tags.map((tag: Partial<APIGuildForumTag>) => {
      if (typeof tag?.name !== 'string' || tag.name.length < 1 || tag.name.length > 20)
        throw new HttpError(400, { error: 'a tag has a name of 1 to 20 characters' })
      return {
        id: typeof tag.id === 'string' ? tag.id : snowflake(),
        name: tag.name,
        moderated: tag.moderated === true,
        emoji_id: null,
        emoji_name: null,
      }
    })
  }
}
