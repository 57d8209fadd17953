import type { Clock } from '../clock.ts'
import type { Core } from '../core.ts'
import type { BodyFormat } from '../db/schema.ts'
import { DELETED_DISCUSSION_TEXT } from '../discussions/content-rules.ts'
import { openingPostOf } from '../discussions/opening-post.ts'
import { isRefusalToTell, NotAMemberError, ValidationError } from '../errors.ts'
import type { LinkedContent } from '../links/message-links.ts'
import { joinHint } from '../members/memberships.ts'
import type { DeadLetters, ModeratorAlerts } from '../mirror/mirror-gone.ts'
import { moderatorMessages, platformName } from '../mirror/moderator-messages.ts'
import type { MentionNames } from '../names/mention-names.ts'
import type { Platform, PlatformActor } from '../platform/platform.ts'
import type { PlatformPort } from '../platform/platform-port.ts'
import type {
  AsOpeningPost,
  ChannelChanged,
  EventAuthor,
  MessageDeleted,
  MessageEdited,
  MessagePosted,
  PlatformEvent,
  ReactionChanged,
  ThreadDeleted,
  ThreadLockChanged,
  ThreadStarted,
} from './platform-event.ts'
import { isTransientFailure } from './transient-failure.ts'

/** A thread younger than this may be our own mirror whose link is still being written. */
const YOUNG_THREAD_MS = 60_000
/** How long to wait for that link before deciding the thread is not ours. */
const LINK_WAIT_MS = 5000
/** A thread of its own opens a discussion with its creator's first message only this soon after it began. */
const OWN_THREAD_OPENS_WITHIN_MS = 10 * 60_000

export interface InboundDecisionsDeps {
  core: Core
  /** Names for the mentions in a title taken from a message's first line. */
  names: MentionNames
  /** Each platform's port: how a refused writer is told, and how a name is looked up. */
  ports: ReadonlyMap<Platform, PlatformPort>
  alerts: ModeratorAlerts
  deadLetters: DeadLetters
  clock: Clock
}

/**
 * What a platform event means, decided once for every platform: which message opens a
 * discussion and which replies to one, that only the source of a message (never our mirror of
 * it) is edited or deleted through it, that a deleted opening post leaves a locked tombstone,
 * that a thread deleted under a mirror stops it and tells the moderators, and that a refused
 * writer hears why, privately, once per discussion and reason. Adapters only parse.
 */
export class InboundDecisions {
  constructor(private readonly deps: InboundDecisionsDeps) {}

  apply(event: PlatformEvent): Promise<void> {
    switch (event.kind) {
      case 'message_posted':
        return this.posted(event)
      case 'message_edited':
        return this.edited(event)
      case 'message_deleted':
        return this.deleted(event)
      case 'reaction_changed':
        return this.reacted(event)
      case 'thread_started':
        return this.threadStarted(event)
      case 'thread_deleted':
        return this.threadDeleted(event)
      case 'thread_lock_changed':
        return this.threadLockChanged(event)
      case 'channel_archived':
      case 'channel_deleted':
      case 'channel_unarchived':
        return this.channelChanged(event)
    }
  }

