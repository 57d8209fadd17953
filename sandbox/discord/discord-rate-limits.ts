import { createHash } from 'node:crypto'
import { FixedWindow } from '../http/fixed-window.ts'

export interface BucketRule {
  limit: number
  windowMs: number
}

/**
 * Discord's limits (https://discord.com/developers/docs/topics/rate-limits): documented global 50/s,
 * observed per-route buckets. `scale` multiplies every count, so tests can run fast while the
 * benchmark keeps the real values.
 */
export const DISCORD_LIMITS = {
  global: { limit: 50, windowMs: 1000 },
  routes: {
    'POST /channels/:id/messages': { limit: 5, windowMs: 5000 },
    'PATCH /channels/:id/messages/:message_id': { limit: 5, windowMs: 5000 },
    'DELETE /channels/:id/messages/:message_id': { limit: 5, windowMs: 1000 },
    'POST /channels/:id/threads': { limit: 5, windowMs: 60_000 },
    'POST /webhooks/:id/:token': { limit: 5, windowMs: 2000 },
    'PATCH /webhooks/:id/:token/messages/:message_id': { limit: 5, windowMs: 2000 },
    'DELETE /webhooks/:id/:token/messages/:message_id': { limit: 5, windowMs: 2000 },
    'PUT /channels/:id/messages/:message_id/reactions/:emoji/@me': { limit: 1, windowMs: 250 },
    'DELETE /channels/:id/messages/:message_id/reactions/:emoji/@me': { limit: 1, windowMs: 250 },
  } as Record<string, BucketRule>,
  fallback: { limit: 50, windowMs: 1000 },
  /** Webhook posts into one channel: a limit Discord does not announce in headers, only as a 429. */
  webhookPerChannel: { limit: 30, windowMs: 60_000 },
}

export type RateDecision =
  | { ok: true; headers: Record<string, string> }
  | {
      ok: false
      headers: Record<string, string>
      retryAfter: number
      global: boolean
      scope: 'user' | 'global' | 'shared'
    }

export class DiscordRateLimiter {
  private readonly windows = new Map<string, FixedWindow>()

  /**
   * `lifted`: every call goes through and no bucket is announced, as if Discord had no limits, so
   * the capacity benchmark measures the bridge rather than the emulated limits (and discord.js,
   * seeing no bucket, never waits for one either). Faithful (false) everywhere else.
   */
  constructor(
    private readonly scale = 1,
    private readonly lifted = false,
  ) {}

  private window(key: string, rule: BucketRule): FixedWindow {
    let window = this.windows.get(key)
    if (window === undefined) {
      window = new FixedWindow(Math.max(1, Math.round(rule.limit * this.scale)), rule.windowMs)
      this.windows.set(key, window)
    }
    return window
  }

  /**
   * Decides one request. `majorId` is the route's top-level resource (channel, webhook). Counts
   * only what is let through: a refused request spends nothing, as on Discord.
   */
  check(
    route: string,
    majorId: string,
    options: { global: boolean; webhookChannelId?: string | undefined },
    now = Date.now(),
  ): RateDecision {
    if (this.lifted) return { ok: true, headers: {} }
    const rule = DISCORD_LIMITS.routes[route] ?? DISCORD_LIMITS.fallback
    const bucketHash = createHash('sha1').update(route).digest('hex').slice(0, 16)
    if (options.global) {
      const global = this.window('global', DISCORD_LIMITS.global).take(now)
      if (!global.ok) return refuse(global.retryAfterMs, true, 'global', {})
    }
    if (options.webhookChannelId !== undefined) {
      const perChannel = this.window(
        `webhook-channel:${options.webhookChannelId}`,
        DISCORD_LIMITS.webhookPerChannel,
      ).take(now)
      if (!perChannel.ok) return refuse(perChannel.retryAfterMs, false, 'shared', {})
    }
    const window = this.window(`${route}:${majorId}`, rule)
    const result = window.take(now)
    const headers = (remaining: number, resetAt: number): Record<string, string> => ({
      'x-ratelimit-limit': String(window.limit),
      'x-ratelimit-remaining': String(remaining),
      'x-ratelimit-reset': (resetAt / 1000).toFixed(3),
      'x-ratelimit-reset-after': (Math.max(0, resetAt - now) / 1000).toFixed(3),
      'x-ratelimit-bucket': bucketHash,
    })
    if (!result.ok) return refuse(result.retryAfterMs, false, 'user', headers(0, result.resetAt))
    return { ok: true, headers: headers(result.remaining, result.resetAt) }
  }
}

function refuse(
  retryAfterMs: number,
  global: boolean,
  scope: 'user' | 'global' | 'shared',
  headers: Record<string, string>,
): RateDecision {
  const retryAfter = Math.max(0.001, retryAfterMs / 1000)
  return {
    ok: false,
    retryAfter,
    global,
    scope,
    headers: {
      ...headers,
      'retry-after': retryAfter.toFixed(3),
      'x-ratelimit-scope': scope,
      ...(global ? { 'x-ratelimit-global': 'true' } : {}),
    },
  }
}
