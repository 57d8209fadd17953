import { BannedError, NotAMemberError } from '../errors.ts'
import { joinHint } from '../members/memberships.ts'
import type { CommandContext } from './command.ts'

/**
 * Refuses a person who is not a member of the command's community (or is banned from it), for
 * commands that only members' activity gives meaning to: digests reach members only, so a
 * subscription by anyone else would promise what is never sent.
 */
export async function requireMember(ctx: CommandContext): Promise<void> {
  // Banned, by their membership or by the ban mark an erasure left: told so, never how to join.
  if (await ctx.core.memberships.isBanned(ctx.community.id, ctx.actor))
    throw new BannedError(ctx.community.id, ctx.community.name)
  const membership = await ctx.core.memberships.get(ctx.community.id, ctx.actor)
  if (membership?.status !== 'joined')
    throw new NotAMemberError(
      ctx.community.id,
      ctx.community.name,
      joinHint(ctx.community.name, ctx.commandLine('join')),
    )
}
