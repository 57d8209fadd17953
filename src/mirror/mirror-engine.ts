import type { Transaction } from 'kysely'
import type { Clock } from '../clock.ts'
import { type CommunityBridge, CommunityRegistry } from '../communities/community-registry.ts'
import { type Executor, inTransaction } from '../db/in-transaction.ts'
import type { BodyFormat, Database } from '../db/schema.ts'
import { DELETED_DISCUSSION_TEXT, DELETED_REPLY_TEXT } from '../discussions/content-rules.ts'
import { reactionCount } from '../discussions/reactions.ts'
import { DeliveryError } from '../errors.ts'
import { attachmentLine } from '../format/attachment-line.ts'
import { convertText } from '../format/index.ts'
import type { Logger } from '../logger.ts'
import type { Platform } from '../platform/platform.ts'
import { isMirrorGone } from './mirror-gone.ts'
import type { AuthorView, MirrorTarget, PostedPart } from './mirror-target.ts'
import type { ClaimedJob } from './outbox-queue.ts'
import { splitMessage } from './split-message.ts'

interface Content {
  discussionId: string
  replyId: string | null
  text: string | null
  format: BodyFormat
  author: AuthorView
  title: string | null
  parentQuote: string | null
  attachments: { file_name: string; url: string; size_bytes: string | null }[]
}

/**
 * Turns one outbox event into its effect on every other platform the community is bridged to.
 * Each step is idempotent: what was already mirrored (a row in message_links) is not mirrored
 * again, and a job whose last attempt ended without an answer looks on the platform for what it
 * may already have posted before it posts again.
 */
export class MirrorEngine {
  private readonly communities: CommunityRegistry

  constructor(
    private readonly db: Executor,
    private readonly clock: Clock,
    private readonly targets: ReadonlyMap<Platform, MirrorTarget>,
    private readonly logger: Logger,
  ) {
    this.communities = new CommunityRegistry(db, clock)
  }

  async deliver(job: ClaimedJob): Promise<void> {
    const event = job.event
    if (event.type === 'membership.changed') return
    const bridges = await this.communities.bridges(job.communityId)
    for (const bridge of bridges) {
      const target = this.targets.get(bridge.platform)
      if (target === undefined) continue
      if ('sourcePlatform' in event && event.sourcePlatform === bridge.platform) continue
      // Its thread there was deleted: nothing more is written to that platform for it.
      if (await isMirrorGone(this.db, event.discussionId, bridge.platform)) continue
      switch (event.type) {
        case 'discussion.created':
          await this.publish(job, target, bridge, event.discussionId, null)
          break
        case 'reply.created':
          await this.publish(job, target, bridge, event.discussionId, event.replyId)
          break
        case 'reply.edited':
        case 'discussion.edited':
          await this.edit(
            target,
            bridge,
            event.discussionId,
            event.type === 'reply.edited' ? event.replyId : null,
          )
          break
        case 'reply.deleted':
        case 'discussion.deleted':
          await this.tombstone(
            target,
            bridge,
            event.discussionId,
            event.type === 'reply.deleted' ? event.replyId : null,
          )
          break
        case 'discussion.locked':
          await this.lock(target, bridge, event.discussionId, event.locked)
          break
        case 'reaction.changed':
          await this.reaction(target, bridge, event.discussionId, event.replyId, event.emoji)
          break
      }
    }
  }

  private async publish(
    job: ClaimedJob,
    target: MirrorTarget,
    bridge: CommunityBridge,
    discussionId: string,
    replyId: string | null,
  ) {
    if ((await this.links(discussionId, replyId, target.platform)).length > 0) return
    const content = await this.load(discussionId, replyId)
    if (content.text === null) return // deleted before it could be mirrored: nothing to show
    const threadId = replyId === null ? null : await this.threadOf(discussionId, target.platform)
    const body = this.render(content, target)
    const text = replyId === null ? await target.composeDiscussion(bridge, content.title ?? '', body) : body
    const parts = splitMessage(text, target.maxMessageLength)
    const key = `tb${job.id}${target.platform[0]}`

    let posted: PostedPart[] = []
    const earlier = await this.db
      .selectFrom('mirror_attempts')
      .select('started_at')
      .where('outbox_id', '=', job.id)
      .where('platform', '=', target.platform)
      .executeTakeFirst()
    if (earlier) {
      // An attempt began before and never recorded its outcome: look before posting again.
      posted = await target.findPublished({
        bridge,
        key,
        threadId,
        since: earlier.started_at,
        parts,
        author: content.author,
        ...(replyId === null ? { title: content.title ?? '' } : {}),
      })
      if (posted.length > 0)
        this.logger.info(
          { job: job.id, platform: target.platform, parts: posted.length },
          'adopted a delivery whose outcome was unknown',
        )
    } else {
      await this.db
        .insertInto('mirror_attempts')
        .values({ outbox_id: job.id, platform: target.platform })
        .execute()
    }
    if (posted.length < parts.length) {
      const remaining = parts.slice(posted.length)
      const input = { bridge, key, parts: remaining, author: content.author }
      const fresh =
        replyId === null && posted.length === 0
          ? await target.publishDiscussion({ ...input, title: content.title ?? '' })
          : await target.publishReply({ ...input, threadId: threadId ?? posted[0]?.threadId ?? '' })
      posted = [...posted, ...fresh.map((p, i) => ({ ...p, part: posted.length + i }))]
    }
    await inTransaction(this.db, async (tx) => {
      for (const part of posted)
        await this.recordLink(tx, target.platform, bridge, discussionId, replyId, part)
    })
  }

