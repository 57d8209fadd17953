import type { IncomingMessage, ServerResponse } from 'node:http'
import FindMyWay from 'find-my-way'
import { EmulatorServer } from '../http/emulator-server.ts'
import { FaultPlan } from '../http/faults.ts'
import {
  delay,
  HttpError,
  parseBody,
  readRawBody,
  respondWithError,
  sendJson,
  serveControlRoute,
} from '../http/http-kit.ts'
import { RequestStats } from '../http/request-stats.ts'
import { SlackApiError } from './slack-api-error.ts'
import type { AppDelivery } from './slack-app-delivery.ts'
import { type SlackAppManifest, THREADBRIDGE_MANIFEST } from './slack-app-manifest.ts'
import { CommandDesk } from './slack-commands.ts'
import { controlRoutes } from './slack-control.ts'
import { HttpDelivery } from './slack-http-delivery.ts'
import { SlackRateLimiter } from './slack-rate-limits.ts'
import { answerResponseUrl } from './slack-response-url.ts'
import { METHOD_SCOPES, missingScope } from './slack-scopes.ts'
import { ShownLog } from './slack-shown.ts'
import { SocketModeHub } from './slack-socket-mode.ts'
import { SlackState } from './slack-state.ts'
import { TriggerDesk } from './slack-triggers.ts'
import { ViewDesk } from './slack-views.ts'
import { type WebApiMethod, webApiMethods } from './slack-web-api.ts'
import { SlackWorkspace } from './slack-workspace.ts'

export type { SlackAppManifest } from './slack-app-manifest.ts'
export { THREADBRIDGE_MANIFEST } from './slack-app-manifest.ts'

export interface SlackEmulatorOptions {
  /** A workspace to serve (restored from a snapshot); a new, empty one otherwise. */
  state?: SlackState
  port?: number
  host?: string
  /** The bot token (xoxb-…) the Web API accepts; any xoxb- token when unset. */
  botToken?: string
  /** The app-level token (xapp-…) apps.connections.open accepts; any xapp- token when unset. */
  appToken?: string
  rateLimitScale?: number
  /** No rate limits at all (the capacity benchmark measures the bridge alone); enforced when unset. */
  liftRateLimits?: boolean
  /**
   * The clock rate limits count time by, in ms (Date.now when unset). A test holds it still to
   * make calls fall in one window however slow the machine, and moves it to end the window.
   */
  rateLimitClock?: () => number
  /** Slack redelivers an event not acknowledged within this long (3 s on Slack). */
  ackTimeoutMs?: number
  redeliveryDelaysMs?: number[]
  /** How long the control API waits for an answer after a command's ack. */
  commandAnswerMs?: number
  /**
   * The clock trigger_ids (3 s) and response_urls (30 min) expire by, in ms (Date.now when
   * unset); a test moves it instead of waiting.
   */
  interactionClock?: () => number
  /**
   * The app's manifest: its slash commands and shortcuts (Slack delivers no others), its bot
   * scopes (a method needing another answers `missing_scope`) and the events it subscribes to.
   * Threadbridge's own slack-manifest.yml when unset; a test gives another to withdraw something.
   */
  appManifest?: SlackAppManifest
  /**
   * Deliver events, commands and interactions as signed HTTP requests to the app's Request URL
   * (the app in HTTP mode) instead of over Socket Mode. The URL may be set later on `http`.
   */
  http?: { signingSecret: string; requestUrl?: string; now?: () => number }
}

/**
 * A local Slack: the Web API under /api/, Socket Mode on the same port, response_url targets, and
 * a control API under /_sandbox through which tests and the console act as people.
 */
export class SlackEmulator {
  readonly state: SlackState
  readonly stats = new RequestStats()
  readonly faults = new FaultPlan()
  readonly commands: CommandDesk
  readonly triggers: TriggerDesk
  readonly views: ViewDesk
  readonly shown = new ShownLog()
  readonly manifest: SlackAppManifest
  /** The interaction clock: trigger_id and response_url expiry. */
  readonly clock: () => number
  readonly hub: SocketModeHub
  /** Set when the app is served over HTTP (the `http` option). */
  readonly http: HttpDelivery | undefined
  /** How the app is reached: `http` when set, else Socket Mode. */
  readonly delivery: AppDelivery
  readonly workspace: SlackWorkspace
  private readonly methods: Record<string, WebApiMethod>
  private readonly limiter: SlackRateLimiter
  private readonly server: EmulatorServer

  constructor(readonly options: SlackEmulatorOptions = {}) {
    this.state = options.state ?? new SlackState()
    this.clock = options.interactionClock ?? Date.now
    this.commands = new CommandDesk(this.clock)
    this.triggers = new TriggerDesk(this.clock)
    this.views = new ViewDesk({
      teamId: this.state.team.id,
      appId: this.state.appId,
      botId: this.state.botId,
    })
    this.manifest = options.appManifest ?? THREADBRIDGE_MANIFEST
    this.hub = new SocketModeHub({
      appId: this.state.appId,
      ackTimeoutMs: options.ackTimeoutMs ?? 3000,
      redeliveryDelaysMs: options.redeliveryDelaysMs ?? [0, 60_000, 300_000],
    })
    this.http = options.http
      ? new HttpDelivery({
          ...options.http,
          ackTimeoutMs: options.ackTimeoutMs ?? 3000,
          redeliveryDelaysMs: options.redeliveryDelaysMs ?? [0, 60_000, 300_000],
        })
      : undefined
    this.delivery = this.http ?? this.hub
    this.workspace = new SlackWorkspace(this.state, this.delivery, (event) =>
      this.manifest.botEvents.includes(event),
    )
    this.limiter = new SlackRateLimiter(options.rateLimitScale ?? 1, options.liftRateLimits ?? false)
    this.methods = webApiMethods(this)
    const router = FindMyWay({
      defaultRoute: (_req, res) => sendJson(res, 404, { ok: false, error: 'not_found' }),
    })
    for (const method of ['GET', 'POST'] as const) {
      router.on(
        method,
        '/api/:method',
        (req, res, params) => void this.serveWebApi(String(params.method), req, res),
      )
    }
    router.on(
      'POST',
      '/respond/:id',
      (req, res, params) => void this.serveResponseUrl(String(params.id), req, res),
    )
    for (const route of controlRoutes(this)) {
      router.on(
        route.method,
        `/_sandbox${route.path}`,
        (req, res, params) =>
          void serveControlRoute(route, req, res, params as Record<string, string>, (error) =>
            error instanceof SlackApiError ? new HttpError(400, error.answer) : error,
          ),
      )
    }
    this.server = new EmulatorServer(
      (req, res) => router.lookup(req, res),
      (req, socket, head) => {
        if (req.url?.startsWith('/link/')) this.hub.handleUpgrade(req, socket, head)
        else socket.end('HTTP/1.1 404 Not Found\r\n\r\n')
      },
    )
  }

