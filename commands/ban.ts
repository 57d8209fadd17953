import { z } from 'zod'
import { defineCommand } from '../src/command/command.ts'
import { accountArgument, personArgument, personFrom } from '../src/command/person-argument.ts'

/** How to name the person, as each platform types it. */
const WHO = {
  discord: 'Pick them in user:, or write account: slack:<id> (or discord:<id>).',
  slack: 'Mention them (@ and pick them), or write slack:<id> or discord:<id>.',
}

/**
 * `/ban user: [reason]` or `/ban account: slack:U123` (Discord), `/threadbridge ban @person
 * [reason]` or `ban discord:<id>` (Slack): the person's
 * posts are no longer mirrored (they are told privately) and they cannot rejoin; linking never
 * lifts it. Moderators only, checked when it runs.
 */
export const ban = defineCommand({
  name: 'ban',
  description: 'Ban someone: their posts are no longer mirrored and they cannot rejoin',
  who: 'moderators',
  args: z.object({
    user: personArgument.optional(),
    account: accountArgument.optional(),
    reason: z.string().trim().min(1).max(500).optional().describe('Why, for the audit log'),
  }),
  slack: { positional: ['user', 'reason'], usage: '<@person|slack:id|discord:id> [reason]' },
  async run(ctx, { user, account, reason }) {
    const person = await personFrom(ctx, { user, account }, WHO[ctx.platform])
    const { alreadyBanned } = await ctx.core.memberships.ban(
      ctx.community.id,
      ctx.actor,
      person.ref,
      reason,
      ctx.platformModerator ?? false,
    )
    if (alreadyBanned) return { text: `${person.label} is already banned from ${ctx.community.name}.` }
    return {
      text: `Banned ${person.label} from ${ctx.community.name}: what they post is no longer mirrored. They are no longer a member: lifting the ban lets them join again.`,
    }
  },
})

/** `/unban user:` or `/unban account:` (Discord), `/threadbridge unban @person` (Slack): they may join again. */
export const unban = defineCommand({
  name: 'unban',
  description: 'Lift a ban: the person may join again',
  who: 'moderators',
  args: z.object({ user: personArgument.optional(), account: accountArgument.optional() }),
  slack: { positional: ['user'], usage: '<@person|slack:id|discord:id>' },
  async run(ctx, { user, account }) {
    const person = await personFrom(ctx, { user, account }, WHO[ctx.platform])
    const { wasBanned } = await ctx.core.memberships.unban(
      ctx.community.id,
      ctx.actor,
      person.ref,
      ctx.platformModerator ?? false,
    )
    return {
      text: wasBanned
        ? `Lifted the ban on ${person.label}: they may join ${ctx.community.name} again.`
        : `${person.label} is not banned from ${ctx.community.name}.`,
    }
  },
})
