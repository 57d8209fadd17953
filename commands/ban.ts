import { z } from 'zod'
import { defineCommand } from '../src/command/command.ts'
import { personArgument, personFor } from '../src/command/person-argument.ts'

/**
 * `/ban user: [reason]` (Discord), `/threadbridge ban @person [reason]` (Slack): the person's
 * posts are no longer mirrored (they are told privately) and they cannot rejoin; linking never
 * lifts it. Moderators only, checked when it runs.
 */
export const ban = defineCommand({
  name: 'ban',
  description: 'Ban someone: their posts are no longer mirrored and they cannot rejoin',
  who: 'moderators',
  args: z.object({
    user: personArgument,
    reason: z.string().trim().min(1).max(500).optional().describe('Why, for the audit log'),
  }),
  slack: { positional: ['user', 'reason'] },
  async run(ctx, { user, reason }) {
    const person = await personFor(ctx, user)
    const { alreadyBanned } = await ctx.core.memberships.ban(
      ctx.community.id,
      ctx.actor,
      person.ref,
      reason,
      ctx.platformModerator ?? false,
    )
    if (alreadyBanned) return { text: `${person.name} is already banned from ${ctx.community.name}.` }
    return {
      text: `Banned ${person.name} from ${ctx.community.name}: what they post is no longer mirrored. They are no longer a member: lifting the ban lets them join again.`,
    }
  },
})

/** `/unban user:` (Discord), `/threadbridge unban @person` (Slack): they may join again. */
export const unban = defineCommand({
  name: 'unban',
  description: 'Lift a ban: the person may join again',
  who: 'moderators',
  args: z.object({ user: personArgument }),
  slack: { positional: ['user'] },
  async run(ctx, { user }) {
    const person = await personFor(ctx, user)
    const { wasBanned } = await ctx.core.memberships.unban(
      ctx.community.id,
      ctx.actor,
      person.ref,
      ctx.platformModerator ?? false,
    )
    return {
      text: wasBanned
        ? `Lifted the ban on ${person.name}: they may join ${ctx.community.name} again.`
        : `${person.name} is not banned from ${ctx.community.name}.`,
    }
  },
})
