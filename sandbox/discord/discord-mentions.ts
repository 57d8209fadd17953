import type { APIAllowedMentions } from 'discord-api-types/v10'
import type { StoredMessage } from './discord-state.ts'

/** The mentions a message's text makes, as Discord reads them. */
export interface ParsedMentions {
  users: string[]
  roles: string[]
  everyone: boolean
}

export function parseMentions(content: string): ParsedMentions {
  // Mentions inside code are not mentions; Discord ignores them there too.
  const text = content.replace(/```[\s\S]*?```/g, '').replace(/`[^`]*`/g, '')
  return {
    users: [...new Set([...text.matchAll(/<@!?(\d+)>/g)].map((m) => m[1] as string))],
    roles: [...new Set([...text.matchAll(/<@&(\d+)>/g)].map((m) => m[1] as string))],
    everyone: /@(everyone|here)\b/.test(text),
  }
}

/**
 * Who a message notifies. With no allowed_mentions, Discord parses every mention in the text,
 * @everyone and @here included (for webhooks too): a bridge that forgets to say otherwise pings
 * (https://discord.com/developers/docs/resources/message#allowed-mentions-object).
 */
export function whoIsPinged(
  mentions: ParsedMentions,
  allowed: APIAllowedMentions | undefined,
  where: {
    /** The guild's members and their roles, for role mentions; none in a DM. */
    members: ReadonlyMap<string, string[]> | undefined
    replyTo: StoredMessage | undefined
    authorId: string
  },
): string[] {
  const parse = new Set(allowed?.parse ?? (allowed ? [] : ['users', 'roles', 'everyone']))
  const allowedUsers = new Set(allowed?.users ?? [])
  const allowedRoles = new Set(allowed?.roles ?? [])
  const pinged = new Set<string>()
  if (mentions.everyone && parse.has('everyone')) pinged.add('everyone')
  for (const id of mentions.users) if (parse.has('users') || allowedUsers.has(id)) pinged.add(id)
  for (const roleId of mentions.roles) {
    if (!(parse.has('roles') || allowedRoles.has(roleId)) || where.members === undefined) continue
    for (const [userId, roles] of where.members) if (roles.includes(roleId)) pinged.add(userId)
  }
  const { replyTo } = where
  if (replyTo && (allowed === undefined || allowed.replied_user === true) && !replyTo.webhook_id)
    pinged.add(replyTo.author.id)
  pinged.delete(where.authorId)
  return [...pinged]
}
