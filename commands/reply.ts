import { z } from 'zod'
import { defineCommand } from '../src/command/command.ts'
import { discussionArgument, discussionFor, discussionLabel } from '../src/command/discussion-argument.ts'
import { suggestDiscussions } from '../src/command/suggestions.ts'
import { MAX_BODY_LENGTH } from '../src/discussions/content-rules.ts'

/**
 * `/reply text: discussion:` (Discord; the discussion defaults to the thread it is run in),
 * `/threadbridge reply <discussion> <text>` (Slack): reply from anywhere, attributed to the
 * person, on both platforms.
 */
export const reply = defineCommand({
  name: 'reply',
  description: 'Reply to a discussion from anywhere',
  args: z.object({
    text: z.string().trim().min(1).max(MAX_BODY_LENGTH).describe('Your reply'),
    discussion: discussionArgument.optional(),
  }),
  who: 'members',
  slack: { positional: ['discussion', 'text'] },
  suggest: { discussion: suggestDiscussions },
  async run(ctx, { text, discussion: named }) {
    const usage =
      ctx.platform === 'slack'
        ? `${ctx.commandLine('reply')} 12 your reply`
        : '/reply discussion: 12 text: your reply'
    const discussion = await discussionFor(ctx, named, usage)
    await ctx.core.replies.post({
      discussionId: discussion.id,
      author: ctx.actor,
      body: text,
      format: ctx.platform,
    })
    return { text: `Replied to ${discussionLabel(discussion)}: it appears on Discord and Slack in a moment.` }
  },
})
