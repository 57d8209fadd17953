import Bottleneck from 'bottleneck'
import { Redis } from 'ioredis'
import type { Logger } from '../logger.ts'

/**
 * Where several bridge processes count the platforms' rate limits together. Each process shaping
 * to the limit on its own would, together, exceed it; so with more than one process the limiters
 * keep their state in Redis (Bottleneck's clustering), under `prefix`.
 */
export interface SharedRateStore {
  readonly connection: Bottleneck.IORedisConnection
  readonly prefix: string
  stop(): Promise<void>
}

type ScriptCallback = (error: Error | null, replies: unknown) => void

/**
 * Bottleneck 2.19.5 (its last release) recognises the errors its Lua scripts raise by their exact
 * message. Redis 7 prefixes them with "ERR ", so once Redis has lost the limiter's keys (a restart,
 * a flush, a key expiring) Bottleneck never re-creates them and the limiter stalls for good
 * (SGrondin/bottleneck#205 and #212; test/integration/shared-rate-limits.test.ts reproduces it).
 * Stripping the prefix where script replies come back restores its recovery, without patching
 * node_modules.
 */
class Redis7Connection extends Bottleneck.IORedisConnection {
  __scriptArgs__(name: string, id: string, args: unknown[], callback: ScriptCallback): unknown[] {
    const base = Bottleneck.IORedisConnection.prototype as unknown as {
      __scriptArgs__(name: string, id: string, args: unknown[], callback: ScriptCallback): unknown[]
    }
    return base.__scriptArgs__.call(this, name, id, args, (error, replies) => {
      if (error?.message.startsWith('ERR ')) error.message = error.message.slice('ERR '.length)
      callback(error, replies)
    })
  }
}

/**
 * Connects to Redis for shared rate limits. It does not wait for Redis: while Redis is away,
 * deliveries wait for the limiter, give up after the shaper's deadline and are retried later
 * (ioredis reconnects by itself), and the trouble is logged.
 */
export function connectSharedRateStore(
  url: string,
  logger: Logger,
  prefix = 'threadbridge',
): SharedRateStore {
  const client = new Redis(url, { maxRetriesPerRequest: null })
  const connection = new Redis7Connection({ client, Redis })
  let lastReported = 0
  connection.on('error', (error: Error) => {
    // ioredis retries every few hundred ms while Redis is down; one line every 10 s is enough.
    if (Date.now() - lastReported < 10_000) return
    lastReported = Date.now()
    logger.warn({ reason: error.message }, 'the shared rate-limit store (Redis) is failing')
  })
  return {
    connection,
    prefix,
    async stop() {
      await connection.disconnect(false)
    },
  }
}
