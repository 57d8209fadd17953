import { z } from 'zod'
import { defineCommand } from '../src/command/command.ts'
import { discussionLabel } from '../src/command/discussion-argument.ts'

const PAGE_SIZE = 10

/** The audit's actions as a sentence reads them, with the person acted on after. */
const VERBS: Record<string, string> = {
  lock: 'locked',
  unlock: 'unlocked',
  ban: 'banned',
  unban: 'lifted the ban on',
  delete_discussion: 'deleted the discussion of',
  delete_reply: 'deleted a reply of',
  grant_moderator: 'appointed moderator:',
  revoke_moderator: 'removed moderator:',
  retry_deliveries: 'put the failed deliveries back in the queue',
  unbridge: 'stopped bridging the community',
}

/**
 * `/audit [page]` (Discord), `/threadbridge audit [page]` (Slack): the community's recent
 * moderator actions, newest first, ten a page: who, what, when (UTC) and why; never the words of
 * what was deleted. Refused attempts too: who tried which moderators' command, from where.
 * Moderators only.
 */
export const audit = defineCommand({
  name: 'audit',
  description: 'Recent moderator actions: who did what, when and why',
  who: 'moderators',
  args: z.object({
    page: z.coerce.number().int().min(1).max(10_000).optional().describe('Which page, from 1 (newest)'),
  }),
  slack: { positional: ['page'] },
  async run({ core, community, commandLine }, { page = 1 }) {
    const { entries, total } = await core.auditLog(community.id, page, PAGE_SIZE)
    const pages = Math.max(1, Math.ceil(total / PAGE_SIZE))
    if (entries.length === 0)
      return {
        text:
          total === 0
            ? `No moderator actions in ${community.name} yet.`
            : `There are ${pages} pages of moderator actions; page ${page} is past the last.`,
      }
    const lines = entries.map((e) => {
      const when = e.at.toISOString().slice(0, 16).replace('T', ' ')
      if (e.outcome === 'refused') {
        const where = e.platform === null ? '' : ` (${e.platform === 'discord' ? 'Discord' : 'Slack'})`
        return `${when} UTC · refused: ${e.moderator}${where} tried ${commandLine(e.action)}`
      }
      // Nothing about who remains, by design: only that it happened.
      if (e.action === 'erasure') return `${when} UTC · a member erased themselves (forget-me)`
      // "deleted a reply of jo in #2", "locked #2", "banned jo".
      const what = [
        VERBS[e.action] ?? e.action,
        e.member,
        e.discussion === null
          ? null
          : `${e.onReply ? (e.member === null ? 'a reply in ' : 'in ') : ''}${discussionLabel(e.discussion)}`,
      ]
        .filter(Boolean)
        .join(' ')
      return `${when} UTC · ${e.moderator}: ${what}${e.reason ? ` (${e.reason})` : ''}`
    })
    const more =
      page < pages ? `\nPage ${page} of ${pages}: ${commandLine('audit')} ${page + 1} for older ones.` : ''
    return { text: `Moderator actions in ${community.name}, newest first:\n${lines.join('\n')}${more}` }
  },
})