  async start(): Promise<this> {
    await this.server.listen(this.options.port ?? 0, this.options.host ?? '127.0.0.1')
    return this
  }

  async stop(): Promise<void> {
    this.hub.close()
    this.http?.close()
    await this.server.close()
  }

  get url(): string {
    return this.server.url
  }

  /** What the Slack WebClient takes as `slackApiUrl`. */
  get apiUrl(): string {
    return `${this.server.url}/api/`
  }

  private async serveWebApi(name: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      const raw = await readRawBody(req)
      const body = parseBody(raw, req.headers['content-type'])
      const method = this.methods[name]
      if (method === undefined) return sendJson(res, 200, { ok: false, error: 'unknown_method' })
      const token = (req.headers.authorization ?? '').replace(/^Bearer /, '') || String(body.token ?? '')
      const authError = this.checkToken(name, token)
      if (authError) {
        this.stats.record(name, false)
        return sendJson(res, 200, { ok: false, error: authError })
      }
      // Slack names the token's scopes on every answer to it, and the scopes the method accepts
      // (https://api.slack.com/authentication/token-types, "x-oauth-scopes" header).
      const scopeHeaders = this.scopeHeaders(name)
      const lacking = this.scopeLacking(name, body)
      if (lacking) {
        this.stats.record(name, false)
        return sendJson(res, 200, { ok: false, error: 'missing_scope', ...lacking }, scopeHeaders)
      }
      const wait = this.limiter.check(
        name,
        typeof body.channel === 'string' ? body.channel : undefined,
        this.options.rateLimitClock?.() ?? Date.now(),
      )
      this.stats.record(name, wait > 0)
      if (wait > 0) {
        return sendJson(
          res,
          429,
          { ok: false, error: 'ratelimited' },
          { 'retry-after': String(Math.max(1, Math.ceil(wait / 1000))) },
        )
      }
      const fault = this.faults.take(name)
      if (fault?.mode === 'error')
        return sendJson(res, fault.status ?? 500, { ok: false, error: 'internal_error' })
      if (fault?.mode === 'latency') await delay(fault.latency_ms ?? 1000)
      let answer: Record<string, unknown>
      try {
        answer = { ok: true, ...method(body, token) }
      } catch (error) {
        if (!(error instanceof SlackApiError)) throw error
        answer = { ok: false, ...error.answer }
      }
      if (fault?.mode === 'timeout') {
        this.server.hold(res)
        return
      }
      sendJson(res, 200, answer, scopeHeaders)
    } catch (error) {
      respondWithError(res, error, { ok: false, error: 'internal_error' })
    }
  }

  /** `x-oauth-scopes`: the bot token's scopes, which are the manifest's; `x-accepted-oauth-scopes`: the method's. */
  private scopeHeaders(method: string): Record<string, string> {
    if (method === 'apps.connections.open') return {} // the app-level token's scopes are not the bot's
    const rule = METHOD_SCOPES[method]
    const accepted = rule === undefined ? [] : 'channel' in rule ? [rule.channel, rule.im] : [...rule]
    return {
      'x-oauth-scopes': this.manifest.botScopes.join(','),
      'x-accepted-oauth-scopes': accepted.join(','),
    }
  }

  /**
   * The bot token has the manifest's scopes and no others: a method needing another answers
   * `missing_scope` with `needed` and `provided` (https://api.slack.com/web#errors).
   */
  private scopeLacking(method: string, body: Record<string, unknown>) {
    if (method === 'apps.connections.open') return undefined // the app-level token's call
    const channel = typeof body.channel === 'string' ? this.state.channels.get(body.channel) : undefined
    return missingScope(method, channel?.is_im ? 'im' : 'channel', this.manifest.botScopes)
  }

  private checkToken(method: string, token: string): string | undefined {
    if (token === '') return 'not_authed'
    if (method === 'apps.connections.open') {
      if (!token.startsWith('xapp-')) return 'not_allowed_token_type'
      return this.options.appToken !== undefined && token !== this.options.appToken
        ? 'invalid_auth'
        : undefined
    }
    if (!token.startsWith('xoxb-')) return 'invalid_auth'
    if (this.options.botToken !== undefined && token !== this.options.botToken) return 'invalid_auth'
    return undefined
  }

  private async serveResponseUrl(id: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      const answer = answerResponseUrl(this, id, parseBody(await readRawBody(req), 'application/json'))
      sendJson(res, answer.status, answer.body)
    } catch (error) {
      respondWithError(res, error, { ok: false, error: 'internal_error' })
    }
  }
}