  private async posted(event: MessagePosted): Promise<void> {
    const { core } = this.deps
    const platform = event.origin.platform
    const community = await core.communities.findByChannel(platform, event.channelId)
    if (community === undefined) return
    if (event.opens !== undefined) return this.open(event, community.id, event.opens)
    const thread = event.thread
    if (thread === undefined) return
    const ref = { platform, threadId: thread.threadId }
    let discussion = await core.discussionInThread(ref)
    const ageMs = this.deps.clock.now().getTime() - thread.startedAt.getTime()
    if (
      discussion === undefined &&
      thread.mayOpen !== undefined &&
      ageMs < OWN_THREAD_OPENS_WITHIN_MS &&
      (await thread.mayOpen.isThreadOfItsOwn())
    )
      return this.open(event, community.id, { title: thread.mayOpen.title, body: event.text })
    // A thread made moments ago may be our mirror, whose link is still being written.
    if (discussion === undefined && ageMs < YOUNG_THREAD_MS && event.backfilled !== true)
      discussion = await core.discussionInThread(ref, LINK_WAIT_MS)
    if (discussion === undefined) return // a thread from before the bridge, or not ours
    const { discussionId } = discussion
    const parent = await this.answered(event, thread)
    const author = await this.actor(platform, event.author)
    await core
      .inbound(event.origin, (s) =>
        s.replies.post({
          discussionId,
          parentReplyId: parent?.replyId ?? null,
          author,
          body: event.text,
          format: event.format,
          attachments: event.attachments,
          source: event.source,
        }),
      )
      .catch((error: unknown) => this.refused(event, error, discussionId))
  }

  /**
   * The content a nested reply answers. A person can answer our mirror in the instant between the
   * platform showing it and the engine writing down that it is ours: for a message posted moments
   * ago, wait a little for its link rather than lose the nesting.
   */
  private async answered(event: MessagePosted, thread: NonNullable<MessagePosted['thread']>) {
    if (thread.answersMessageId === undefined) return undefined
    const ref = {
      platform: event.origin.platform,
      channelId: event.source.channelId,
      messageId: thread.answersMessageId,
    }
    const found = await this.deps.core.linkedContent(ref)
    const ageMs = this.deps.clock.now().getTime() - (thread.answersPostedAt?.getTime() ?? 0)
    if (found !== undefined || ageMs >= YOUNG_THREAD_MS || event.backfilled === true) return found
    return this.deps.core.linkedContentSoon(ref, LINK_WAIT_MS)
  }

  /**
   * The title and body a message opens a discussion with (or, edited, now gives it). Where the
   * platform has no titles, the first line is the title, read with the names of the people it
   * mentions: looked up here, before any transaction, since a name may cost a platform call.
   */
  private async openingPost(
    text: string,
    format: BodyFormat,
    post: AsOpeningPost,
  ): Promise<{ title?: string; body: string }> {
    if (!('titledByFirstLine' in post)) return post
    const firstLine = text.split('\n', 1)[0] ?? ''
    return openingPostOf(text, await this.deps.names.contextFor(firstLine, format))
  }

  /** A thread started from a message: the message (its starter) opens the discussion, the thread's name its title. */
  private async threadStarted(event: ThreadStarted): Promise<void> {
    const community = await this.deps.core.communities.findByChannel(event.origin.platform, event.channelId)
    if (community === undefined) return
    const starter = await event.readStarter()
    if (starter?.opens !== undefined) await this.open(starter, community.id, starter.opens)
  }

  private async open(event: MessagePosted, communityId: string, opens: NonNullable<MessagePosted['opens']>) {
    const author = await this.actor(event.origin.platform, event.author)
    // Membership first: a non-member's text is never parsed (parsing costs, and names cost
    // look-ups). The core still checks inside its transaction, and refuses with the reason.
    const member = await this.deps.core.memberships.mayPost(
      communityId,
      author.platform,
      author.platformUserId,
    )
    const opening = member ? await this.openingPost(event.text, event.format, opens) : { body: event.text }
    await this.deps.core
      .inbound(event.origin, (s) =>
        s.discussions.start({
          communityId,
          author,
          title: opening.title ?? 'Discussion',
          body: opening.body,
          format: event.format,
          attachments: event.attachments,
          source: event.source,
        }),
      )
      .catch((error: unknown) => this.refused(event, error, null))
  }

