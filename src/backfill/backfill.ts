import type { Core } from '../core.ts'
import { BannedError, isRefusalToTell, NotAMemberError } from '../errors.ts'
import type { InboundDecisions } from '../inbound/inbound-decisions.ts'
import type { MessagePosted } from '../inbound/platform-event.ts'
import type { Platform } from '../platform/platform.ts'
import type { HistoryReader, HistoryThread } from './history-reader.ts'

/** What happened to each message read, counted for the summary. */
export interface BackfillCounts {
  /** People's messages read from the platforms' history. */
  read: number
  /** Became a discussion or reply now: the outbox carries it to the other platform. */
  mirrored: number
  /** Already ours (arrived live, or in an earlier run): left as it is. */
  known: number
  /** Written by someone who is not a member (or is banned): not mirrored, as live. */
  notMembers: number
  /** Refused for another reason a live message would be (a locked or deleted discussion). */
  refused: number
  /** A reply in a thread that holds no discussion (its opening post is older than the window, or was not mirrored). */
  outsideDiscussions: number
}

export interface BackfillProgress {
  platform: Platform
  done: number
  total: number
}

export interface BackfillDeps {
  core: Core
  decisions: InboundDecisions
  readers: readonly HistoryReader[]
  /** Called after each message, and once per platform when its history has been read. */
  onProgress?: (progress: BackfillProgress) => void
  /**
   * Whether a failure may pass on a later try (a connection dropped, a 5xx, the database
   * restarting), as the inbound runner decides for live events: such a step is tried again.
   */
  isTransient: (error: unknown) => boolean
  /** The first wait before a retry, doubled each time. */
  retryDelayMs?: number
  /** How many outbox jobs wait to be delivered (OutboxQueue.depth): the backfill keeps ahead of delivery by at most MAX_AHEAD. */
  pendingJobs: () => Promise<number>
  /** How long to wait before looking again when it is that far ahead. */
  pollMs?: number
}

/**
 * How far applying may run ahead of delivery, in outbox jobs. A backfill applies far faster than
 * the platforms' limits let anything be posted: unbounded, it would put thousands of jobs ahead
 * of live messages (the worker claims oldest first) and make every claim read them all.
 */
export const MAX_AHEAD = 200
/** The outbox is looked at once per this many messages, not once per message. */
const CHECK_EVERY = 25

/** Tries of one step before its failure ends the run (which can simply be run again). */
const ATTEMPTS = 6

/**
 * Mirrors the past of every bridged channel: each message read becomes what it would have become
 * had it arrived live, through the same InboundDecisions, the same rules (members only) and the
 * same outbox, so the mirror worker delivers it within the platforms' rate limits.
 *
 * At most once: a message already linked (mirrored live, or by an earlier run) is skipped, and
 * each is applied under a stable event id of its own, claimed in processed_events in the
 * transaction that applies it; a run killed halfway is simply run again. Oldest thread first,
 * and in each thread its opening post before its replies, so a reply finds its discussion.
 */
export class Backfill {
  constructor(private readonly deps: BackfillDeps) {}

  async run(since: Date): Promise<BackfillCounts> {
    const counts: BackfillCounts = {
      read: 0,
      mirrored: 0,
      known: 0,
      notMembers: 0,
      refused: 0,
      outsideDiscussions: 0,
    }
    for (const reader of this.deps.readers) {
      const threads = await this.read(reader, since)
      const total = threads.reduce((sum, thread) => sum + thread.messages.length, 0)
      let done = 0
      this.deps.onProgress?.({ platform: reader.platform, done, total })
      for (const thread of threads) {
        for (const message of thread.messages) {
          if (counts.read % CHECK_EVERY === 0) await this.keepPace()
          counts.read += 1
          counts[await this.retrying(() => this.apply(message))] += 1
          // The embedded database answers through microtasks: applying message after message
          // would never let timers or sockets run (lease renewals, the platforms' answers,
          // /healthz, a Ctrl-C). One turn of the event loop per message lets them.
          await new Promise((resolve) => setImmediate(resolve))
          done += 1
          this.deps.onProgress?.({ platform: reader.platform, done, total })
        }
      }
    }
    return counts
  }

  /** Every bridged channel's threads on the reader's platform, oldest first. */
  private async read(reader: HistoryReader, since: Date): Promise<HistoryThread[]> {
    const { core } = this.deps
    const threads: HistoryThread[] = []
    for (const community of await core.communities.list()) {
      for (const bridge of await core.communities.bridges(community.id)) {
        if (bridge.platform === reader.platform)
          threads.push(...(await this.retrying(() => reader.threads(bridge.channelId, since))))
      }
    }
    return threads.sort((a, b) => a.openedAt.getTime() - b.openedAt.getTime())
  }

  private async keepPace(): Promise<void> {
    while ((await this.deps.pendingJobs()) >= MAX_AHEAD)
      await new Promise((resolve) => setTimeout(resolve, this.deps.pollMs ?? 200))
  }

  private async retrying<T>(step: () => Promise<T>): Promise<T> {
    const baseMs = this.deps.retryDelayMs ?? 250
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await step()
      } catch (error) {
        if (attempt >= ATTEMPTS || !this.deps.isTransient(error)) throw error
        await new Promise((resolve) => setTimeout(resolve, baseMs * 2 ** (attempt - 1)))
      }
    }
  }

  private async apply(message: MessagePosted): Promise<Exclude<keyof BackfillCounts, 'read'>> {
    const { core, decisions } = this.deps
    const { source } = message
    if ((await core.linkedContent(source)) !== undefined) return 'known'
    try {
      await decisions.apply({ ...message, origin: backfillOrigin(message), backfilled: true })
    } catch (error) {
      if (error instanceof NotAMemberError || error instanceof BannedError) return 'notMembers'
      if (isRefusalToTell(error)) return 'refused'
      throw error
    }
    return (await core.linkedContent(source)) === undefined ? 'outsideDiscussions' : 'mirrored'
  }
}

/**
 * The event id a backfilled message is applied under: stable across runs (so a second run finds
 * its claim), and apart from the platforms' own event ids (Slack's are per delivery, not per
 * message), which is why the message_links check comes first.
 */
export function backfillOrigin(message: MessagePosted): MessagePosted['origin'] {
  const { platform, channelId, messageId } = message.source
  return { platform, eventId: `backfill:${channelId}:${messageId}` }
}
