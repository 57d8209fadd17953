import { describe, expect, it } from 'vitest'
import { RecentAlerts } from '../../src/mirror/moderator-alerts.ts'
import { FakeClock } from '../fakes/fake-clock.ts'

describe('RecentAlerts', () => {
  it('lets one alert per cause through per window, and each cause on its own', () => {
    const clock = new FakeClock()
    const recent = new RecentAlerts(clock, 60_000)
    expect(recent.firstIn('lightbulb:slack: is_archived')).toBe(true)
    expect(recent.firstIn('lightbulb:slack: is_archived')).toBe(false)
    expect(recent.firstIn('lightbulb:discord: thread locked')).toBe(true)
    expect(recent.firstIn('other:slack: is_archived')).toBe(true)
    clock.advance(59_999)
    expect(recent.firstIn('lightbulb:slack: is_archived')).toBe(false)
    clock.advance(1)
    expect(recent.firstIn('lightbulb:slack: is_archived')).toBe(true)
  })
})
