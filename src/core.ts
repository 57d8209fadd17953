import type { Kysely } from 'kysely'
import { type Clock, systemClock } from './clock.ts'
import { CommunityRegistry } from './communities/community-registry.ts'
import {
  auditRestorations,
  type Restorations,
  type Revocations,
  revokeWhatConfigurationNoLongerGives,
  whatConfigurationDoesNotGiveYet,
} from './communities/configuration-revocations.ts'
import type { CommunityConfig } from './config/config-schema.ts'
import type { Executor } from './db/in-transaction.ts'
import type { Database } from './db/schema.ts'
import { firstClosedDmsNotice } from './digests/closed-dms.ts'
import { searchTimeZones } from './digests/time-zones.ts'
import { Discussions, deleteOpeningPostAtSource } from './discussions/discussions.ts'
import { type ContentSummary, findContentByMessage } from './discussions/find-content.ts'
import {
  type DiscussionLookup,
  type DiscussionSummary,
  findDiscussion,
  findDiscussionById,
  searchDiscussions as searchDiscussionsIn,
} from './discussions/find-discussion.ts'
import { applyLockReport, type LockReport } from './discussions/lock-reports.ts'
import { changeReaction, type ReactionChange } from './discussions/reactions.ts'
import { readThread, type Thread } from './discussions/read-thread.ts'
import { deleteAtSource, Replies } from './discussions/replies.ts'
import { claimInboundEvent } from './inbound/inbound-ledger.ts'
import { findDiscussionInThread, findLinkedContent, type LinkedContent } from './links/message-links.ts'
import { AccountLinks } from './members/account-links.ts'
import { readAuditLog } from './members/audit-log.ts'
import { type ErasureOutcome, eraseMember } from './members/erase-member.ts'
import { type ErasurePreview, previewErasure } from './members/erasure-preview.ts'
import {
  accountsOfMember,
  findAccounts,
  findMembersNamed,
  type KnownAccount,
  type MemberAccount,
} from './members/find-account.ts'
import { type MemberRef, Memberships } from './members/memberships.ts'
import { ModeratorAppointments } from './members/moderator-appointments.ts'
import { firstNoticeFor, type NoticeClaim, releaseNotice } from './members/non-member-notices.ts'
import { recordRefusal } from './members/record-refusal.ts'
import { markMirrorGone } from './mirror/mirror-gone.ts'
import { type MirrorPauseInput, mirroringPauses, setMirroringPaused } from './mirror/mirror-pauses.ts'
import { OutboxQueue } from './mirror/outbox-queue.ts'
import { retryDeadLetters } from './mirror/retry-dead-letters.ts'
import type { InboundOrigin, Platform, PlatformActor } from './platform/platform.ts'
import { Subscriptions } from './subscriptions/subscriptions.ts'

/** The core's services, bound to one executor: the database, or one transaction. */
/** What an adapter does when its platform reports a change to a message we know. */
export interface SourceChanges {
  /** The source message of a reply was deleted on its platform. */
  replyDeleted(replyId: string): Promise<void>
  /** The opening post was deleted on its platform: its words are purged, the discussion locked, its replies kept. */
  openingPostDeleted(discussionId: string): Promise<void>
  /**
   * The platform reports its thread locked or unlocked: the discussion follows when that was a
   * person's doing, not the echo of our own lock (see applyLockReport). True when it changed.
   */
  lockChanged(discussionId: string, report: LockReport): Promise<boolean>
}

export interface Services {
  communities: CommunityRegistry
  memberships: Memberships
  /** `/moderators`: moderators appointing and removing moderators. */
  moderators: ModeratorAppointments
  discussions: Discussions
  replies: Replies
  subscriptions: Subscriptions
  /** `/link` and `/unlink`: one person's accounts on both platforms as one member. */
  accountLinks: AccountLinks
  readThread(discussionId: string): Promise<Thread>
  /** Changes reported by a platform about its own messages. */
  atSource(platform: Platform): SourceChanges
}

export type InboundResult<T> = { duplicate: true } | { duplicate: false; value: T }

