import type { Clock } from '../../src/clock.ts'

/** A clock that moves only when the test says so. */
export class FakeClock implements Clock {
  private current: Date

  constructor(start = '2026-11-25T09:00:00.000Z') {
    this.current = new Date(start)
  }

  now(): Date {
    return new Date(this.current)
  }

  /** Jumps to a moment (forwards or back), as a test scripting a calendar needs. */
  set(iso: string): void {
    this.current = new Date(iso)
  }

  advance(ms: number): void {
    this.current = new Date(this.current.getTime() + ms)
  }
}
