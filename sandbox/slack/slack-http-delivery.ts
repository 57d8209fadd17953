import { createHmac } from 'node:crypto'
import type { AppDelivery } from './slack-app-delivery.ts'

export interface HttpDeliveryOptions {
  /** The app's Request URL (events, commands and interactions alike: Bolt serves all three at one). */
  requestUrl?: string
  /** The app's signing secret, which signs every request. */
  signingSecret: string
  /** Slack's rule: an answer other than 200 within 3 seconds is a failure. */
  ackTimeoutMs: number
  /** Delays before each retry of an event; Slack retries three times (immediately, ~1 min, ~5 min). */
  redeliveryDelaysMs: number[]
  /** The clock request timestamps are signed with, in ms; a test moves it to send a stale one. */
  now?: () => number
}

/**
 * Slack over HTTP (https://api.slack.com/apis/connections/events-api,
 * https://api.slack.com/interactivity/handling): every request is a POST to the Request URL,
 * signed with Slack's v0 signature (https://api.slack.com/authentication/verifying-requests-from-slack):
 * `X-Slack-Request-Timestamp` (Unix seconds) and `X-Slack-Signature` = `v0=` and the hex
 * HMAC-SHA256 of `v0:{timestamp}:{body}` under the signing secret. Events are JSON; slash
 * commands are form fields; interactions are a form field `payload` holding JSON. An event not
 * answered with 200 within 3 s is sent again with `X-Slack-Retry-Num` (1, 2, 3) and
 * `X-Slack-Retry-Reason` (`http_timeout`, `http_error`), unless the app answered with
 * `X-Slack-No-Retry: 1`. Commands and interactions are never retried.
 */
export class HttpDelivery implements AppDelivery {
  duplicateNext = 0
  ignoreAcksNext = 0
  delivered = 0
  /** Where requests go; set once the app listens (Slack's app settings take it any time). */
  requestUrl: string
  private readonly timers = new Set<NodeJS.Timeout>()
  private readonly inFlight = new Set<AbortController>()
  private closed = false

  constructor(private readonly options: HttpDeliveryOptions) {
    this.requestUrl = options.requestUrl ?? ''
  }

  /** The headers Slack signs a body with at `nowMs`. */
  static sign(secret: string, body: string, nowMs: number): Record<string, string> {
    const timestamp = String(Math.floor(nowMs / 1000))
    const digest = createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')
    return { 'x-slack-request-timestamp': timestamp, 'x-slack-signature': `v0=${digest}` }
  }

  sendEvent(payload: Record<string, unknown>): void {
    const body = JSON.stringify(payload)
    const duplicate = this.duplicateNext > 0
    if (duplicate) this.duplicateNext -= 1
    void this.deliverEvent(body, 0, undefined)
    // A duplicate is what Slack sends when it did not see the first answer: the same event, as a retry.
    if (duplicate) void this.deliverEvent(body, 1, 'http_timeout', false)
  }

  async sendCommand(
    payload: Record<string, unknown>,
    type: 'slash_commands' | 'interactive' = 'slash_commands',
  ): Promise<Record<string, unknown> | null> {
    const form = new URLSearchParams(
      type === 'interactive'
        ? { payload: JSON.stringify(payload) }
        : Object.fromEntries(Object.entries(payload).map(([key, value]) => [key, String(value)])),
    ).toString()
    const answer = await this.post(form, 'application/x-www-form-urlencoded', {})
    if (answer.kind !== 'answered' || answer.status !== 200) return null
    return answer.body
  }

  close(): void {
    this.closed = true
    for (const timer of this.timers) clearTimeout(timer)
    for (const controller of this.inFlight) controller.abort()
  }

  private async deliverEvent(
    body: string,
    attempt: number,
    reason: string | undefined,
    retryOnFailure = true,
  ): Promise<void> {
    if (this.closed) return
    const headers: Record<string, string> =
      attempt === 0 ? {} : { 'x-slack-retry-num': String(attempt), 'x-slack-retry-reason': reason ?? '' }
    const answer = await this.post(body, 'application/json', headers)
    let failure: string | undefined
    if (answer.kind !== 'answered') failure = answer.kind === 'timeout' ? 'http_timeout' : 'connection_failed'
    else if (answer.status !== 200) failure = answer.noRetry ? undefined : 'http_error'
    else if (this.ignoreAcksNext > 0) {
      // As if the answer were lost on the way: Slack sends the event again.
      this.ignoreAcksNext -= 1
      failure = 'http_timeout'
    }
    if (failure === undefined || !retryOnFailure) return
    const delay = this.options.redeliveryDelaysMs[attempt]
    if (delay === undefined) return // Slack gives up after its last retry.
    const timer = setTimeout(() => {
      this.timers.delete(timer)
      void this.deliverEvent(body, attempt + 1, failure)
    }, delay)
    this.timers.add(timer)
  }

  private async post(
    body: string,
    contentType: string,
    extra: Record<string, string>,
  ): Promise<
    | { kind: 'answered'; status: number; body: Record<string, unknown>; noRetry: boolean }
    | { kind: 'timeout' | 'failed' }
  > {
    const controller = new AbortController()
    this.inFlight.add(controller)
    const timer = setTimeout(() => controller.abort(), this.options.ackTimeoutMs)
    try {
      const response = await fetch(this.requestUrl, {
        method: 'POST',
        body,
        signal: controller.signal,
        headers: {
          'content-type': contentType,
          'user-agent': 'Slackbot 1.0 (+https://api.slack.com/robots)',
          ...HttpDelivery.sign(this.options.signingSecret, body, (this.options.now ?? Date.now)()),
          ...extra,
        },
      })
      const text = await response.text()
      this.delivered += 1
      return {
        kind: 'answered',
        status: response.status,
        body: answerBody(text, response.headers.get('content-type')),
        noRetry: response.headers.get('x-slack-no-retry') === '1',
      }
    } catch {
      return { kind: controller.signal.aborted ? 'timeout' : 'failed' }
    } finally {
      clearTimeout(timer)
      this.inFlight.delete(controller)
    }
  }
}

/** An acknowledgement's body: JSON, or plain text (Slack shows it as the message), or nothing. */
function answerBody(text: string, contentType: string | null): Record<string, unknown> {
  if (text.trim() === '') return {}
  if (contentType?.includes('json')) {
    try {
      const parsed: unknown = JSON.parse(text)
      if (parsed !== null && typeof parsed === 'object') return parsed as Record<string, unknown>
    } catch {
      // Not JSON after all: Slack shows it as text.
    }
  }
  return { text }
}
