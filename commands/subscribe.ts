import { z } from 'zod'
import { type Choice, type CommandContext, defineCommand } from '../src/command/command.ts'
import { discussionFor, discussionLabel } from '../src/command/discussion-argument.ts'
import { suggestDiscussions } from '../src/command/suggestions.ts'
import { describeFrequency } from '../src/digests/describe-digests.ts'

/** The word that means "every new discussion of the community" instead of one discussion. */
export const NEW_DISCUSSIONS = 'new'

/** The argument both /subscribe and /unsubscribe take. */
export const subscriptionTarget = z
  .string()
  .trim()
  .min(1)
  .max(500)
  .optional()
  .describe(`A discussion (its number or a link), or "${NEW_DISCUSSIONS}" for every new discussion`)

/**
 * What a subscription command is about: the community's new discussions, the discussion named,
 * or the thread it was run in.
 */
export async function subscriptionTargetFor(
  ctx: CommandContext,
  named: string | undefined,
  command: string,
): Promise<{ communityId: string } | { discussionId: string; label: string }> {
  if (named?.toLowerCase() === NEW_DISCUSSIONS || named?.toLowerCase() === 'all')
    return { communityId: ctx.community.id }
  const usage =
    ctx.platform === 'slack'
      ? `${ctx.commandLine(command)} 12, or ${ctx.commandLine(command)} ${NEW_DISCUSSIONS}`
      : `/${command} discussion: 12, or discussion: ${NEW_DISCUSSIONS}`
  const discussion = await discussionFor(
    ctx,
    named,
    usage,
    `, or "${NEW_DISCUSSIONS}" for every new discussion`,
  )
  return { discussionId: discussion.id, label: discussionLabel(discussion) }
}

/**
 * `/subscribe [discussion]` (Discord; by default the thread it is run in) and
 * `/threadbridge subscribe <discussion|new>` (Slack): "notify me when people reply", or "when
 * there are new discussions". Notifications arrive as the person's /digest setting says.
 */
export const subscribe = defineCommand({
  name: 'subscribe',
  description: 'Be notified when people reply to a discussion, or of new discussions',
  args: z.object({ discussion: subscriptionTarget }),
  who: 'members',
  slack: { positional: ['discussion'] },
  suggest: { discussion: suggestSubscriptionTargets },
  async run(ctx, { discussion: named }) {
    const target = await subscriptionTargetFor(ctx, named, 'subscribe')
    await ctx.core.subscriptions.subscribe(ctx.actor, target)
    const preferences = await ctx.core.subscriptions.preferences(ctx.actor)
    const how =
      preferences.digest_frequency === 'off'
        ? `Your notifications are off: turn them on with ${ctx.commandLine('digest')}.`
        : `You will hear ${describeFrequency(preferences)}; change it with ${ctx.commandLine('digest')}.`
    return {
      text:
        'label' in target
          ? `You are subscribed to replies in ${target.label}. ${how}`
          : `You are subscribed to new discussions in ${ctx.community.name}. ${how}`,
    }
  },
})

/** Every new discussion first (when what is typed could mean it), then matching discussions. */
export async function suggestSubscriptionTargets(ctx: CommandContext, typed: string): Promise<Choice[]> {
  const everything = { name: 'Every new discussion', value: NEW_DISCUSSIONS }
  const discussions = await suggestDiscussions(ctx, typed)
  const wantsAll = typed.trim() === '' || 'every new discussion'.includes(typed.trim().toLowerCase())
  return wantsAll ? [everything, ...discussions.slice(0, 24)] : discussions
}
