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
import { CommandDesk } from './slack-commands.ts'
import { controlRoutes } from './slack-control.ts'
import { SlackRateLimiter } from './slack-rate-limits.ts'
import { answerResponseUrl } from './slack-response-url.ts'
import { ShownLog } from './slack-shown.ts'
import { SocketModeHub } from './slack-socket-mode.ts'
import { SlackState } from './slack-state.ts'
import { TriggerDesk } from './slack-triggers.ts'
import { ViewDesk } from './slack-views.ts'
import { type WebApiMethod, webApiMethods } from './slack-web-api.ts'
import { SlackWorkspace } from './slack-workspace.ts'

export interface SlackEmulatorOptions {
  /** A workspace to serve (restored from a snapshot); a new, empty one otherwise. */
  state?: SlackState
  port?: number
  host?: string
  /** The bot token (xoxb-…) the Web API accepts; any xoxb- token when unset. */
  botToken?: string
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
  /** The slash commands and shortcuts the app declares; Slack delivers no others. */
  appManifest?: SlackAppManifest
}

/** What an app's manifest declares (https://api.slack.com/interactivity/shortcuts, /slash-commands). */
export interface SlackAppManifest {
  commands: string[]
  shortcuts: { callback_id: string; type: 'message' | 'global'; name: string }[]
}

/** What Threadbridge's own manifest declares. */
export const THREADBRIDGE_MANIFEST: SlackAppManifest = {
  commands: ['/threadbridge'],
  shortcuts: [
    { callback_id: 'subscribe_thread', type: 'message', name: 'Notify me when people reply' },
    { callback_id: 'delete', type: 'message', name: 'Delete everywhere' },
  ],
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
    this.workspace = new SlackWorkspace(this.state, this.hub)
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
      sendJson(res, 200, answer)
    } catch (error) {
      respondWithError(res, error, { ok: false, error: 'internal_error' })
    }
  }

  private checkToken(method: string, token: string): string | undefined {
    if (token === '') return 'not_authed'
    if (method === 'apps.connections.open')
      return token.startsWith('xapp-') ? undefined : 'not_allowed_token_type'
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
