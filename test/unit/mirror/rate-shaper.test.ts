import { describe, expect, it } from 'vitest'
import { RateShaper } from '../../../src/mirror/rate-shaper.ts'

describe('RateShaper', () => {
  const rules = { post: { minTimeMs: 1000 }, budget: { reservoir: { amount: 1, intervalMs: 60_000 } } }
  const timeOfThree = async (shaper: RateShaper, bucket: 'post' | 'budget') => {
    const started = performance.now()
    let running = 0
    let most = 0
    await Promise.all(
      Array.from({ length: 3 }, () =>
        shaper.schedule(bucket, 'C1', async () => {
          running += 1
          most = Math.max(most, running)
          await new Promise((resolve) => setTimeout(resolve, 20))
          running -= 1
        }),
      ),
    )
    await shaper.stop()
    return { ms: performance.now() - started, most }
  }

  it('spaces calls on one key at the rule', async () => {
    const { ms, most } = await timeOfThree(new RateShaper('slack', rules), 'post')
    expect(ms).toBeGreaterThanOrEqual(1900)
    expect(most).toBe(1)
  })

  it('lifted (the capacity benchmark) sends at once: no spacing, no budget, no queue per key', async () => {
    const shaper = new RateShaper('slack', rules, { lifted: true })
    const spaced = await timeOfThree(shaper, 'post')
    expect(spaced.ms).toBeLessThan(500)
    expect(spaced.most).toBe(3)
    const budgeted = await timeOfThree(new RateShaper('slack', rules, { lifted: true }), 'budget')
    expect(budgeted.ms).toBeLessThan(500)
  })
})
