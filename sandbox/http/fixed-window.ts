/**
 * A fixed-window counter: `limit` calls per `windowMs`, the window starting at the first call.
 * This is how both platforms describe their buckets ("5 per 5 seconds"), and it produces the
 * same Reset / Reset-After values their headers carry.
 */
export class FixedWindow {
  private windowStart = 0
  private used = 0

  constructor(
    readonly limit: number,
    readonly windowMs: number,
  ) {}

  /** Counts a call if the window has room; otherwise returns how long until it does. */
  take(
    now: number,
  ): { ok: true; remaining: number; resetAt: number } | { ok: false; retryAfterMs: number; resetAt: number } {
    if (now - this.windowStart >= this.windowMs) {
      this.windowStart = now
      this.used = 0
    }
    const resetAt = this.windowStart + this.windowMs
    if (this.used >= this.limit) return { ok: false, retryAfterMs: resetAt - now, resetAt }
    this.used += 1
    return { ok: true, remaining: this.limit - this.used, resetAt }
  }
}
