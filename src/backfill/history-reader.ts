import type { MessagePosted } from '../inbound/platform-event.ts'
import type { Platform } from '../platform/platform.ts'

/**
 * One platform thread from a bridged channel's past: a Discord forum post, a Slack top-level
 * message with its thread. Its messages are people's only (bots, webhooks and our own mirrors are
 * left out, as they are live), in the core's terms, oldest first; the opening post, when it was
 * written within the window read, comes first.
 */
export interface HistoryThread {
  /** When the thread was opened: threads are replayed in this order, oldest first. */
  openedAt: Date
  messages: MessagePosted[]
}

/**
 * Reads a bridged channel's history from its platform: an adapter's, since only adapters talk to
 * a platform. What the messages mean is decided in src/ (Backfill, InboundDecisions), exactly as
 * for live events.
 */
export interface HistoryReader {
  readonly platform: Platform
  /** The threads opened in the channel at or after `since`, with their messages written since then. */
  threads(channelId: string, since: Date): Promise<HistoryThread[]>
}
