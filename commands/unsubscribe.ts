import { z } from 'zod'
import { defineCommand } from '../src/command/command.ts'
import { subscriptionTarget, subscriptionTargetFor, suggestSubscriptionTargets } from './subscribe.ts'

/**
 * `/unsubscribe [discussion]` (Discord; by default the thread it is run in) and
 * `/threadbridge unsubscribe <discussion|new>` (Slack): stop hearing of a discussion's replies
 * (remembered, so replying there later does not subscribe again), or of new discussions.
 */
export const unsubscribe = defineCommand({
  name: 'unsubscribe',
  description: 'Stop being notified of a discussion, or of new discussions',
  args: z.object({ discussion: subscriptionTarget }),
  slack: { positional: ['discussion'] },
  suggest: { discussion: suggestSubscriptionTargets },
  async run(ctx, { discussion: named }) {
    const target = await subscriptionTargetFor(ctx, named, 'unsubscribe')
    await ctx.core.subscriptions.unsubscribe(ctx.actor, target)
    return {
      text:
        'label' in target
          ? `You will no longer be notified of replies in ${target.label}.`
          : `You will no longer hear of new discussions in ${ctx.community.name}.`,
    }
  },
})
