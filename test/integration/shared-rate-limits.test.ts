import { randomBytes } from 'node:crypto'
import { Redis } from 'ioredis'
import { afterEach, describe, expect, it } from 'vitest'
import { DeliveryError } from '../../src/errors.ts'
import { silentLogger } from '../../src/logger.ts'
import { RateShaper } from '../../src/mirror/rate-shaper.ts'
import { connectSharedRateStore, type SharedRateStore } from '../../src/mirror/shared-rate-store.ts'

/**
 * Bottleneck clustered through the real Redis (REDIS_URL; `.ci/run` sets it). Two shapers with
 * their own connections stand for two bridge processes.
 */
const redisUrl = process.env.REDIS_URL

describe.runIf(redisUrl)('rate limits shared through Redis (REDIS_URL)', () => {
  const url = redisUrl ?? ''
  const stores: SharedRateStore[] = []
  const shapers: RateShaper[] = []
  const prefix = `threadbridge-test-${randomBytes(4).toString('hex')}`
  const process = () => {
    const store = connectSharedRateStore(url, silentLogger, prefix)
    const shaper = new RateShaper('slack', { post: { minTimeMs: 100 } }, { store, maxWaitMs: 5000 })
    stores.push(store)
    shapers.push(shaper)
    return shaper
  }
  afterEach(async () => {
    for (const shaper of shapers.splice(0)) await shaper.stop()
    for (const store of stores.splice(0)) await store.stop()
    const redis = new Redis(url)
    const keys = await redis.keys(`b_${prefix}*`)
    if (keys.length > 0) await redis.del(...keys)
    redis.disconnect()
  })

  it('spaces the calls of two processes as one: never two within the limit', async () => {
    const starts: number[] = []
    const call = (shaper: RateShaper) =>
      shaper.schedule('post', 'C1', async () => {
        starts.push(performance.now())
      })
    const [a, b] = [process(), process()]
    await Promise.all(Array.from({ length: 8 }, (_, i) => call(i % 2 === 0 ? a : b)))
    const gaps = starts
      .sort((x, y) => x - y)
      .slice(1)
      .map((at, i) => at - (starts[i] ?? 0))
    expect(starts).toHaveLength(8)
    // Bottleneck's minTime with a 100 ms rule; a few ms of slack for timer granularity.
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(95)
  })

  it('recovers when Redis loses the limiter’s keys (the Redis 7 "ERR " prefix bug)', async () => {
    const shaper = process()
    let done = 0
    const call = () =>
      shaper.schedule('post', 'C1', async () => {
        done += 1
      })
    await Promise.all([call(), call()])
    // What a Redis restart or FLUSHALL does to the limiter: its settings are gone.
    const redis = new Redis(url)
    const keys = await redis.keys(`b_${prefix}*`)
    expect(keys.length).toBeGreaterThan(0)
    await redis.del(...keys)
    redis.disconnect()
    // Unpatched, Bottleneck sees "ERR SETTINGS_KEY_NOT_FOUND", does not re-create the settings,
    // and these wait for ever (the shaper's deadline would then fail them).
    await Promise.all([call(), call(), call()])
    expect(done).toBe(5)
  })
})

describe('rate limits with an unreachable Redis', () => {
  it('refuses a call as retryable after the deadline, and never makes it late', async () => {
    // Port 9 (discard) on loopback: nothing listens there, so every connection attempt fails.
    const store = connectSharedRateStore('redis://127.0.0.1:9', silentLogger, 'threadbridge-test-down')
    const shaper = new RateShaper('discord', { post: { minTimeMs: 10 } }, { store, maxWaitMs: 300 })
    let made = false
    const attempt = shaper.schedule('post', 'C1', async () => {
      made = true
    })
    await expect(attempt).rejects.toBeInstanceOf(DeliveryError)
    await expect(attempt).rejects.toMatchObject({ retryable: true, platform: 'discord' })
    await expect(attempt).rejects.toThrow(
      /waited more than 0 s for the rate limiter \(post\); is Redis reachable\?/,
    )
    expect(made).toBe(false)
    await store.stop()
  })
})
