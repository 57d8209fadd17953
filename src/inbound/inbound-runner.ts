import type { Logger } from '../logger.ts'
import type { Platform } from '../platform/platform.ts'
import type { InboundEvent, InboundSpool } from './inbound-spool.ts'
import { KeyedQueue } from './keyed-queue.ts'

export interface InboundRunnerOptions {
  /** Whether a failure may pass on a later try (see isTransientFailure); others are final. */
  isTransient: (error: unknown) => boolean
  baseDelayMs?: number
  maxDelayMs?: number
}

/**
 * Applies platform events in order per key, and never drops one because the database (or the
 * platform, for a lookup) is briefly away or the process stops. Each event is kept in the spool
 * from its arrival until it is applied; one whose failure is transient is retried with growing
 * delays, and the key's later events wait behind it: a deletion must not overtake the creation
 * it follows. A restart replays whatever is still spooled. A final failure (a refusal, a bug) is
 * thrown to the adapter, which answers or logs it.
 */
export class InboundRunner {
  private readonly order = new KeyedQueue()
  private readonly wakers = new Set<() => void>()
  private stopped = false
  /** While set, events are kept and queued but not applied: see hold(). */
  private held: { until: Promise<void>; release: () => void } | undefined
  private readonly baseDelayMs: number
  private readonly maxDelayMs: number

  constructor(
    private readonly spool: InboundSpool,
    private readonly logger: Logger,
    private readonly options: InboundRunnerOptions,
  ) {
    this.baseDelayMs = options.baseDelayMs ?? 500
    this.maxDelayMs = options.maxDelayMs ?? 60_000
  }

  submit(event: InboundEvent, handle: () => Promise<void>): Promise<void> {
    // Written down before anything else: the platform has already been told we have it (Bolt
    // acknowledges first; Discord's gateway never resends), so a crash while it waits its turn or
    // is being applied must not lose it. Replays of what was applied after all are deduplicated.
    const id = this.keep(event)
    return this.order.run(event.key, () => this.apply(event, handle, id))
  }

  /**
   * Queues this platform's events left in the spool by an earlier run, ahead of anything new for
   * their keys (call it before events can arrive). Returns how many there were.
   */
  resume(platform: Platform, replay: (event: InboundEvent) => Promise<void>): number {
    const entries = this.spool
      .list((file, reason) =>
        this.logger.error({ file, reason }, 'a spooled inbound event cannot be read; it is left in place'),
      )
      .filter((entry) => entry.event.platform === platform)
    for (const { id, event } of entries) {
      this.order
        .run(event.key, () => this.apply(event, () => replay(event), id))
        .catch((error: unknown) => this.logFinal(event, error))
    }
    if (entries.length > 0)
      this.logger.info(
        { platform, events: entries.length },
        'replaying inbound events kept from an earlier run',
      )
    return entries.length
  }

  /**
   * Takes events in (kept on disk, queued in order) without applying any until release(): a
   * start that connects the platforms before it may write to the database (the configuration
   * is not applied yet, and is not if the start fails) loses nothing that arrived meanwhile.
   */
  hold(): void {
    if (this.held !== undefined) return
    let release = () => {}
    const until = new Promise<void>((resolve) => {
      release = resolve
    })
    this.held = { until, release }
  }

  /** Applies what was held, in order, and what comes after. */
  release(): void {
    this.held?.release()
    this.held = undefined
  }

  /** Stops retrying. What has not been applied stays in the spool for the next start. */
  stop(): void {
    this.stopped = true
    this.held?.release()
    for (const wake of this.wakers) wake()
  }

  private async apply(event: InboundEvent, handle: () => Promise<void>, spooled: string | undefined) {
    let id = spooled
    if (this.held !== undefined) {
      await this.held.until
      // Stopped while held: the event stays in the spool, for the next start to apply.
      if (this.stopped) return
    }
    for (let attempt = 1; ; attempt += 1) {
      try {
        await handle()
        if (id !== undefined) this.spool.remove(id)
        return
      } catch (error) {
        if (!this.options.isTransient(error)) {
          if (id !== undefined) this.spool.remove(id)
          throw error
        }
        id ??= this.keep(event)
        if (this.stopped) return
        const delayMs = Math.min(this.maxDelayMs, this.baseDelayMs * 2 ** (attempt - 1))
        this.logger.warn(
          {
            platform: event.platform,
            kind: event.kind,
            event: event.eventId,
            attempt,
            retryInMs: delayMs,
            reason: error instanceof Error ? error.message : String(error),
          },
          'an inbound event could not be applied yet; it is kept and will be retried',
        )
        await this.sleep(delayMs)
        if (this.stopped) return
      }
    }
  }

  private keep(event: InboundEvent): string | undefined {
    try {
      return this.spool.add(event)
    } catch (error) {
      // A full or read-only disk must not stop the bridge: the event is still applied, just
      // without a copy to fall back on.
      this.logger.error(
        {
          kind: event.kind,
          event: event.eventId,
          reason: error instanceof Error ? error.message : String(error),
        },
        'could not keep an inbound event on disk; applying it without a copy',
      )
      return undefined
    }
  }

  private logFinal(event: InboundEvent, error: unknown) {
    this.logger.error(
      {
        platform: event.platform,
        kind: event.kind,
        event: event.eventId,
        reason: error instanceof Error ? error.message : String(error),
      },
      'a replayed inbound event could not be applied',
    )
  }

  // A real timer, not a loop of awaits: on the embedded database, promise-only waiting would
  // starve the timers everything else depends on.
  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer)
        this.wakers.delete(wake)
        resolve()
      }
      const timer = setTimeout(wake, ms)
      this.wakers.add(wake)
    })
  }
}
