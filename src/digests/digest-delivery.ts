import type { Clock } from '../clock.ts'
import { CommunityRegistry } from '../communities/community-registry.ts'
import type { Executor } from '../db/in-transaction.ts'
import { DeliveryError } from '../errors.ts'
import { escapeSlack } from '../format/discord-to-slack.ts'
import { convertText } from '../format/index.ts'
import { escapeDiscord } from '../format/slack-to-discord.ts'
import { truncate } from '../format/truncate.ts'
import { findMessageLinks } from '../links/message-links.ts'
import type { Logger } from '../logger.ts'
import type { ClaimedJob } from '../mirror/outbox-queue.ts'
import type { Platform } from '../platform/platform.ts'
import {
  type DigestMessage,
  type DigestSection,
  DMS_CLOSED,
  type PlatformPort,
} from '../platform/platform-port.ts'
import { digestActions } from './digest-actions.ts'
import { type DigestContent, readDigestContent } from './digest-content.ts'

/** A quoted reply's line: enough to know what it says, short enough to scan. */
const LINE_LENGTH = 140

/**
 * Delivers a claimed digest (`digest.ready`) through the mirror worker, with its retries, lease
 * and dead letters: to the person's preferred platform (else the one they last wrote on) whose
 * DMs are open, composed natively there. Sending twice is prevented by the platform's key check
 * (`lookFirst` once an attempt may have landed) and by the digest's status, set once it is sent.
 * A person whose DMs are closed is marked, and the next account (or nothing) is tried; they are
 * not retried for ever.
 */
export class DigestDelivery {
  constructor(
    private readonly db: Executor,
    private readonly clock: Clock,
    private readonly ports: ReadonlyMap<Platform, PlatformPort>,
    private readonly logger: Logger,
  ) {}

  async deliver(job: ClaimedJob, digestId: string): Promise<void> {
    const digest = await this.db
      .selectFrom('digests')
      .select(['id', 'member_id', 'status'])
      .where('id', '=', digestId)
      .executeTakeFirst()
    if (digest === undefined || digest.status !== 'pending') return
    const content = await readDigestContent(this.db, digestId)
    if (content === undefined || (content.discussions.length === 0 && content.newDiscussions.length === 0)) {
      // Everything it would have said was deleted or left behind since it was claimed.
      await this.finish(digestId, 'empty', null)
      return
    }
    for (const account of await this.accountsOf(digest.member_id)) {
      const port = this.ports.get(account.platform)
      if (port === undefined) continue
      const message = await this.compose(content, account.platform)
      try {
        await port.sendDigest({
          platformUserId: account.platformUserId,
          key: `tbd${digestId}`,
          message,
          lookFirst: job.attempt > 1,
        })
        await this.finish(digestId, 'sent', account.platform)
        return
      } catch (error) {
        if (!(error instanceof DeliveryError && error.reason === DMS_CLOSED)) throw error
        await this.db
          .updateTable('identities')
          .set({ dms_closed_at: this.clock.now() })
          .where('platform', '=', account.platform)
          .where('platform_user_id', '=', account.platformUserId)
          .execute()
        this.logger.info({ digest: digestId, platform: account.platform }, 'a digest found DMs closed')
      }
    }
    // Nobody could be reached: what it covered waits for them. The claim is withdrawn (so the same
    // slot can be claimed again), the cursor goes back if nothing moved it since, and the
    // scheduler passes them by until an account's DMs reopen.
    const withdrawn = await this.db
      .deleteFrom('digests')
      .where('id', '=', digestId)
      .where('status', '=', 'pending')
      .returning(['reply_seq_after', 'reply_seq_upto', 'discussion_seq_after'])
      .executeTakeFirst()
    if (withdrawn === undefined) return
    await this.db
      .updateTable('digest_cursors')
      .set({
        reply_seq: withdrawn.reply_seq_after,
        discussion_seq: withdrawn.discussion_seq_after,
        last_slot_at: null,
        updated_at: this.clock.now(),
      })
      .where('member_id', '=', digest.member_id)
      .where('reply_seq', '=', withdrawn.reply_seq_upto)
      .execute()
    this.logger.info({ digest: digestId }, 'a digest found no open DMs: it waits until they reopen')
  }

