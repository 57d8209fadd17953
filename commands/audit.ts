import { z } from 'zod'
import { defineCommand } from '../src/command/command.ts'
import { apartAsCode } from '../src/command/shown-name.ts'

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
  // The accounts, by platform and id, are in the reason: the members' names would say less.
  link_accounts: 'linked accounts',
  unlink_accounts: 'unlinked accounts',
  unbridge: 'stopped bridging the community',
  // What the configuration gives back at a start after it had taken it.
  restore_moderator: 'made moderator again:',
  rebridge: 'bridged the community again',
}

/** Actions whose reason names who was acted on already. */
const NAMED_IN_REASON = new Set(['link_accounts', 'unlink_accounts'])

/**
 * `/audit [page]` (Discord), `/threadbridge audit [page]` (Slack): the community's recent
 * moderator actions, newest first, ten a page: who, what, when (UTC) and why; never the words of
 * what was deleted. Refused attempts too: who tried which moderators' command, from where, and
 * how many times in that hour (one entry per person, command and hour). Moderators only.
 * Names, titles and reasons are people's words, shown as inline code (`apartAsCode`): one line
 * each, they cannot pass for an entry's date, separator or verb, nor format the line.
 */
export const audit = defineCommand({
  name: 'audit',
  description: 'Recent moderator actions: who did what, when and why',
  who: 'moderators',
  args: z.object({
    page: z.coerce.number().int().min(1).max(10_000).optional().describe('Which page, from 1 (newest)'),
  }),
  slack: { positional: ['page'] },
  async run({ core, community, commandLine, platform }, { page = 1 }) {
    const { entries, total } = await core.auditLog(community.id, page, PAGE_SIZE)
    const pages = Math.max(1, Math.ceil(total / PAGE_SIZE))
    if (entries.length === 0)
      return {
        text:
          total === 0
            ? `No moderator actions in ${community.name} yet.`
            : `Page ${page} is past the last: there ${pages === 1 ? 'is 1 page' : `are ${pages} pages`} of moderator actions.`,
      }
    const lines = entries.map((e) => {
      const when = e.at.toISOString().slice(0, 16).replace('T', ' ')
      const where = e.platform === null ? '' : ` (${e.platform === 'discord' ? 'Discord' : 'Slack'})`
      if (e.outcome === 'refused') {
        const times = e.attempts > 1 ? `, ${e.attempts} times in that hour` : ''
        // Written as the person typed it when they are on the reader's platform; the other
        // platform's syntax is not ours to know here (Slack's command name is the admin's choice).
        const tried = e.platform === platform ? commandLine(e.action) : `the ${e.action} command`
        return `${when} UTC · refused: ${apartAsCode(e.moderator)}${where} tried ${tried}${times}`
      }
      // Nothing about who remains, by design: only that it happened.
      if (e.action === 'erasure') return `${when} UTC · a member erased themselves (forget-me)`
      // "deleted a reply of jo in #2", "locked #2", "banned jo".
      const what = [
        VERBS[e.action] ?? e.action,
        NAMED_IN_REASON.has(e.action) || e.member === null ? null : apartAsCode(e.member),
        e.discussion === null
          ? null
          : `${e.onReply ? (e.member === null ? 'a reply in ' : 'in ') : ''}#${e.discussion.number}${e.discussion.title === null ? '' : ` ${apartAsCode(e.discussion.title)}`}`,
      ]
        .filter(Boolean)
        .join(' ')
      return `${when} UTC · ${apartAsCode(e.moderator)}: ${what}${e.reason ? ` (${apartAsCode(e.reason)})` : ''}`
    })
    const more =
      page < pages ? `\nPage ${page} of ${pages}: ${commandLine('audit')} ${page + 1} for older ones.` : ''
    return { text: `Moderator actions in ${community.name}, newest first:\n${lines.join('\n')}${more}` }
  },
})