  /** Only the source is edited through its platform; an edit to our mirror (by an admin) changes nothing. */
  private async edited(event: MessageEdited): Promise<void> {
    const link = await this.deps.core.linkedContent(event.ref)
    if (link === undefined || link.origin !== 'source') return
    const editor = await this.actor(event.ref.platform, event.author)
    const sourcePlatform = event.ref.platform
    const asOpeningPost =
      link.replyId === null
        ? await this.openingPost(event.text, event.ref.platform, event.asOpeningPost)
        : undefined
    // When it was made: a delivery can come after a later edit's, and is then ignored.
    const stamp = event.editedAtUs === undefined ? {} : { editedAtUs: event.editedAtUs }
    await this.deps.core.inbound(event.origin, async (s) => {
      if (link.replyId !== null)
        await s.replies.edit({ replyId: link.replyId, editor, body: event.text, sourcePlatform, ...stamp })
      else
        await s.discussions.edit({
          discussionId: link.discussionId,
          editor,
          ...asOpeningPost,
          body: asOpeningPost?.body ?? event.text,
          sourcePlatform,
          ...stamp,
        })
    })
  }

  private async deleted(event: MessageDeleted): Promise<void> {
    const { core } = this.deps
    const platform = event.ref.platform
    const link = await core.linkedContent(event.ref)
    if (link === undefined) return
    if (link.origin === 'source') return this.deletedAtSource(event, link)
    // Someone (an admin) deleted our mirror of a discussion: the thread's home there is gone.
    // Stop writing to it and say so once. (The later parts of a long opening post live in the
    // thread; the bot deletes those itself when an edit makes the post shorter: no alarm.)
    if (link.replyId !== null || !event.wasThreadRoot) return
    if (
      !(await core.mirrorGone(
        link.discussionId,
        platform,
        `the ${platformName(platform)} thread was deleted`,
      ))
    )
      return
    const discussion = await core.discussions.get(link.discussionId)
    await this.deps.alerts.tellModerators(
      discussion.community_id,
      moderatorMessages.threadDeleted(platform, discussion.title ?? DELETED_DISCUSSION_TEXT),
    )
  }

  /** The writer deleted it (or their platform's moderators did): a reply leaves a tombstone, an opening post a locked one. */
  private async deletedAtSource(event: MessageDeleted, link: LinkedContent): Promise<void> {
    const platform = event.origin.platform
    await this.deps.core.inbound(event.origin, async (s) => {
      if (link.replyId !== null) await s.atSource(platform).replyDeleted(link.replyId)
      else await s.atSource(platform).openingPostDeleted(link.discussionId)
    })
  }

  private async reacted(event: ReactionChanged): Promise<void> {
    const link = await this.deps.core.linkedContent(event.ref)
    if (link === undefined) return
    await this.deps.core.react({
      discussionId: link.discussionId,
      replyId: link.replyId,
      emoji: event.emoji,
      platform: event.ref.platform,
      platformUserId: event.platformUserId,
      added: event.added,
    })
  }

  /**
   * A thread was deleted with what was in it. A forum post's opening message lives in its thread
   * and went with it; a text channel's starter stays in the channel. Either way the discussion
   * lives on elsewhere and only this platform's copy is gone: stop writing to it (no endless
   * retries into a deleted channel) and say so, once.
   */
  /**
   * A thread locked or unlocked on its platform by a person locks or unlocks the discussion
   * everywhere; the echo of the bridge's own lock changes nothing (see applyLockReport).
   */
  private async threadLockChanged(event: ThreadLockChanged): Promise<void> {
    const platform = event.origin.platform
    const discussion = await this.deps.core.discussionInThread({ platform, threadId: event.threadId })
    if (discussion === undefined) return
    await this.deps.core.atSource(platform).lockChanged(discussion.discussionId, {
      locked: event.locked,
      ...(event.readLocked ? { readNow: event.readLocked } : {}),
    })
  }

