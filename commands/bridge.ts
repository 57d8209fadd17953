import { z } from 'zod'
import { type CommandContext, defineCommand } from '../src/command/command.ts'
import { discussionArgument, discussionFor, discussionLabel } from '../src/command/discussion-argument.ts'
import { shownName } from '../src/command/shown-name.ts'
import { explainStoredFailure, platformName } from '../src/mirror/moderator-messages.ts'
import type { Platform } from '../src/platform/platform.ts'

/** Dead letters listed at most; the rest are counted. */
const SHOWN = 10

/**
 * `/bridge action: status|retry|pause|resume [discussion]` (Discord), `/threadbridge bridge
 * [status|retry|pause|resume] [discussion]` (Slack): where the community is bridged, what waits
 * to be mirrored, and what failed for good with why, in sentences; `retry` puts the failures back
 * in the queue (after the cause was fixed); `pause` stops all mirroring of one discussion (when
 * named) or of the whole community, and `resume` starts it again, with what waited meanwhile.
 * Moderators only, checked when it runs.
 */
export const bridge = defineCommand({
  name: 'bridge',
  description: 'Where this community is bridged, what waits, what failed; retry the failures',
  who: 'moderators',
  args: z.object({
    action: z
      .enum(['status', 'retry', 'pause', 'resume'])
      .optional()
      .describe('status (the default), retry the failures, pause or resume mirroring'),
    discussion: discussionArgument
      .optional()
      .describe('pause or resume: this discussion only (its number), rather than the whole community'),
  }),
  slack: { positional: ['action', 'discussion'] },
  async run(ctx, { action = 'status', discussion }) {
    const { core, community, commandLine, platform, actor } = ctx
    if (action === 'pause' || action === 'resume') return pauseOrResume(ctx, action, discussion)
    if (action === 'retry') {
      const retried = await core.retryDeadLetters(community.id, actor)
      return {
        text:
          retried === 0
            ? 'Nothing failed for good: there is nothing to retry.'
            : `Put ${retried} failed ${retried === 1 ? 'delivery' : 'deliveries'} back in the queue.`,
      }
    }
    const bridges = await core.communities.bridges(community.id)
    const where = (await Promise.all(bridges.map((b) => channelShown(ctx, b)))).join(' and ')
    const status = await core.bridgeStatus(community.id)
    const waiting =
      status.pending === 0
        ? 'Nothing waits to be mirrored.'
        : `${status.pending} ${status.pending === 1 ? 'change waits' : 'changes wait'} to be mirrored, the oldest since ${status.oldest?.toISOString().slice(0, 16).replace('T', ' ')} UTC.`
    const dead = status.dead.slice(0, SHOWN).map((job) => {
      const what = job.event_type.replace('.', ' ')
      return `- a ${what} (job ${job.id}), after ${job.attempts} ${job.attempts === 1 ? 'try' : 'tries'}: ${job.last_error ?? 'no reason kept'}. ${explainStoredFailure(job.last_error)}`.trimEnd()
    })
    const failed =
      status.dead.length === 0
        ? 'Nothing failed for good.'
        : [
            `${status.dead.length} ${status.dead.length === 1 ? 'delivery' : 'deliveries'} failed for good:`,
            ...dead,
            ...(status.dead.length > SHOWN ? [`…and ${status.dead.length - SHOWN} more.`] : []),
            `Once the cause is fixed, ${platform === 'discord' ? '/bridge action: retry' : `${commandLine('bridge')} retry`} puts them back in the queue.`,
          ].join('\n')
    return {
      text: [`${community.name} is bridged to ${where}.`, pausedLine(status.paused), waiting, failed]
        .filter((line) => line !== '')
        .join('\n'),
    }
  },
})

/**
 * A bridged channel as the reader's platform shows it: on Discord a Discord channel is a mention
 * (`<#id>`, which Discord renders as its name and which notifies nobody). Anywhere else (Slack's
 * answers are escaped whole, so no mention survives them) it is its name, looked up and escaped,
 * with its id, which an admin needs; only the id where the platform cannot say.
 */
async function channelShown(ctx: CommandContext, bridge: { platform: Platform; channelId: string }) {
  const channel = `the ${platformName(bridge.platform)} channel`
  if (bridge.platform === 'discord' && ctx.platform === 'discord') return `${channel} <#${bridge.channelId}>`
  const name = await ctx.lookUpName?.({ platform: bridge.platform, kind: 'channel', id: bridge.channelId })
  return name === undefined
    ? `${channel} ${bridge.channelId}`
    : `${channel} #${shownName(ctx.platform, name)} (${bridge.channelId})`
}

async function pauseOrResume(ctx: CommandContext, action: 'pause' | 'resume', named: string | undefined) {
  const paused = action === 'pause'
  const usage =
    ctx.platform === 'slack'
      ? `${ctx.commandLine('bridge')} ${action} 12`
      : `/bridge action: ${action} discussion: 12`
  const discussion = named === undefined ? undefined : await discussionFor(ctx, named, usage)
  const what = discussion === undefined ? `all of ${ctx.community.name}` : discussionLabel(discussion)
  const changed = await ctx.core.setMirroringPaused({
    communityId: ctx.community.id,
    discussionId: discussion?.id,
    paused,
    moderator: ctx.actor,
  })
  if (!changed) return { text: `Mirroring of ${what} is already ${paused ? 'paused' : 'running'}.` }
  return {
    text: paused
      ? `Paused mirroring of ${what}: changes are kept and wait, and cross when mirroring is resumed.`
      : `Resumed mirroring of ${what}: what waited is being mirrored now.`,
  }
}

/** The status's line about pauses; empty when nothing is paused. */
function pausedLine(paused: { community: Date | null; discussions: number[] }): string {
  if (paused.community !== null)
    return `Mirroring is paused for the whole community, since ${paused.community.toISOString().slice(0, 16).replace('T', ' ')} UTC.`
  if (paused.discussions.length === 0) return ''
  return `Mirroring is paused for ${paused.discussions.map((n) => `#${n}`).join(', ')}.`
}
