import type { Clock } from '../clock.ts'
import type { CommunityBridge } from '../communities/community-registry.ts'
import type { Executor } from '../db/in-transaction.ts'
import { DigestDelivery } from '../digests/digest-delivery.ts'
import { DELETED_DISCUSSION_TEXT, DELETED_REPLY_TEXT } from '../discussions/content-rules.ts'
import { recheckLockReport } from '../discussions/lock-reports.ts'
import { type MirrorContent, readMirrorContent } from '../discussions/mirror-content.ts'
import { reactionCount } from '../discussions/reactions.ts'
import { DeliveryError } from '../errors.ts'
import { attachmentLine } from '../format/attachment-line.ts'
import { convertText, type FormatContext } from '../format/index.ts'
import { mentionedIds } from '../format/mentioned-ids.ts'
import { quoteLine } from '../format/quote-line.ts'
import {
  findLinkedContent,
  findMessageLinks,
  findThreadOf,
  forgetMessageLink,
  type MessageLink,
  recordMirrorParts,
} from '../links/message-links.ts'
import type { Logger } from '../logger.ts'
import { linkedAccountIds } from '../members/linked-accounts.ts'
import { type MentionNames, mentionNames } from '../names/mention-names.ts'
import type { Platform } from '../platform/platform.ts'
import type { AuthorView, PlatformPort, PostedPart } from '../platform/platform-port.ts'
import { beginMirrorAttempt } from './mirror-attempts.ts'
import { bridgesStillMirroring } from './mirror-gone.ts'
import type { ClaimedJob } from './outbox-queue.ts'
import { splitMessage } from './split-message.ts'

type Content = { discussionId: string; replyId: string | null }

/** How our own notices (a tombstone) are signed. */
const THREADBRIDGE: AuthorView = { displayName: 'Threadbridge', avatarUrl: null, platform: null }

/**
 * Turns one outbox event into its effect on every other platform the community is bridged to,
 * through each platform's port. Each step is idempotent: what was already mirrored (a message
 * link) is not mirrored again, and a job whose last attempt ended without an answer looks on the
 * platform for what it may already have posted before it posts again. The records it reads and
 * writes are kept by links/, discussions/ and mirror/; this class only orchestrates.
 */
export class MirrorEngine {
  private readonly names: MentionNames

  constructor(
    private readonly db: Executor,
    private readonly clock: Clock,
    private readonly ports: ReadonlyMap<Platform, PlatformPort>,
    private readonly logger: Logger,
    names?: MentionNames,
  ) {
    this.names = names ?? mentionNames(db, ports, clock)
    this.digests = new DigestDelivery(db, clock, ports, logger)
  }

  private readonly digests: DigestDelivery

  async deliver(job: ClaimedJob): Promise<void> {
    const event = job.event
    if (event.type === 'membership.changed') return
    // A person's digest: the same worker, retries and dead letters, a delivery of its own.
    if (event.type === 'digest.ready') return this.digests.deliver(job, event.digestId)
    if (job.communityId === null) return
    if (event.type === 'discussion.lock_recheck') return this.recheckLock(event)
    // Bridges whose thread of this discussion was deleted there are left out: nothing more is
    // written to a platform that took the discussion's home away.
    const bridges = await bridgesStillMirroring(this.db, job.communityId, event.discussionId)
    // Asked once per job, not per platform: a superseded lock is history on every platform.
    if (event.type === 'discussion.locked' && (await lockSuperseded(this.db, job.id, event.discussionId)))
      return
    for (const bridge of bridges) {
      const port = this.ports.get(bridge.platform)
      if (port === undefined) continue
      if ('sourcePlatform' in event && event.sourcePlatform === bridge.platform) continue
      switch (event.type) {
        case 'discussion.created':
          await this.publish(job, port, bridge, { discussionId: event.discussionId, replyId: null }, bridges)
          break
        case 'reply.created':
          await this.publish(job, port, bridge, event, bridges)
          break
        case 'discussion.edited':
          await this.edit(port, bridge, { discussionId: event.discussionId, replyId: null }, bridges)
          break
        case 'reply.edited':
          await this.edit(port, bridge, event, bridges)
          break
        case 'discussion.deleted':
          await this.tombstone(port, bridge, { discussionId: event.discussionId, replyId: null })
          break
        case 'reply.deleted':
          await this.tombstone(port, bridge, event)
          break
        case 'discussion.locked':
          await this.lock(port, bridge, event.discussionId, event.locked, `tb${job.id}${port.platform[0]}`)
          break
        case 'reaction.changed':
          await this.reaction(port, bridge, event, event.emoji)
          break
      }
    }
  }