  private async threadDeleted(event: ThreadDeleted): Promise<void> {
    const { core } = this.deps
    const platform = event.origin.platform
    const community = await core.communities.findByChannel(platform, event.channelId)
    const discussion = await core.discussionInThread({ platform, threadId: event.threadId })
    if (community === undefined || discussion === undefined) return
    if (event.openingPostInThread !== undefined) {
      const opening = await core.linkedContent(event.openingPostInThread)
      if (opening?.origin === 'source')
        await core.atSource(platform).openingPostDeleted(discussion.discussionId)
    }
    if (
      await core.mirrorGone(
        discussion.discussionId,
        platform,
        `the ${platformName(platform)} thread was deleted`,
      )
    )
      await this.deps.alerts.tellModerators(
        community.id,
        moderatorMessages.threadDeleted(platform, event.name),
      )
  }

  /**
   * The bridged channel was archived or deleted: nothing more reaches it until it is back or the
   * community is bridged elsewhere. Moderators hear it now, once; what fails meanwhile is kept as
   * dead letters, with the reason, and an unarchived channel gets them back, in order.
   */
  private async channelChanged(event: ChannelChanged): Promise<void> {
    const platform = event.origin.platform
    const community = await this.deps.core.communities.findByChannel(platform, event.channelId)
    if (community === undefined) return
    let text: string
    if (event.kind === 'channel_deleted') text = moderatorMessages.channelDeleted(platform, event.name)
    else if (event.kind === 'channel_archived') text = moderatorMessages.channelArchived(platform)
    else {
      const retried =
        event.retryFailuresStartingWith === undefined
          ? 0
          : await this.deps.deadLetters.retryDeadFailedWith(community.id, event.retryFailuresStartingWith)
      text = moderatorMessages.channelUnarchived(platform, retried)
    }
    await this.deps.alerts.tellModerators(community.id, text)
  }

  /** The author as the core records them: named by the event, or looked up (and the id if not even that). */
  private async actor(platform: Platform, author: EventAuthor): Promise<PlatformActor> {
    if (author.displayName !== undefined) return { platform, ...author, displayName: author.displayName }
    const person = await this.port(platform).lookUpUser(author.platformUserId)
    if (person === undefined)
      return {
        platform,
        platformUserId: author.platformUserId,
        displayName: author.platformUserId,
        nameUnknown: true,
      }
    return { platform, platformUserId: author.platformUserId, ...person }
  }

  /** A live writer hears why; a backfilled message's refusal is the backfill's to count. */
  private refused(event: MessagePosted, error: unknown, discussionId: string | null): Promise<void> {
    if (event.backfilled === true) return Promise.reject(error)
    return this.tellPrivately(event, error, discussionId)
  }

  /**
   * Someone whose message the core refused (not a member, banned, a locked discussion) hears why,
   * privately, once per discussion and reason rather than once per message: a new reason (banned
   * since they were told the discussion is locked) is told in its turn. Other failures are thrown.
   */
  private async tellPrivately(event: MessagePosted, error: unknown, discussionId: string | null) {
    if (!isRefusalToTell(error)) throw error
    const platform = event.origin.platform
    const userId = event.author.platformUserId
    const claim =
      discussionId === null
        ? undefined
        : { platform, platformUserId: userId, discussionId, reason: error.code }
    if (claim !== undefined && !(await this.deps.core.firstRefusalNotice(claim))) return
    const port = this.port(platform)
    // The way to join is said as this person types a command where they are.
    const text =
      error instanceof NotAMemberError
        ? `You need to be a member of ${error.communityName} to add comments! ${joinHint(error.communityName, port.commandLine?.('join'))}`
        : error.message
    try {
      await port.tellPrivately({
        platformUserId: userId,
        channelId: event.source.channelId,
        threadId: event.thread?.threadId ?? null,
        text,
      })
    } catch (sendError) {
      // Not told after all: give the claim back, so the event's retry tells them. A refusal no
      // retry can change (their direct messages are closed) keeps it: they are not asked again.
      if (claim !== undefined && isTransientFailure(sendError))
        await this.deps.core.releaseRefusalNotice(claim)
      throw sendError
    }
  }

  private port(platform: Platform): PlatformPort {
    const port = this.deps.ports.get(platform)
    if (port === undefined) throw new ValidationError(`${platform} is not connected`)
    return port
  }
}
