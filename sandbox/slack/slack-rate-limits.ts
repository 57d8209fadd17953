import { FixedWindow } from '../http/fixed-window.ts'

/**
 * Slack's published tiers, per method per workspace per minute, and chat.postMessage's special
 * limit of about one message per second per channel with short bursts allowed
 * (https://api.slack.com/apis/rate-limits). `scale` multiplies the counts for fast tests.
 */
export const SLACK_TIERS: Record<string, number> = {
  'apps.connections.open': 20,
  'auth.test': 600,
  'chat.getPermalink': 600,
  'chat.update': 50,
  'chat.delete': 50,
  'chat.postEphemeral': 100,
  'conversations.history': 50,
  'conversations.replies': 50,
  'conversations.info': 50,
  'conversations.open': 50,
  'users.info': 100,
  'reactions.add': 50,
  'reactions.remove': 50,
  // Tier 4 (https://api.slack.com/methods/views.open and its siblings).
  'views.open': 100,
  'views.update': 100,
  'views.push': 100,
}
/** chat.postMessage: one per second per channel, with a burst allowance of a few messages. */
export const POST_MESSAGE_PER_CHANNEL = { ratePerSecond: 1, burst: 3 }
/** chat.postMessage across the workspace: "several hundred per minute". */
export const POST_MESSAGE_WORKSPACE_PER_MINUTE = 300

/** A token bucket: `burst` calls at once, refilled at `ratePerSecond`. */
class TokenBucket {
  private tokens: number
  private updated: number

  constructor(
    private readonly ratePerSecond: number,
    private readonly burst: number,
    now: number,
  ) {
    this.tokens = burst
    this.updated = now
  }

  take(now: number): number {
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.updated) / 1000) * this.ratePerSecond)
    this.updated = now
    if (this.tokens >= 1) {
      this.tokens -= 1
      return 0
    }
    return ((1 - this.tokens) / this.ratePerSecond) * 1000
  }
}

export class SlackRateLimiter {
  private readonly windows = new Map<string, FixedWindow>()
  private readonly buckets = new Map<string, TokenBucket>()

  /** `lifted`: every call goes through at once, for the capacity benchmark; faithful (false) elsewhere. */
  constructor(
    private readonly scale = 1,
    private readonly lifted = false,
  ) {}

  /** Milliseconds to wait before this call may be made, or 0 to let it through (and count it). */
  check(method: string, channel: string | undefined, now = Date.now()): number {
    if (this.lifted) return 0
    if (method === 'chat.postMessage') {
      const workspace = this.window('chat.postMessage', POST_MESSAGE_WORKSPACE_PER_MINUTE)
      const key = `chat.postMessage:${channel ?? ''}`
      let bucket = this.buckets.get(key)
      if (bucket === undefined) {
        bucket = new TokenBucket(
          POST_MESSAGE_PER_CHANNEL.ratePerSecond * this.scale,
          Math.max(1, Math.round(POST_MESSAGE_PER_CHANNEL.burst * this.scale)),
          now,
        )
        this.buckets.set(key, bucket)
      }
      const wait = bucket.take(now)
      if (wait > 0) return wait
      const overall = workspace.take(now)
      return overall.ok ? 0 : overall.retryAfterMs
    }
    const perMinute = SLACK_TIERS[method]
    if (perMinute === undefined) return 0
    const result = this.window(method, perMinute).take(now)
    return result.ok ? 0 : result.retryAfterMs
  }

  private window(key: string, perMinute: number): FixedWindow {
    let window = this.windows.get(key)
    if (window === undefined) {
      window = new FixedWindow(Math.max(1, Math.round(perMinute * this.scale)), 60_000)
      this.windows.set(key, window)
    }
    return window
  }
}
