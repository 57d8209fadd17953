import { z } from 'zod'
import { type CommandContext, defineCommand } from '../src/command/command.ts'
import {
  accountArgument,
  type NamedPerson,
  personArgument,
  personFrom,
} from '../src/command/person-argument.ts'
import { PermissionDeniedError } from '../src/errors.ts'

/** How to name the person, as each platform types it. */
const WHO = {
  discord: 'Pick them in user:, or write account: slack:<id> (or discord:<id>).',
  slack: 'Mention them (@ and pick them), or write slack:<id> or discord:<id>.',
}

const PLATFORM_NAMES = { discord: 'Discord', slack: 'Slack' } as const

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
    await refuseBanningAPlatformModerator(ctx, person)
    const { alreadyBanned } = await ctx.core.memberships.ban(
      ctx.community.id,
      ctx.actor,
      person.ref,
      reason,
      ctx.platformModerator ?? false,
    )
    const who = person.label
    if (alreadyBanned) return { text: `${who} is already banned from ${ctx.community.name}.` }
    return {
      text: `Banned ${who} from ${ctx.community.name}: what they post is no longer mirrored. They are no longer a member: lifting the ban lets them join again.`,
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
    const who = person.label
    return {
      text: wasBanned
        ? `Lifted the ban on ${who}: they may join ${ctx.community.name} again.`
        : `${who} is not banned from ${ctx.community.name}.`,
    }
  },
})

/**
 * A moderator is not banned while a moderator, whatever made them one: our records are checked by
 * the core; a platform's own rights (Discord's server owner, a configured role, Manage Messages
 * in the bridged channel; Slack's workspace admins where configured) are asked of each platform
 * the target has an account on, now. A Slack admin cannot ban the Discord server's owner, nor a
 * role moderator another holder of the role. The refusal is audited.
 */
async function refuseBanningAPlatformModerator(ctx: CommandContext, person: NamedPerson): Promise<void> {
  if (ctx.platformModerates === undefined) return
  for (const account of await ctx.core.accountsOf(person.ref)) {
    if (!(await ctx.platformModerates(account))) continue
    await ctx.core.recordRefusal(ctx.community.id, ctx.actor, 'ban')
    throw new PermissionDeniedError(
      `ban ${person.label}: they moderate ${ctx.community.name} on ${PLATFORM_NAMES[account.platform]} by ${PLATFORM_NAMES[account.platform]}'s own rights (${account.platform === 'discord' ? "the server's owner, a moderator role, or Manage Messages in the bridged channel" : 'a workspace admin or owner'}), and a moderator is not banned. Take that right away there first`,
    )
  }
}
