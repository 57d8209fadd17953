/**
 * Scripted failures for a route, set through `POST /_sandbox/faults`. Each rule fires for the next
 * `count` calls whose route matches, then is spent.
 */
export type FaultMode =
  /** Answer with an error status (500 by default) and do nothing. */
  | 'error'
  /** Apply the call, then never answer: the client times out not knowing it worked. */
  | 'timeout'
  /** Wait `latency_ms`, then handle the call normally. */
  | 'latency'

export interface FaultRule {
  /** A route as the stats name it, e.g. "POST /channels/:id/messages", or "*" for every call. */
  route: string
  mode: FaultMode
  count: number
  status?: number
  latency_ms?: number
}

export class FaultPlan {
  private rules: FaultRule[] = []

  add(rule: FaultRule): void {
    this.rules.push({ ...rule })
  }

  clear(): void {
    this.rules = []
  }

  /** Takes the first live rule for this route, spending one of its uses. */
  take(route: string): FaultRule | undefined {
    const rule = this.rules.find((r) => r.count > 0 && (r.route === '*' || r.route === route))
    if (rule === undefined) return undefined
    rule.count -= 1
    this.rules = this.rules.filter((r) => r.count > 0)
    return rule
  }
}

export function parseFaultRule(body: Record<string, unknown>): FaultRule | string {
  const mode = body.mode
  if (mode !== 'error' && mode !== 'timeout' && mode !== 'latency')
    return 'mode must be "error", "timeout" or "latency"'
  if (typeof body.route !== 'string' || body.route === '')
    return 'route must name a route, e.g. "POST /channels/:id/messages"'
  const count = body.count === undefined ? 1 : Number(body.count)
  if (!Number.isInteger(count) || count < 1) return 'count must be a positive whole number'
  const rule: FaultRule = { route: body.route, mode, count }
  if (body.status !== undefined) rule.status = Number(body.status)
  if (body.latency_ms !== undefined) rule.latency_ms = Number(body.latency_ms)
  return rule
}