/**
 * Threadbridge's heart: the platform-neutral model of a community's discussions. Adapters and
 * commands call it; it never calls them (it tells the rest of the system through the outbox).
 */
export class Core implements Services {
  readonly communities: CommunityRegistry
  readonly memberships: Memberships
  readonly moderators: ModeratorAppointments
  readonly discussions: Discussions
  readonly replies: Replies
  readonly subscriptions: Subscriptions
  readonly accountLinks: AccountLinks

  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock = systemClock,
  ) {
    const services = bindServices(db, clock)
    this.communities = services.communities
    this.memberships = services.memberships
    this.moderators = services.moderators
    this.discussions = services.discussions
    this.replies = services.replies
    this.subscriptions = services.subscriptions
    this.accountLinks = services.accountLinks
    this.readThread = services.readThread
    this.atSource = services.atSource
  }

  readonly atSource: (platform: Platform) => SourceChanges

  readonly readThread: (discussionId: string) => Promise<Thread>

  /** Which of our records a platform message is, or mirrors: how adapters route edits, deletions and replies. */
  linkedContent(ref: {
    platform: Platform
    channelId: string
    messageId: string
  }): Promise<LinkedContent | undefined> {
    return findLinkedContent(this.db, ref)
  }

  /** The opening post or reply a platform message is, or mirrors: what a command about a message acts on. */
  contentAtMessage(ref: {
    platform: Platform
    channelId: string
    messageId: string
  }): Promise<ContentSummary | undefined> {
    return findContentByMessage(this.db, ref)
  }

  /**
   * Deletes an opening post (the discussion) or a reply everywhere, for its author or a moderator
   * (our role, or `platformModerator`): its words purged, tombstones on every platform, and the
   * author's own message removed where the platform lets the bot. Throws PermissionDeniedError.
   */
  async deleteContent(input: {
    content: { discussionId: string; replyId: string | null }
    actor: PlatformActor
    reason?: string | undefined
    platformModerator?: boolean
  }): Promise<void> {
    const { content, ...rest } = input
    if (content.replyId === null)
      await this.discussions.delete({ discussionId: content.discussionId, ...rest })
    else await this.replies.delete({ replyId: content.replyId, ...rest })
  }

  /** The community's discussion a person named by number or link, or the thread a command ran in. */
  findDiscussion(communityId: string, lookup: DiscussionLookup): Promise<DiscussionSummary | undefined> {
    return findDiscussion(this.db, communityId, lookup)
  }

  /** Up to `limit` live discussions matching what a person is typing: digits by number, else title words. */
  searchDiscussions(communityId: string, typed: string, limit = 25): Promise<DiscussionSummary[]> {
    return searchDiscussionsIn(this.db, communityId, typed, limit)
  }

  /** Time zones whose name holds what a person is typing, as the database (which times digests) knows them. */
  timeZones(typed: string, limit = 25): Promise<string[]> {
    return searchTimeZones(this.db, typed, limit)
  }

  /** A live discussion by its id, in any community (a digest's button names one this way). */
  discussionById(discussionId: string): Promise<DiscussionSummary | undefined> {
    return findDiscussionById(this.db, discussionId)
  }

  /** True the first time someone whose DMs were found closed runs a command afterwards: tell them then. */
  firstClosedDmsNotice(actor: PlatformActor): Promise<boolean> {
    return firstClosedDmsNotice(this.db, actor, this.clock.now())
  }

  /** Accounts on a platform by id or display name: the person a moderator named. */
  findAccounts(platform: Platform, by: { id: string } | { name: string }): Promise<KnownAccount[]> {
    return findAccounts(this.db, platform, by)
  }

  /** Accounts on either platform called `name` whose member belongs to the community: who a name finds. */
  findMembersNamed(communityId: string, name: string): Promise<MemberAccount[]> {
    return findMembersNamed(this.db, communityId, name)
  }

  /**
   * The platform accounts of the person a command names, on both platforms: a ban acts on the
   * person, so each of their accounts counts. An account we have never seen is only itself.
   */
  async accountsOf(ref: MemberRef): Promise<{ platform: Platform; platformUserId: string }[]> {
    if ('memberId' in ref) return accountsOfMember(this.db, ref.memberId)
    const [known] = await findAccounts(this.db, ref.platform, { id: ref.platformUserId })
    if (known === undefined) return [{ platform: ref.platform, platformUserId: ref.platformUserId }]
    return accountsOfMember(this.db, known.memberId)
  }

  /** The community's moderator actions, newest first, a page at a time (from 1). */
  auditLog(communityId: string, page: number, pageSize: number) {
    return readAuditLog(this.db, communityId, page, pageSize)
  }

  /** Someone without the right tried a moderators' command: the audit keeps who, which, and when. */
  recordRefusal(communityId: string, actor: PlatformActor, command: string): Promise<void> {
    return recordRefusal(this.db, this.clock.now(), { communityId, actor, command })
  }

  /** The mirror queue as a community's moderators see it: what waits, and what failed for good. */
  async bridgeStatus(communityId: string) {
    const queue = new OutboxQueue(this.db, this.clock)
    return {
      ...(await queue.waiting(communityId)),
      dead: await queue.deadLetters(communityId),
      paused: await mirroringPauses(this.db, communityId),
    }
  }

  /** `/bridge pause|resume`: stops or restarts all mirroring of a community or one discussion (see setMirroringPaused). */
  setMirroringPaused(input: MirrorPauseInput): Promise<boolean> {
    return setMirroringPaused(this.db, this.clock, input)
  }

  /** The time by this core's clock: when a confirmation was asked for, to tell a stale one. */
  now(): Date {
    return this.clock.now()
  }

  /** What erasing this person would turn into tombstones, without changing anything. */
  erasurePreview(account: {
    platform: Platform
    platformUserId: string
  }): Promise<ErasurePreview | undefined> {
    return previewErasure(this.db, account)
  }

  /**
   * Erases the person behind this account, all of it in one transaction (see erase-member.ts);
   * undefined when we hold nothing of theirs. The one place an erasure runs: anything that must
   * follow a committed erasure (vacuuming the purged rows away) belongs here, after the commit.
   */
  eraseMember(
    account: { platform: Platform; platformUserId: string },
    communityId: string,
  ): Promise<ErasureOutcome | undefined> {
    return this.db.transaction().execute((tx) => eraseMember(tx, account, communityId, this.clock.now()))
  }

  /** Puts a community's dead letters back in the queue for a moderator, audited; how many. */
  retryDeadLetters(communityId: string, moderator: PlatformActor): Promise<number> {
    return retryDeadLetters(this.db, this.clock, communityId, moderator)
  }

  /** Someone added or removed a reaction on a platform message we know. */
  react(change: ReactionChange): Promise<boolean> {
    return changeReaction(this.db, this.clock, change)
  }

  /**
   * Like linkedContent, but waits a little for a link that may be about to be recorded: a person
   * can answer a mirrored post in the instant between the platform accepting it and the engine
   * writing down that it is ours. Only called when the first lookup found nothing.
   */
  linkedContentSoon(
    ref: { platform: Platform; channelId: string; messageId: string },
    timeoutMs = 5000,
  ): Promise<LinkedContent | undefined> {
    return soon(() => findLinkedContent(this.db, ref), timeoutMs)
  }

  /**
   * The discussion a platform thread holds. With `waitMs`, waits that long for a link that may be
   * about to be recorded (a thread made moments ago may be our mirror, not yet written down).
   */
  discussionInThread(
    ref: { platform: Platform; threadId: string },
    waitMs = 0,
  ): Promise<LinkedContent | undefined> {
    return soon(() => findDiscussionInThread(this.db, ref), waitMs)
  }

  /** A discussion's thread on a platform was deleted there; true the first time (tell moderators then). */
  mirrorGone(discussionId: string, platform: Platform, reason: string): Promise<boolean> {
    return markMirrorGone(this.db, discussionId, platform, reason)
  }

  /** True the first time this account is told, in this discussion, this reason its message was refused. */
  firstRefusalNotice(claim: NoticeClaim): Promise<boolean> {
    return firstNoticeFor(this.db, claim)
  }

  /** The claimed notice was not delivered: the next message (or the event's retry) sends it. */
  releaseRefusalNotice(claim: NoticeClaim): Promise<void> {
    return releaseNotice(this.db, claim)
  }

  /**
   * Applies the configured communities, their bridges and their first moderators, takes back
   * what the configuration no longer gives, and audits what it gives back after taking it
   * (configuration-revocations.ts). A configured
   * moderator who is banned there is left banned, not made a moderator: returned, for the admin
   * to hear at start-up (a ban is a moderator's decision; the configuration does not undo it).
   */
  async applyConfig(communities: readonly CommunityConfig[]): Promise<{
    bannedModerators: { communityId: string; platform: Platform; userId: string }[]
    revoked: Revocations
    restored: Restorations
  }> {
    return this.db.transaction().execute(async (tx) => {
      const services = bindServices(tx, this.clock)
      const before = await whatConfigurationDoesNotGiveYet(tx, communities)
      await services.communities.sync(communities)
      const bannedModerators: { communityId: string; platform: Platform; userId: string }[] = []
      for (const community of communities) {
        for (const moderator of community.moderators) {
          // The display name is unknown until they act; their id stands in until then, and
          // never replaces the name they have once they have acted.
          const actor = {
            platform: moderator.platform,
            platformUserId: moderator.userId,
            displayName: moderator.userId,
            nameUnknown: true as const,
          }
          if (await services.memberships.isBanned(community.id, actor))
            bannedModerators.push({
              communityId: community.id,
              platform: moderator.platform,
              userId: moderator.userId,
            })
          else await services.memberships.grantModerator(community.id, actor)
        }
      }
      // What the file no longer names loses what the file gave: audited, and returned to be logged.
      const revoked = await revokeWhatConfigurationNoLongerGives(tx, communities, this.clock.now())
      const restored = await auditRestorations(tx, before, this.clock.now())
      return { bannedModerators, revoked, restored }
    })
  }

  /**
   * Applies one inbound platform event at most once. The event id is claimed in the same
   * transaction as its effect: a redelivery returns `{ duplicate: true }` and changes nothing,
   * and a failure rolls back the claim too, so the platform's retry can still succeed.
   */
  async inbound<T>(
    origin: InboundOrigin,
    apply: (services: Services) => Promise<T>,
  ): Promise<InboundResult<T>> {
    return this.db.transaction().execute(async (tx) => {
      if (!(await claimInboundEvent(tx, origin, this.clock.now()))) return { duplicate: true }
      return { duplicate: false, value: await apply(bindServices(tx, this.clock)) }
    })
  }

  /** Runs several service calls as one transaction: all of their changes and outbox rows, or none. */
  transaction<T>(work: (services: Services) => Promise<T>): Promise<T> {
    return this.db.transaction().execute((tx) => work(bindServices(tx, this.clock)))
  }
}

function bindServices(db: Executor, clock: Clock): Services {
  return {
    communities: new CommunityRegistry(db, clock),
    memberships: new Memberships(db, clock),
    moderators: new ModeratorAppointments(db, clock),
    discussions: new Discussions(db, clock),
    replies: new Replies(db, clock),
    subscriptions: new Subscriptions(db, clock),
    accountLinks: new AccountLinks(db, clock),
    readThread: (discussionId) => readThread(db, discussionId),
    atSource: (platform) => ({
      replyDeleted: (replyId) => deleteAtSource(db, clock, { replyId, sourcePlatform: platform }),
      openingPostDeleted: (discussionId) => deleteOpeningPostAtSource(db, clock, discussionId, platform),
      lockChanged: (discussionId, report) => applyLockReport(db, clock, discussionId, platform, report),
    }),
  }
}

/**
 * Reads until something is found or `timeoutMs` has passed, checking every 100 ms (a timer: see
 * mirror-worker). Real time, not the injected clock: it waits on real timers for another
 * process's write, and a clock that tests hold still would make it wait forever.
 */
async function soon<T>(read: () => Promise<T | undefined>, timeoutMs: number): Promise<T | undefined> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const found = await read()
    if (found !== undefined || Date.now() >= deadline) return found
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}
