import { z } from 'zod'
import { parseDiscussionRef } from '../discussions/discussion-ref.ts'
import type { DiscussionSummary } from '../discussions/find-discussion.ts'
import { ValidationError } from '../errors.ts'
import type { CommandContext } from './command.ts'

/** A command argument that names a discussion: its number, or a link to any of its messages. */
export const discussionArgument = z
  .string()
  .trim()
  .min(1)
  .max(500)
  .describe('The discussion: its number (12) or a link to one of its messages')

/**
 * The discussion a command is about: the one named, else the thread the command was run in.
 * Throws a ValidationError whose message tells the person what to give instead.
 */
export async function discussionFor(
  ctx: CommandContext,
  named: string | undefined,
  usage: string,
  /** What else the command takes instead, for the answer to a name that is not a discussion. */
  orElse = '',
): Promise<DiscussionSummary> {
  if (named === undefined) {
    const inThread =
      ctx.threadId === undefined
        ? undefined
        : await ctx.core.findDiscussion(ctx.community.id, {
            kind: 'thread',
            platform: ctx.platform,
            threadId: ctx.threadId,
          })
    if (inThread !== undefined) return inThread
    throw new ValidationError(`Which discussion? Give its number or a link to it, as in ${usage}.`)
  }
  const ref = parseDiscussionRef(named)
  if (ref === undefined)
    throw new ValidationError(
      `"${shorten(named)}" is not a discussion: give its number, such as 12, or a link to one of its messages${orElse}.`,
    )
  const found = await ctx.core.findDiscussion(ctx.community.id, ref)
  if (found === undefined)
    throw new ValidationError(
      `${ref.kind === 'number' ? `There is no discussion #${ref.number}` : 'That link is not to a discussion'} in ${ctx.community.name}.`,
    )
  return found
}

/** How an answer names a discussion: `#12 “Better coffee”` (`#12` once its words were deleted). */
export function discussionLabel(discussion: Pick<DiscussionSummary, 'number' | 'title'>): string {
  return discussion.title === null ? `#${discussion.number}` : `#${discussion.number} “${discussion.title}”`
}

/** What a person typed, short enough to quote back in one line. */
export function shorten(text: string, max = 40): string {
  const line = text.replace(/\s+/g, ' ')
  return line.length <= max ? line : `${line.slice(0, max - 1)}…`
}