  /** Where to send: the preferred platform first, else the one last written on, DMs open. */
  private async accountsOf(memberId: string): Promise<{ platform: Platform; platformUserId: string }[]> {
    const accounts = await this.db
      .selectFrom('identities as i')
      .leftJoin('member_preferences as p', 'p.member_id', 'i.member_id')
      .select(['i.platform', 'i.platform_user_id', 'p.preferred_platform'])
      .select((eb) =>
        eb
          .selectFrom('replies as r')
          .select((e) => e.fn.max('r.created_at').as('at'))
          .whereRef('r.author_platform', '=', 'i.platform')
          .whereRef('r.author_platform_user_id', '=', 'i.platform_user_id')
          .as('last_wrote'),
      )
      .where('i.member_id', '=', memberId)
      .where('i.dms_closed_at', 'is', null)
      .execute()
    const rank = (a: (typeof accounts)[number]) =>
      [
        a.preferred_platform === a.platform ? 0 : 1,
        -(a.last_wrote ? new Date(a.last_wrote).getTime() : 0),
      ] as const
    return accounts
      .sort((a, b) => {
        const [pa, la] = rank(a)
        const [pb, lb] = rank(b)
        return pa - pb || la - lb
      })
      .map((a) => ({ platform: a.platform, platformUserId: a.platform_user_id }))
  }

  private async compose(content: DigestContent, platform: Platform): Promise<DigestMessage> {
    const replies = content.discussions.reduce((sum, d) => sum + d.newReplies, 0) + content.more.replies
    const discussions = content.discussions.length + content.more.discussions
    const summary = [
      replies > 0
        ? `${plural(replies, 'new reply', 'new replies')} in ${plural(discussions, 'discussion', 'discussions')}`
        : '',
      content.newDiscussions.length > 0
        ? plural(content.newDiscussions.length, 'new discussion', 'new discussions')
        : '',
    ]
      .filter(Boolean)
      .join(', ')
    const sections: DigestSection[] = []
    for (const d of content.discussions)
      sections.push({
        heading: `${label(d)} in ${d.communityName}`,
        subheading: plural(d.newReplies, 'new reply', 'new replies'),
        // The lines are in the target's markup, so the name is escaped for it too.
        lines: d.latest.map(
          (r) => `${escapeFor(platform, who(r.author, r.platform))}: ${line(r.body, r.format, platform)}`,
        ),
        links: await this.links(d.communityId, d.discussionId),
      })
    for (const d of content.newDiscussions)
      sections.push({
        heading: `${label(d)} in ${d.communityName}`,
        subheading: `New discussion by ${who(d.author, d.platform)}`,
        lines: [],
        links: await this.links(d.communityId, d.discussionId),
      })
    return {
      summary,
      sections,
      ...(content.more.discussions > 0
        ? {
            more: `…and ${plural(content.more.discussions, 'more discussion', 'more discussions')} (${plural(content.more.replies, 'reply', 'replies')}).`,
          }
        : {}),
      actions: digestActions(content),
    }
  }

  /** Links to the discussion's opening post on each platform it is on (Discord message URL, Slack permalink). */
  private async links(communityId: string, discussionId: string) {
    const links: { label: string; url: string }[] = []
    const bridges = await new CommunityRegistry(this.db, this.clock).bridges(communityId)
    for (const bridge of bridges) {
      const port = this.ports.get(bridge.platform)
      const [opening] = await findMessageLinks(this.db, { discussionId, replyId: null }, bridge.platform)
      if (port?.permalink === undefined || opening === undefined) continue
      const url = await port.permalink(bridge, { channelId: opening.channelId, messageId: opening.messageId })
      if (url !== undefined)
        links.push({ label: bridge.platform === 'discord' ? 'Open on Discord' : 'Open on Slack', url })
    }
    return links
  }

  private async finish(digestId: string, status: 'sent' | 'empty', platform: Platform | null) {
    await this.db
      .updateTable('digests')
      .set({ status, platform, sent_at: status === 'sent' ? this.clock.now() : null })
      .where('id', '=', digestId)
      .where('status', '=', 'pending')
      .execute()
  }
}

function label(d: { number: number; title: string | null }): string {
  return d.title === null ? `#${d.number}` : `#${d.number} “${d.title}”`
}

function who(name: string, platform: Platform | null): string {
  return platform === null ? name : `${name} (${platform === 'discord' ? 'Discord' : 'Slack'})`
}

/** A reply's first line, in the target platform's markup, cut to fit. */
function line(body: string, format: 'plain' | 'discord' | 'slack', platform: Platform): string {
  return truncate(convertText(body.trim().split('\n')[0] ?? '', format, platform), LINE_LENGTH)
}

function escapeFor(platform: Platform, text: string): string {
  return platform === 'slack' ? escapeSlack(text) : escapeDiscord(text)
}

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`
}
