import type { Clock } from '../../src/clock.ts'
import { Core } from '../../src/core.ts'
import type { DatabaseHandle } from '../../src/db/open-database.ts'
import { InboundDecisions } from '../../src/inbound/inbound-decisions.ts'
import { silentLogger } from '../../src/logger.ts'
import { MirrorEngine } from '../../src/mirror/mirror-engine.ts'
import { OutboxQueue } from '../../src/mirror/outbox-queue.ts'
import { mentionNames } from '../../src/names/mention-names.ts'
import { FakeModeratorAlerts } from '../fakes/fake-moderator-alerts.ts'
import type { FakeThreadPlatform } from '../fakes/fake-thread-platform.ts'

/**
 * The bot's parts that keep nothing in memory between events, on the test's database, against
 * platforms in memory: the test is the gateway and the worker. A new set is a restart.
 */
export function inMemoryBot(
  handle: DatabaseHandle,
  clock: Clock,
  platforms: { slack: FakeThreadPlatform; discord: FakeThreadPlatform },
) {
  const core = new Core(handle.db, clock)
  const ports = new Map([
    ['slack', platforms.slack],
    ['discord', platforms.discord],
  ] as const)
  const alerts = new FakeModeratorAlerts()
  return {
    core,
    queue: new OutboxQueue(handle.db, clock),
    engine: new MirrorEngine(handle.db, clock, ports, silentLogger),
    decisions: new InboundDecisions({
      core,
      names: mentionNames(handle.db, ports, clock),
      ports,
      alerts,
      deadLetters: alerts,
      clock,
    }),
  }
}