  private async edit(
    target: MirrorTarget,
    bridge: CommunityBridge,
    discussionId: string,
    replyId: string | null,
  ) {
    const links = await this.links(discussionId, replyId, target.platform)
    if (links.length === 0) return // not mirrored yet: its creation will carry the latest text
    const content = await this.load(discussionId, replyId)
    if (content.text === null) return
    const body = this.render(content, target)
    const parts = splitMessage(
      replyId === null ? await target.composeDiscussion(bridge, content.title ?? '', body) : body,
      target.maxMessageLength,
    )
    const threadId = links[0]?.thread_id ?? ''
    for (const [index, link] of links.entries()) {
      const text = parts[index]
      if (text !== undefined)
        await target.editMessage({
          bridge,
          threadId,
          channelId: link.channel_id,
          messageId: link.message_id,
          text,
          author: content.author,
        })
      else await this.removePart(target, bridge, threadId, link)
    }
    if (parts.length > links.length) {
      const extra = await target.publishReply({
        bridge,
        key: `edit-${link0(links)}`,
        threadId,
        parts: parts.slice(links.length),
        author: content.author,
      })
      await inTransaction(this.db, async (tx) => {
        for (const [i, part] of extra.entries())
          await this.recordLink(tx, target.platform, bridge, discussionId, replyId, {
            ...part,
            part: links.length + i,
          })
      })
    }
    if (replyId === null && content.title !== null)
      await target.updateThread?.({ bridge, threadId, title: content.title })
  }

  /** A deleted reply's mirror shows the tombstone; any further parts of it are removed. */
  private async tombstone(
    target: MirrorTarget,
    bridge: CommunityBridge,
    discussionId: string,
    replyId: string | null,
  ) {
    const links = await this.links(discussionId, replyId, target.platform)
    const [first, ...rest] = links
    if (first === undefined) return
    const threadId = first.thread_id ?? ''
    const text = replyId === null ? DELETED_DISCUSSION_TEXT : DELETED_REPLY_TEXT
    await target.editMessage({
      bridge,
      threadId,
      channelId: first.channel_id,
      messageId: first.message_id,
      text,
      author: { displayName: 'Threadbridge', avatarUrl: null, platform: null },
    })
    for (const link of rest) await this.removePart(target, bridge, threadId, link)
    // The thread's name (Discord's copy of the title) is deleted content too.
    if (replyId === null)
      await target.updateThread?.({ bridge, threadId, locked: true, title: DELETED_DISCUSSION_TEXT })
  }

  /**
   * The message on this platform (ours or the original) carries the bot's reaction while anyone on
   * another platform has that emoji on the content, and loses it when the last of them removes it.
   */
  private async reaction(
    target: MirrorTarget,
    bridge: CommunityBridge,
    discussionId: string,
    replyId: string | null,
    emoji: string,
  ) {
    const [first] = await this.links(discussionId, replyId, target.platform)
    if (first === undefined) return
    const present = (await reactionCount(this.db, { discussionId, replyId }, emoji, target.platform)) > 0
    await target.setReaction({
      bridge,
      threadId: first.thread_id ?? '',
      channelId: first.channel_id,
      messageId: first.message_id,
      emoji,
      present,
    })
  }

  private async lock(target: MirrorTarget, bridge: CommunityBridge, discussionId: string, locked: boolean) {
    const threadId = await this.threadOf(discussionId, target.platform).catch(() => undefined)
    if (threadId !== undefined) await target.updateThread?.({ bridge, threadId, locked })
  }

  private async removePart(
    target: MirrorTarget,
    bridge: CommunityBridge,
    threadId: string,
    link: { platform: Platform; channel_id: string; message_id: string },
  ) {
    await target.deleteMessage({ bridge, threadId, channelId: link.channel_id, messageId: link.message_id })
    await this.db
      .deleteFrom('message_links')
      .where('platform', '=', link.platform)
      .where('channel_id', '=', link.channel_id)
      .where('message_id', '=', link.message_id)
      .execute()
  }