  private async publish(
    job: ClaimedJob,
    port: PlatformPort,
    bridge: CommunityBridge,
    content: Content,
    bridges: CommunityBridge[],
  ) {
    if ((await findMessageLinks(this.db, content, port.platform)).length > 0) return
    const shown = await readMirrorContent(this.db, content)
    if (shown.text === null) return // deleted before it could be mirrored: nothing to show
    const opening = content.replyId === null
    const threadId = opening ? null : await this.threadOf(content.discussionId, port.platform)
    const { ctx, notified } = await this.formatContext(shown, content, bridges, port.platform)
    const parts = splitMessage(await this.compose(shown, port, bridge, opening, ctx), port.maxMessageLength)
    const key = `tb${job.id}${port.platform[0]}`

    let posted: PostedPart[] = []
    const since = await beginMirrorAttempt(this.db, job.id, port.platform, this.clock.now())
    if (since !== undefined) {
      // An attempt began before and never recorded its outcome: look before posting again.
      posted = await port.findPublished({
        bridge,
        key,
        threadId,
        since,
        parts,
        author: shown.author,
        ...(opening ? { title: shown.title ?? '' } : {}),
      })
      posted = await this.notYetClaimed(port.platform, posted)
      if (posted.length > 0)
        this.logger.info(
          { job: job.id, platform: port.platform, parts: posted.length },
          'adopted a delivery whose outcome was unknown',
        )
    }
    if (posted.length < parts.length) {
      const remaining = parts.slice(posted.length)
      const input = { bridge, key, parts: remaining, author: shown.author, mentionUsers: [...notified] }
      const fresh =
        opening && posted.length === 0
          ? await port.publishDiscussion({ ...input, title: shown.title ?? '' })
          : await port.publishReply({ ...input, threadId: threadId ?? posted[0]?.threadId ?? '' })
      posted = [...posted, ...fresh.map((p, i) => ({ ...p, part: posted.length + i }))]
    }
    await this.record(port.platform, content, posted)
  }

  private async edit(
    port: PlatformPort,
    bridge: CommunityBridge,
    content: Content,
    bridges: CommunityBridge[],
  ) {
    const links = await findMessageLinks(this.db, content, port.platform)
    if (links.length === 0) return // not mirrored yet: its creation will carry the latest text
    const shown = await readMirrorContent(this.db, content)
    if (shown.text === null) return
    const opening = content.replyId === null
    const { ctx } = await this.formatContext(shown, content, bridges, port.platform)
    const parts = splitMessage(await this.compose(shown, port, bridge, opening, ctx), port.maxMessageLength)
    const threadId = links[0]?.threadId ?? ''
    for (const [index, link] of links.entries()) {
      const text = parts[index]
      if (text !== undefined)
        await port.editMessage({ ...at(bridge, threadId, link), text, author: shown.author })
      else await this.removePart(port, bridge, threadId, link)
    }
    if (parts.length > links.length) {
      const extra = await port.publishReply({
        bridge,
        key: `edit-${links[0]?.messageId ?? ''}`,
        threadId,
        parts: parts.slice(links.length),
        author: shown.author,
      })
      const renumbered = extra.map((part, i) => ({ ...part, part: links.length + i }))
      await this.record(port.platform, content, renumbered)
    }
    if (opening && shown.title !== null) await port.updateThread?.({ bridge, threadId, title: shown.title })
  }

