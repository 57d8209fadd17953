import Bottleneck from 'bottleneck'
import { Redis } from 'ioredis'
import { redactUrl } from '../db/open-database.ts'
import { RateStoreUnavailableError } from '../errors.ts'
import type { Logger } from '../logger.ts'

/**
 * Where several bridge processes count the platforms' rate limits together. Each process shaping
 * to the limit on its own would, together, exceed it; so with more than one process the limiters
 * keep their state in Redis (Bottleneck's clustering), under `prefix`.
 */
export interface SharedRateStore {
  readonly connection: Bottleneck.IORedisConnection
  readonly prefix: string
  /**
   * Resolves once Redis answers; rejects with RateStoreUnavailableError if it does not within
   * `timeoutMs`. Start-up waits on it: a bot whose limiter waits on a Redis that is not there
   * mirrors nothing while looking healthy.
   */
  ready(timeoutMs: number): Promise<void>
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
  let lastError: Error | undefined
  let answered = false
  connection.on('error', (error: Error) => {
    lastError = error
    // Before Redis first answered, start-up reports it in one line (ready); no warnings meanwhile.
    if (!answered) return
    // ioredis retries every few hundred ms while Redis is down; one line every 10 s is enough.
    if (Date.now() - lastReported < 10_000) return
    lastReported = Date.now()
    logger.warn({ reason: error.message }, 'the shared rate-limit store (Redis) is failing')
  })
  return {
    connection,
    prefix,
    async ready(timeoutMs) {
      let timer: NodeJS.Timeout | undefined
      const late = new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          const why = (lastError as { code?: string } | undefined)?.code ?? lastError?.message ?? 'no answer'
          reject(
            new RateStoreUnavailableError(
              `cannot reach Redis at ${redactUrl(url)} (REDIS_URL): ${why} after ${timeoutMs / 1000} s; start Redis, or unset REDIS_URL to count rate limits in this process`,
              lastError,
            ),
          )
        }, timeoutMs)
      })
      try {
        await Promise.race([client.ping(), late])
        answered = true
      } catch (error) {
        if (error instanceof RateStoreUnavailableError) throw error
        // Something answered, but not as Redis does (another service on that port, say).
        throw new RateStoreUnavailableError(
          `cannot use ${redactUrl(url)} (REDIS_URL) as Redis: ${error instanceof Error ? error.message : String(error)}; check the address, or unset REDIS_URL to count rate limits in this process`,
          error,
        )
      } finally {
        clearTimeout(timer)
      }
    },
    async stop() {
      // Without flushing: a Redis that is away would keep a polite QUIT waiting for ever.
      await connection.disconnect(false)
    },
  }
}
