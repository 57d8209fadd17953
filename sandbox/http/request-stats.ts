/** What the bot asked of an emulated platform: the figures behind `GET /_sandbox/stats`. */
export class RequestStats {
  requests = 0
  rate_limited = 0
  by_route: Record<string, { requests: number; rate_limited: number }> = {}

  record(route: string, rateLimited: boolean): void {
    this.requests += 1
    const entry = this.by_route[route] ?? { requests: 0, rate_limited: 0 }
    this.by_route[route] = entry
    entry.requests += 1
    if (rateLimited) {
      this.rate_limited += 1
      entry.rate_limited += 1
    }
  }

  toJSON() {
    return { requests: this.requests, rate_limited: this.rate_limited, by_route: this.by_route }
  }

  reset(): void {
    this.requests = 0
    this.rate_limited = 0
    this.by_route = {}
  }
}
