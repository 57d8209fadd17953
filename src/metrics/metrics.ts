import type { Platform } from '../platform/platform.ts'

/** How a mirror job attempt ended. */
export type MirrorOutcome = 'mirrored' | 'retried' | 'dead_lettered'

/**
 * The metrics port: what the core counts, in its own words. bin/ implements it with prom-client,
 * so the core neither imports a metrics library nor knows the exposition format; tests and
 * benchmarks pass nothing and get {@link noMetrics}.
 */
export interface Metrics {
  /**
   * A mirror job attempt ended. `platform` is where the content was written (`core` when it came
   * from a command, not a platform message); `latencySeconds` runs from the outbox row's creation
   * to the mirror posted, and is given for `mirrored` only.
   */
  mirrorJob(platform: Platform | 'core', outcome: MirrorOutcome, latencySeconds?: number): void
  /** A platform answered 429 (or its SDK reported a rate limit) to a mirror delivery. */
  rateLimited(platform: Platform): void
  /**
   * A slash command, shortcut or form ran. `command` is the name as asked, possibly typed by a
   * person: an implementation counts names that are not our commands' under one label.
   */
  commandRan(command: string, platform: Platform): void
  /** Due digests were decided (one run of the scheduler, by timer or on demand). */
  digestRun(): void
}

export const noMetrics: Metrics = {
  mirrorJob: () => {},
  rateLimited: () => {},
  commandRan: () => {},
  digestRun: () => {},
}
