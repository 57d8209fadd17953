import Bottleneck from 'bottleneck'
import { DeliveryError } from '../errors.ts'
import type { Platform } from '../platform/platform.ts'
import type { SharedRateStore } from './shared-rate-store.ts'

/** A platform limit to stay under: at most one call per `minTimeMs`, and/or `amount` per `intervalMs`. */
export interface ShapeRule {
  minTimeMs?: number
  reservoir?: { amount: number; intervalMs: number }
}

export interface RateShaperOptions {
  /** Raises every limit by this factor, matching a sandbox whose limits were scaled up for fast tests. */
  scale?: number
  /**
   * Shapes nothing: no spacing, no budgets, no one-call-at-a-time per key. Calls still pass
   * through the limiters, so the capacity benchmark (a sandbox without limits) measures the
   * bridge's own cost of sending, limiters included. Never set against a real platform.
   */
  lifted?: boolean
  /** Counts the limits in Redis, shared with the other bridge processes; in this process when absent. */
  store?: SharedRateStore | undefined
  /**
   * How long a call may wait for its turn. Past it the call is refused as retryable and, should
   * its turn still come, it is not made: a job is leased for a minute, and a send that runs after
   * another worker took the job over could post it twice. Waits this long only happen when the
   * shared store is unreachable or a channel's budget is spent.
   */
  maxWaitMs?: number
  onError?: (error: Error) => void
}

/**
 * Spaces calls to a platform so they stay under its published limits, per bucket and per key
 * (a channel, a webhook): a steady flood is sent at the limit instead of being answered with 429s.
 * One limiter per key, so a busy channel never holds up a quiet one.
 */
export class RateShaper {
  private readonly groups = new Map<string, Bottleneck.Group>()
  private readonly scale: number
  private readonly maxWaitMs: number

  constructor(
    private readonly platform: Platform,
    private readonly rules: Readonly<Record<string, ShapeRule>>,
    private readonly options: RateShaperOptions = {},
  ) {
    this.scale = options.scale ?? 1
    this.maxWaitMs = options.maxWaitMs ?? 45_000
  }

  schedule<T>(bucket: string, key: string, work: () => Promise<T>): Promise<T> {
    const deadline = Date.now() + this.maxWaitMs
    const tooLate = () =>
      new DeliveryError(
        this.platform,
        `waited more than ${Math.round(this.maxWaitMs / 1000)} s for the rate limiter (${bucket})${this.options.store ? '; is Redis reachable?' : ''}`,
        { retryable: true },
      )
    let timer: NodeJS.Timeout | undefined
    const gaveUp = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(tooLate()), this.maxWaitMs)
    })
    const scheduled = this.group(bucket)
      .key(key)
      .schedule(() => (Date.now() > deadline ? Promise.reject(tooLate()) : work()))
    // Once the caller has given up, the scheduled call's own outcome is nobody's business.
    scheduled.catch(() => {})
    return Promise.race([scheduled, gaveUp]).finally(() => clearTimeout(timer))
  }

  private group(bucket: string): Bottleneck.Group {
    let group = this.groups.get(bucket)
    if (group === undefined) {
      const rule = this.rules[bucket] ?? {}
      const store = this.options.store
      const lifted = this.options.lifted ?? false
      group = new Bottleneck.Group({
        maxConcurrent: lifted ? null : 1,
        ...(rule.minTimeMs && !lifted ? { minTime: Math.ceil(rule.minTimeMs / this.scale) } : {}),
        ...(rule.reservoir && !lifted
          ? {
              reservoir: Math.floor(rule.reservoir.amount * this.scale),
              reservoirRefreshAmount: Math.floor(rule.reservoir.amount * this.scale),
              reservoirRefreshInterval: rule.reservoir.intervalMs,
            }
          : {}),
        ...(store
          ? {
              id: `${store.prefix}:${this.platform}:${bucket}`,
              datastore: 'ioredis',
              connection: store.connection,
              // Other processes share this state: never wipe it on start.
              clearDatastore: false,
              // With Redis a reservoir refills only on a heartbeat (5 s by default), which would
              // cut a 30-per-minute budget to a trickle.
              heartbeatInterval: 250,
            }
          : {}),
      })
      group.on('created', (limiter) => {
        limiter.on('error', (error: Error) => this.options.onError?.(error))
      })
      this.groups.set(bucket, group)
    }
    return group
  }

  async stop(): Promise<void> {
    await Promise.all(
      [...this.groups.values()].flatMap((group) =>
        group.limiters().map(({ limiter }) => limiter.stop({ dropWaitingJobs: false })),
      ),
    )
  }
}
