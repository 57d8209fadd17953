import { z } from 'zod'
import { defineCommand } from '../src/command/command.ts'
import { explainStoredFailure } from '../src/mirror/moderator-messages.ts'

/** Dead letters listed at most; the rest are counted. */
const SHOWN = 10

/**
 * `/bridge action: status|retry` (Discord), `/threadbridge bridge [status|retry]` (Slack): where
 * the community is bridged, what waits to be mirrored, and what failed for good with why, in
 * sentences; `retry` puts the failures back in the queue (after the cause was fixed). Moderators only.
 */
export const bridge = defineCommand({
  name: 'bridge',
  description: 'Where this community is bridged, what waits, what failed; retry the failures',
  who: 'moderators',
  args: z.object({
    action: z.enum(['status', 'retry']).optional().describe('status (the default), or retry the failures'),
  }),
  slack: { positional: ['action'] },
  async run({ core, community, commandLine, platform, actor }, { action = 'status' }) {
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
    // A channel mention renders on its own platform only; elsewhere its id is what an admin needs.
    const where = bridges
      .map((b) =>
        b.platform === 'discord'
          ? `Discord channel ${platform === 'discord' ? `<#${b.channelId}>` : b.channelId}`
          : `Slack channel ${b.channelId}`,
      )
      .join(' and ')
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
    return { text: `${community.name} is bridged to the ${where}.\n${waiting}\n${failed}` }
  },
})
