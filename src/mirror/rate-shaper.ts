import Bottleneck from 'bottleneck'

/** A platform limit to stay under: at most one call per `minTimeMs`, and/or `amount` per `intervalMs`. */
export interface ShapeRule {
  minTimeMs?: number
  reservoir?: { amount: number; intervalMs: number }
}

/**
 * Spaces calls to a platform so they stay under its published limits, per bucket and per key
 * (a channel, a webhook): a steady flood is sent at the limit instead of being answered with 429s.
 * One limiter per key, so a busy channel never holds up a quiet one. `scale` raises every limit by
 * that factor, matching a sandbox whose limits were scaled up for fast tests.
 */
export class RateShaper {
  private readonly groups = new Map<string, Bottleneck.Group>()

  constructor(
    private readonly rules: Readonly<Record<string, ShapeRule>>,
    private readonly scale = 1,
  ) {}

  schedule<T>(bucket: string, key: string, work: () => Promise<T>): Promise<T> {
    return this.group(bucket).key(key).schedule(work)
  }

  private group(bucket: string): Bottleneck.Group {
    let group = this.groups.get(bucket)
    if (group === undefined) {
      const rule = this.rules[bucket] ?? {}
      group = new Bottleneck.Group({
        maxConcurrent: 1,
        ...(rule.minTimeMs ? { minTime: Math.ceil(rule.minTimeMs / this.scale) } : {}),
        ...(rule.reservoir
          ? {
              reservoir: Math.floor(rule.reservoir.amount * this.scale),
              reservoirRefreshAmount: Math.floor(rule.reservoir.amount * this.scale),
              reservoirRefreshInterval: rule.reservoir.intervalMs,
            }
          : {}),
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
