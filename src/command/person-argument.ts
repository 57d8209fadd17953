import { z } from 'zod'
import { ValidationError } from '../errors.ts'
import type { MemberRef } from '../members/memberships.ts'
import type { CommandContext } from './command.ts'
import { shorten } from './discussion-argument.ts'

/**
 * A command argument naming a person: on Discord a user option (the adapter passes `<@id|name>`),
 * on Slack a mention (`<@U123>` or `<@U123|name>`) or the name as typed (`@alex`, `alex`).
 */
export const personArgument = z
  .string()
  .trim()
  .min(1)
  .max(200)
  .meta({ kind: 'person' })
  .describe('The person: mention them')

const MENTION = /^<@!?([A-Z0-9]{6,}|\d{17,20})(?:\|([^>]*))?>$/

/**
 * The person a command names, as the core takes them: a member we know, or (never seen, and
 * named by a mention) their account, to be remembered. Throws a ValidationError saying how to
 * name them otherwise.
 */
export async function personFor(
  ctx: CommandContext,
  value: string,
): Promise<{ ref: MemberRef; name: string }> {
  const mention = MENTION.exec(value)
  const bare = /^([A-Z0-9]{9,}|\d{17,20})$/.exec(value)
  const id = mention?.[1] ?? bare?.[1]
  if (id !== undefined) {
    const [known] = await ctx.core.findAccounts(ctx.platform, { id })
    if (known !== undefined) return { ref: { memberId: known.memberId }, name: known.displayName }
    const name = mention?.[2]?.replace(/^@/, '') || id
    return { ref: { platform: ctx.platform, platformUserId: id, displayName: name }, name }
  }
  const name = value.replace(/^@/, '')
  // Someone on this platform first; else on the other, where a mention cannot reach them.
  const here = await ctx.core.findAccounts(ctx.platform, { name })
  const found =
    here.length > 0
      ? here
      : await ctx.core.findAccounts(ctx.platform === 'discord' ? 'slack' : 'discord', { name })
  if (found.length === 1 && found[0] !== undefined)
    return { ref: { memberId: found[0].memberId }, name: found[0].displayName }
  throw new ValidationError(
    found.length === 0
      ? `Nobody called "${shorten(name)}" has been seen here: mention them (@ and pick them from the list).`
      : `Several people are called "${shorten(name)}": mention the one you mean (@ and pick them from the list).`,
  )
}