  /**
   * A deleted reply's mirror shows the tombstone; any further parts of it are removed. Where the
   * person wrote it (deleted through a command, not on that platform), their own message is
   * removed if the platform lets the bot (Discord with Manage Messages; never Slack).
   */
  private async tombstone(port: PlatformPort, bridge: CommunityBridge, content: Content) {
    const [first, ...rest] = await findMessageLinks(this.db, content, port.platform)
    if (first === undefined) return
    const threadId = first.threadId ?? ''
    const opening = content.replyId === null
    const text = opening ? DELETED_DISCUSSION_TEXT : DELETED_REPLY_TEXT
    if (first.origin === 'source') await port.removeOriginal(at(bridge, threadId, first))
    else {
      await port.editMessage({ ...at(bridge, threadId, first), text, author: THREADBRIDGE })
      for (const link of rest) await this.removePart(port, bridge, threadId, link)
    }
    // The thread's name (Discord's copy of the title) is deleted content too.
    if (opening) await port.updateThread?.({ bridge, threadId, locked: true, title: DELETED_DISCUSSION_TEXT })
  }

  /**
   * The message on this platform (ours or the original) carries the bot's reaction while anyone on
   * another platform has that emoji on the content, and loses it when the last of them removes it.
   */
  private async reaction(port: PlatformPort, bridge: CommunityBridge, content: Content, emoji: string) {
    const [first] = await findMessageLinks(this.db, content, port.platform)
    if (first === undefined) return
    const present = (await reactionCount(this.db, content, emoji, port.platform)) > 0
    await port.setReaction({ ...at(bridge, first.threadId ?? '', first), emoji, present })
  }

  private async lock(
    port: PlatformPort,
    bridge: CommunityBridge,
    discussionId: string,
    locked: boolean,
    key: string,
  ) {
    const threadId = await findThreadOf(this.db, discussionId, port.platform)
    if (threadId !== undefined) await port.updateThread?.({ bridge, threadId, locked, key })
  }

  /**
   * A lock report set aside while our lock commands were on their way, judged now that they are
   * carried out, by the thread as its platform shows it now (or, where the platform cannot be
   * read, by what the report said).
   */
  private async recheckLock(event: { discussionId: string; platform: Platform; locked: boolean }) {
    const port = this.ports.get(event.platform)
    const threadId = await findThreadOf(this.db, event.discussionId, event.platform)
    if (port === undefined || threadId === undefined) return
    const read = port.readLocked?.bind(port)
    await recheckLockReport(this.db, this.clock, event.discussionId, event.platform, {
      locked: event.locked,
      ...(read ? { readNow: () => read(threadId) } : {}),
    })
  }

  private async removePart(port: PlatformPort, bridge: CommunityBridge, threadId: string, link: MessageLink) {
    await port.deleteMessage(at(bridge, threadId, link))
    await forgetMessageLink(this.db, link)
  }

  /** The text as this platform shows it; an opening post also carries its title as the platform puts it. */
  private async compose(
    shown: MirrorContent,
    port: PlatformPort,
    bridge: CommunityBridge,
    opening: boolean,
    ctx: FormatContext,
  ) {
    const text = convertText(shown.text ?? '', shown.format, port.platform, ctx)
    const files = shown.attachments.map((a) => attachmentLine(a, port.platform))
    const quote = shown.answers ? port.quote(await this.quoteOf(shown.answers, port.platform)) : null
    const body = [quote, text, ...files].filter((line) => line !== null && line !== '').join('\n')
    return opening ? port.composeDiscussion(bridge, shown.title ?? '', body) : body
  }

