import { z } from 'zod'
import { type CommandContext, defineCommand } from '../src/command/command.ts'
import { discussionArgument, discussionFor, discussionLabel } from '../src/command/discussion-argument.ts'
import { suggestDiscussions } from '../src/command/suggestions.ts'

async function setLocked(ctx: CommandContext, named: string | undefined, locked: boolean, reason?: string) {
  const name = locked ? 'lock' : 'unlock'
  const usage =
    ctx.platform === 'slack'
      ? `${ctx.commandLine(name)} 12`
      : `/${name} discussion: 12 (or run it in the thread)`
  const discussion = await discussionFor(ctx, named, usage)
  // A deleted discussion is locked for good: both commands say why, not "already locked".
  if (discussion.deleted)
    return { text: `${discussionLabel(discussion)} was deleted: it can be neither locked nor unlocked.` }
  if (discussion.locked === locked)
    return { text: `${discussionLabel(discussion)} is already ${locked ? 'locked' : 'unlocked'}.` }
  await ctx.core.discussions.setLocked({
    discussionId: discussion.id,
    actor: ctx.actor,
    locked,
    reason,
    platformModerator: ctx.platformModerator ?? false,
  })
  return {
    text: locked
      ? `Locked ${discussionLabel(discussion)}: no more replies on either platform.`
      : `Unlocked ${discussionLabel(discussion)}: replies are welcome again.`,
  }
}

/**
 * `/lock [discussion] [reason]` (Discord: the thread it is run in by default), `/threadbridge
 * lock <discussion> [reason]` (Slack): no more replies, on either platform. Moderators only,
 * checked when it runs.
 */
export const lock = defineCommand({
  name: 'lock',
  description: 'Lock a discussion: no more replies on either platform',
  who: 'moderators',
  args: z.object({
    discussion: discussionArgument.optional(),
    reason: z.string().trim().min(1).max(500).optional().describe('Why, for the audit log'),
  }),
  slack: { positional: ['discussion', 'reason'] },
  suggest: { discussion: suggestDiscussions },
  async run(ctx, { discussion, reason }) {
    return setLocked(ctx, discussion, true, reason)
  },
})

/** `/unlock [discussion]`, `/threadbridge unlock <discussion>`: replies are welcome again. */
export const unlock = defineCommand({
  name: 'unlock',
  description: 'Unlock a discussion so people can reply again',
  who: 'moderators',
  args: z.object({ discussion: discussionArgument.optional() }),
  slack: { positional: ['discussion'] },
  suggest: { discussion: suggestDiscussions },
  async run(ctx, { discussion }) {
    return setLocked(ctx, discussion, false)
  },
})
