import { z } from 'zod'
import { type CommandContext, defineCommand } from '../src/command/command.ts'
import { shorten } from '../src/command/discussion-argument.ts'
import { parseDiscussionRef } from '../src/discussions/discussion-ref.ts'
import type { ContentSummary } from '../src/discussions/find-content.ts'
import { PermissionDeniedError, ValidationError } from '../src/errors.ts'
import type { Platform } from '../src/platform/platform.ts'

const PLATFORM_NAMES: Record<Platform, string> = { discord: 'Discord', slack: 'Slack' }

/**
 * `/delete message: [reason:]` and the message command "Delete everywhere" (Discord);
 * `/threadbridge delete <message link> [reason]` and the message shortcut (Slack). Deletes a
 * reply, or a whole discussion when the message is its opening post, on both platforms: the
 * mirrors read "This reply was deleted." (or "This discussion was deleted."), the author's own
 * message is removed where the bot may, and its words are purged. Its author may; so may a
 * moderator, checked when it runs (by our records, or the platform's rights at this moment).
 */
export const deleteCommand = defineCommand({
  name: 'delete',
  description: 'Delete a reply or discussion on both platforms: yours, or any as a moderator',
  args: z.object({
    message: z
      .string()
      .trim()
      .min(1)
      .max(500)
      .describe('A link to the message: its Copy Message Link (Discord) or Copy link (Slack)'),
    reason: z.string().trim().min(1).max(500).optional().describe('Why, for the audit log'),
  }),
  slack: { positional: ['message', 'reason'], usage: '<message link> [reason]' },
  onMessage: { label: 'Delete everywhere', argument: 'message' },
  async run(ctx, { message, reason }) {
    const ref = parseDiscussionRef(message)
    if (ref?.kind !== 'message' || ref.messageId === undefined)
      throw new ValidationError(
        `"${shorten(message)}" is not a link to a message: use the message's ${ctx.platform === 'slack' ? 'Copy link' : 'Copy Message Link'}, or Delete everywhere in its ${ctx.platform === 'slack' ? 'More actions menu' : 'Apps menu'}.`,
      )
    const content = await ctx.core.contentAtMessage({
      platform: ref.platform,
      channelId: ref.channelId,
      messageId: ref.messageId,
    })
    if (content === undefined || content.communityId !== ctx.community.id)
      throw new ValidationError(
        // From a message's menu the person gave no link: the answer speaks of the message.
        ctx.fromMessage === true
          ? 'Threadbridge does not know that message: it was never bridged.'
          : `That link is to a message Threadbridge does not know: not part of a discussion in ${ctx.community.name}.`,
      )
    const what =
      content.replyId === null
        ? `discussion #${content.discussionNumber}`
        : `reply in #${content.discussionNumber}`
    if (content.deleted) return { text: `That ${what} was already deleted.` }
    try {
      await ctx.core.deleteContent({
        content,
        actor: ctx.actor,
        reason,
        platformModerator: ctx.platformModerator ?? false,
      })
    } catch (error) {
      // Deleting someone else's words is a moderator's action: a refused attempt is audited too.
      if (error instanceof PermissionDeniedError)
        await ctx.core.recordRefusal(ctx.community.id, ctx.actor, 'delete')
      throw error
    }
    const tombstone = content.replyId === null ? 'This discussion was deleted.' : 'This reply was deleted.'
    const original = await originalFate(ctx, content)
    return {
      text: `Deleted the ${what} on both platforms: its copies now read “${tombstone}” and its words are gone from Threadbridge.${original}`,
    }
  },
})

/** What becomes of the author's own message, where they wrote it: removed, or why it stays. */
async function originalFate(ctx: CommandContext, content: ContentSummary): Promise<string> {
  const platform = content.originalPlatform
  if (platform === null) return ''
  const name = PLATFORM_NAMES[platform]
  const may = await ctx.mayRemoveOriginals?.(platform)
  if (may === true) return ` The author's own message on ${name} is removed too.`
  if (may === undefined) return ''
  if (platform === 'slack')
    return ` The author's own message stays on Slack: Slack lets apps delete only their own messages, so its author or a workspace admin must delete it there.`
  return ` The author's own message stays on ${name}: Threadbridge lacks Manage Messages in the bridged channel there. Once a server admin grants it, ${ctx.platform === 'slack' ? ctx.commandLine('bridge retry') : '/bridge action: retry'} removes it.`
}