  private render(content: Content, target: MirrorTarget): string {
    const text = convertText(content.text ?? '', content.format, target.platform)
    const files = content.attachments.map((a) =>
      attachmentLine(
        { fileName: a.file_name, sizeBytes: a.size_bytes ? Number(a.size_bytes) : null, url: a.url },
        target.platform,
      ),
    )
    return [content.parentQuote ? target.quote(content.parentQuote) : null, text, ...files]
      .filter((line) => line !== null && line !== '')
      .join('\n')
  }

  private async threadOf(discussionId: string, platform: Platform): Promise<string> {
    const root = await this.db
      .selectFrom('message_links')
      .select('thread_id')
      .where('discussion_id', '=', discussionId)
      .where('reply_id', 'is', null)
      .where('platform', '=', platform)
      .orderBy('part')
      .executeTakeFirst()
    if (root?.thread_id == null)
      throw new DeliveryError(platform, 'the discussion has no thread there yet', { retryable: true })
    return root.thread_id
  }

  private links(discussionId: string, replyId: string | null, platform: Platform) {
    return this.db
      .selectFrom('message_links')
      .select(['platform', 'channel_id', 'message_id', 'thread_id', 'part', 'origin'])
      .where('discussion_id', '=', discussionId)
      .where((eb) => (replyId === null ? eb('reply_id', 'is', null) : eb('reply_id', '=', replyId)))
      .where('platform', '=', platform)
      .orderBy('part')
      .execute()
  }

  private async recordLink(
    tx: Transaction<Database>,
    platform: Platform,
    bridge: CommunityBridge,
    discussionId: string,
    replyId: string | null,
    part: PostedPart,
  ) {
    await tx
      .insertInto('message_links')
      .values({
        platform,
        channel_id: part.channelId ?? (platform === 'discord' ? part.threadId : bridge.channelId),
        message_id: part.messageId,
        thread_id: part.threadId,
        discussion_id: discussionId,
        reply_id: replyId,
        part: part.part,
        origin: 'mirror',
        created_at: this.clock.now(),
      })
      .onConflict((conflict) => conflict.doNothing())
      .execute()
  }

  private async load(discussionId: string, replyId: string | null): Promise<Content> {
    const authorOf = async (memberId: string): Promise<AuthorView> => {
      const identity = await this.db
        .selectFrom('identities')
        .innerJoin('members', 'members.id', 'identities.member_id')
        .select(['identities.platform', 'identities.display_name', 'identities.avatar_url'])
        .where('identities.member_id', '=', memberId)
        .orderBy('identities.updated_at', 'desc')
        .executeTakeFirst()
      return {
        displayName: identity?.display_name ?? 'someone',
        avatarUrl: identity?.avatar_url ?? null,
        platform: identity?.platform ?? null,
      }
    }
    const discussion = await this.db
      .selectFrom('discussions')
      .selectAll()
      .where('id', '=', discussionId)
      .executeTakeFirstOrThrow()
    if (replyId === null) {
      const attachments = await this.db
        .selectFrom('attachments')
        .select(['file_name', 'url', 'size_bytes'])
        .where('discussion_id', '=', discussionId)
        .execute()
      return {
        discussionId,
        replyId,
        text: discussion.body,
        format: discussion.body_format,
        author: await authorOf(discussion.author_member_id),
        title: discussion.title,
        parentQuote: null,
        attachments,
      }
    }
    const reply = await this.db
      .selectFrom('replies')
      .selectAll()
      .where('id', '=', replyId)
      .executeTakeFirstOrThrow()
    let parentQuote: string | null = null
    if (reply.parent_reply_id) {
      const parent = await this.db
        .selectFrom('replies')
        .selectAll()
        .where('id', '=', reply.parent_reply_id)
        .executeTakeFirstOrThrow()
      const parentAuthor = await authorOf(parent.author_member_id)
      const firstLine =
        parent.body === null
          ? DELETED_REPLY_TEXT
          : (parent.body.split('\n').find((line) => line.trim() !== '') ?? '')
      parentQuote = `${parentAuthor.displayName}: ${firstLine.length > 120 ? `${firstLine.slice(0, 119)}…` : firstLine}`
    }
    const attachments = await this.db
      .selectFrom('attachments')
      .select(['file_name', 'url', 'size_bytes'])
      .where('reply_id', '=', replyId)
      .execute()
    return {
      discussionId,
      replyId,
      text: reply.body,
      format: reply.body_format,
      author: await authorOf(reply.author_member_id),
      title: null,
      parentQuote,
      attachments,
    }
  }
}

function link0(links: { message_id: string }[]): string {
  return links[0]?.message_id ?? ''
}
