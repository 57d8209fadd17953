import { randomBytes } from 'node:crypto'
import { Redis } from 'ioredis'
import { afterEach, describe, expect, it } from 'vitest'
import { SlackRateLimiter } from '../../sandbox/slack/slack-rate-limits.ts'
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
  /** Slack's chat.postMessage, one a second per channel (SLACK_SHAPES['post-message']), ten times over. */
  const SCALE = 10
  const rules = { 'post-message': { minTimeMs: 1000 } }
  const process = () => {
    const store = connectSharedRateStore(url, silentLogger, prefix)
    const shaper = new RateShaper('slack', rules, { store, scale: SCALE, maxWaitMs: 5000 })
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

  it('shapes the calls of two processes as one: Slack would refuse none of them', async () => {
    // What Slack would see: the sandbox's count of chat.postMessage for one channel (one a second,
    // bursts of three), on a clock of its own running SCALE times as fast as ours, as the shapers
    // run at SCALE times Slack's limit. Each call is counted when it reaches Slack, however late
    // the machine ran it. A shaper gives a call its turn no sooner than the limit after the
    // previous turn, and only once the previous call has started (one call at a time, across the
    // processes), so n calls never reach Slack in less than n - 2 intervals, late or not: a burst
    // of three always takes that. Two processes shaping apart send twice as fast, and are refused.
    const slack = new SlackRateLimiter()
    const slackNow = () => performance.now() * SCALE
    let reached = 0
    const refused: number[] = []
    const post = (shaper: RateShaper) =>
      shaper.schedule('post-message', 'C1', async () => {
        reached += 1
        if (slack.check('chat.postMessage', 'C1', slackNow()) > 0) refused.push(reached)
      })
    const [a, b] = [process(), process()]
    await Promise.all(Array.from({ length: 12 }, (_, i) => post(i % 2 === 0 ? a : b)))
    expect(reached).toBe(12)
    expect(refused).toEqual([])
  })

  it('recovers when Redis loses the limiter’s keys (the Redis 7 "ERR " prefix bug)', async () => {
    const shaper = process()
    let done = 0
    const call = () =>
      shaper.schedule('post-message', 'C1', async () => {
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