  /**
   * "Name: first line" of the answered reply, as plain words escaped for the platform: its markup
   * and mentions read as text, never as a ping, a spoiler revealed, or a deleted reply's words.
   */
  private async quoteOf(answers: NonNullable<MirrorContent['answers']>, platform: Platform) {
    const line =
      answers.text === null
        ? DELETED_REPLY_TEXT
        : quoteLine(answers.text, answers.format, await this.names.contextFor(answers.text, answers.format))
    return convertText(`${answers.authorName}: ${line}`, 'plain', platform)
  }

  /**
   * What the converter needs to know beyond the words: the names behind the mentions, the same
   * person's account on `target` for a mention of someone who linked theirs (the mention then
   * crosses as a real one, and `notified` collects whom it may notify), and, for a Discord spoiler
   * (which Slack cannot hide), where the original can be read. Costs nothing for a message with
   * none of these.
   */
  private async formatContext(
    shown: MirrorContent,
    content: Content,
    bridges: CommunityBridge[],
    target: Platform,
  ): Promise<{ ctx: FormatContext; notified: Set<string> }> {
    const text = shown.text ?? ''
    const notified = new Set<string>()
    let ctx = await this.names.contextFor(text, shown.format)
    if (shown.format !== 'plain') {
      const users = mentionedIds(text, shown.format).users
      const linked = await linkedAccountIds(this.db, shown.format, target, users)
      if (linked.size > 0)
        ctx = {
          ...ctx,
          linkedUser: (id) => {
            const other = linked.get(id)
            if (other !== undefined) notified.add(other)
            return other
          },
        }
    }
    if (shown.format !== 'discord' || !shown.text?.includes('||')) return { ctx, notified }
    const source = this.ports.get('discord')
    const home = bridges.find((bridge) => bridge.platform === 'discord')
    const [original] = await findMessageLinks(this.db, content, 'discord')
    const sourceUrl = home && original ? await source?.permalink?.(home, original) : undefined
    return { ctx: sourceUrl === undefined ? ctx : { ...ctx, sourceUrl }, notified }
  }

  /**
   * What a look before reposting found, up to the first part already recorded as a mirror of
   * something else: a message that is another reply's mirror is never adopted as this one's.
   */
  private async notYetClaimed(platform: Platform, found: PostedPart[]): Promise<PostedPart[]> {
    const unclaimed: PostedPart[] = []
    for (const part of found) {
      const ref = { platform, channelId: part.channelId, messageId: part.messageId }
      if ((await findLinkedContent(this.db, ref)) !== undefined) break
      unclaimed.push(part)
    }
    return unclaimed
  }

  private async threadOf(discussionId: string, platform: Platform): Promise<string> {
    const threadId = await findThreadOf(this.db, discussionId, platform)
    if (threadId === undefined)
      throw new DeliveryError(platform, 'the discussion has no thread there yet', { retryable: true })
    return threadId
  }

  private async record(platform: Platform, content: Content, posted: PostedPart[]) {
    const links = posted.map((part) => ({
      platform,
      channelId: part.channelId,
      messageId: part.messageId,
      threadId: part.threadId,
      part: part.part,
    }))
    await recordMirrorParts(this.db, content, links, this.clock.now())
  }
}

function at(bridge: CommunityBridge, threadId: string, link: MessageLink) {
  return { bridge, threadId, channelId: link.channelId, messageId: link.messageId }
}

/**
 * Whether a newer lock or unlock of the discussion was already carried out: then this one (a
 * dead job a moderator retried, say) is history, and carrying it out now would set the thread
 * against the core's latest word and have its report blamed on a platform's moderator.
 */
async function lockSuperseded(db: Executor, jobId: string, discussionId: string): Promise<boolean> {
  const newer = await db
    .selectFrom('outbox')
    .select('id')
    .where('discussion_id', '=', discussionId)
    .where('event_type', '=', 'discussion.locked')
    .where('status', '=', 'done')
    .where('id', '>', jobId)
    .limit(1)
    .executeTakeFirst()
  return newer !== undefined
}
