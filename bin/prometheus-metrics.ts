import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client'
import { COMMANDS } from '../commands/registry.ts'
import type { Metrics } from '../src/metrics/metrics.ts'

/** What the gauges read when scraped: state that lives in the database and the spool, not in counters. */
export interface GaugeSources {
  outbox(): Promise<{ pending: number; oldest: Date | null }>
  spoolDepth(): number
}

/**
 * The values the `command` label may take: our commands' names, and `unknown` for anything else.
 * A Slack subcommand is whatever word a person types after `/threadbridge`, so a label taken from
 * it would let anyone grow the registry without bound and write into what /metrics shows.
 */
const COMMAND_LABELS: ReadonlySet<string> = new Set(COMMANDS.map((c) => c.name))
const commandLabel = (name: string): string => (COMMAND_LABELS.has(name) ? name : 'unknown')

/** A scrape must answer even while the database is away: a gauge that cannot be read in time is left out. */
const GAUGE_READ_MS = 2000

export interface PrometheusMetrics {
  readonly metrics: Metrics
  readonly registry: Registry
  /** The gauges' sources, once the bridge that holds them runs; gauges read nothing until then. */
  setSources(sources: GaugeSources | undefined): void
  /** The exposition text and its content type, for GET /metrics. */
  scrape(): Promise<{ contentType: string; body: string }>
}

/**
 * The metrics port implemented with prom-client, in a registry of its own (never the global
 * one), so several bridges in one process (the tests) do not share counts.
 */
export function createPrometheusMetrics(): PrometheusMetrics {
  const registry = new Registry()
  collectDefaultMetrics({ register: registry })
  let sources: GaugeSources | undefined

  const messages = new Counter({
    name: 'threadbridge_mirror_messages_total',
    help: 'Mirror job attempts by where the content was written and how the attempt ended',
    labelNames: ['platform', 'outcome'] as const,
    registers: [registry],
  })
  const latency = new Histogram({
    name: 'threadbridge_mirror_latency_seconds',
    help: 'From the event queued in the outbox to its mirror posted',
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 300],
    registers: [registry],
  })
  const rateLimited = new Counter({
    name: 'threadbridge_rate_limited_total',
    help: 'Mirror deliveries a platform answered with a rate limit (429)',
    labelNames: ['platform'] as const,
    registers: [registry],
  })
  const retries = new Counter({
    name: 'threadbridge_retries_total',
    help: 'Mirror job attempts that failed and were scheduled again',
    registers: [registry],
  })
  const deadLetters = new Counter({
    name: 'threadbridge_dead_letters_total',
    help: 'Mirror jobs given up on (dead-lettered) with their reason',
    registers: [registry],
  })
  const commands = new Counter({
    name: 'threadbridge_command_runs_total',
    help: 'Slash commands, shortcuts and forms run',
    labelNames: ['command', 'platform'] as const,
    registers: [registry],
  })
  const digestRuns = new Counter({
    name: 'threadbridge_digest_runs_total',
    help: 'Runs of the digest scheduler (deciding which digests are due)',
    registers: [registry],
  })
  new Gauge({
    name: 'threadbridge_outbox_depth',
    help: 'Outbox jobs pending (mirrors and digests)',
    registers: [registry],
    async collect() {
      const outbox = await readOutbox()
      if (outbox) this.set(outbox.pending)
    },
  })
  new Gauge({
    name: 'threadbridge_outbox_oldest_age_seconds',
    help: 'Age of the oldest pending outbox job; 0 when none waits',
    registers: [registry],
    async collect() {
      const outbox = await readOutbox()
      if (outbox)
        this.set(outbox.oldest === null ? 0 : Math.max(0, Date.now() - outbox.oldest.getTime()) / 1000)
    },
  })
  new Gauge({
    name: 'threadbridge_inbound_spool_depth',
    help: 'Platform events received and not applied yet (waiting for the database, or in progress)',
    registers: [registry],
    collect() {
      if (sources) this.set(sources.spoolDepth())
    },
  })

  // Both outbox gauges are collected in one scrape: read the table once for the two.
  let outboxRead: Promise<{ pending: number; oldest: Date | null } | undefined> | undefined
  function readOutbox() {
    if (!sources) return Promise.resolve(undefined)
    if (!outboxRead) {
      let timer: NodeJS.Timeout | undefined
      const late = new Promise<undefined>((resolve) => {
        timer = setTimeout(() => resolve(undefined), GAUGE_READ_MS)
      })
      outboxRead = Promise.race([sources.outbox().catch(() => undefined), late]).finally(() => {
        clearTimeout(timer)
        outboxRead = undefined
      })
    }
    return outboxRead
  }

  return {
    registry,
    setSources: (next) => {
      sources = next
    },
    scrape: async () => ({ contentType: registry.contentType, body: await registry.metrics() }),
    metrics: {
      mirrorJob(platform, outcome, latencySeconds) {
        messages.inc({ platform, outcome })
        if (outcome === 'retried') retries.inc()
        if (outcome === 'dead_lettered') deadLetters.inc()
        if (latencySeconds !== undefined) latency.observe(latencySeconds)
      },
      rateLimited: (platform) => rateLimited.inc({ platform }),
      commandRan: (command, platform) => commands.inc({ command: commandLabel(command), platform }),
      digestRun: () => digestRuns.inc(),
    },
  }
}
