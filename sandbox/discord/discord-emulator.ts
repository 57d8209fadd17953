import type { IncomingMessage, ServerResponse } from 'node:http'
import FindMyWay from 'find-my-way'
import { EmulatorServer } from '../http/emulator-server.ts'
import { FaultPlan } from '../http/faults.ts'
import {
  delay,
  parseBody,
  readRawBody,
  respondWithError,
  sendJson,
  serveControlRoute,
} from '../http/http-kit.ts'
import { RequestStats } from '../http/request-stats.ts'
import type { Route } from '../http/route.ts'
import { controlRoutes } from './discord-control.ts'
import { DiscordGateway, PRIVILEGED_INTENTS } from './discord-gateway.ts'
import { InteractionDesk } from './discord-interactions.ts'
import { DiscordPlatform } from './discord-platform.ts'
import { DiscordRateLimiter } from './discord-rate-limits.ts'
import { restRoutes } from './discord-rest.ts'
import { DiscordState } from './discord-state.ts'
import { snowflake } from './snowflake.ts'

export interface DiscordEmulatorOptions {
  /** A world to serve (restored from a snapshot); a new, empty one otherwise. */
  state?: DiscordState
  port?: number
  host?: string
  /** The bot token the emulator accepts; any token when unset. */
  token?: string
  /** Multiplies every rate limit's count: tests scale up, the benchmark keeps 1 (Discord's values). */
  rateLimitScale?: number
  /** No rate limits at all (the capacity benchmark measures the bridge alone); enforced when unset. */
  liftRateLimits?: boolean
  /**
   * The clock rate limits count time by, in ms (Date.now when unset). A test holds it still to
   * make calls fall in one window however slow the machine, and moves it to end the window.
   */
  rateLimitClock?: () => number
  heartbeatIntervalMs?: number
  /**
   * The privileged intents enabled for the application (GuildMembers, GuildPresences,
   * MessageContent), as the Developer Portal's Bot page sets them; all three when unset. A test
   * withdraws one to see what a bot that asks for it is told: close code 4014.
   */
  privilegedIntents?: number
  /** How long the control API waits for the bot to answer an interaction. */
  interactionAckMs?: number
  interactionAnswerMs?: number
}

const UNAUTHENTICATED = /^\/(webhooks|interactions)\//

/**
 * A local Discord: REST under /api/v10, the gateway on the same port, and a control API under
 * /_sandbox through which tests and the console act as people and read what people would see.
 */
export class DiscordEmulator {
  readonly state: DiscordState
  readonly stats = new RequestStats()
  readonly faults = new FaultPlan()
  readonly interactions = new InteractionDesk()
  readonly gateway: DiscordGateway
  readonly platform: DiscordPlatform
  /** The privileged intents enabled for the application; changeable while it runs, as in the portal. */
  privilegedIntents: number
  private readonly limiter: DiscordRateLimiter
  private readonly server: EmulatorServer

  constructor(readonly options: DiscordEmulatorOptions = {}) {
    this.state = options.state ?? new DiscordState()
    this.privilegedIntents = options.privilegedIntents ?? PRIVILEGED_INTENTS
    this.limiter = new DiscordRateLimiter(options.rateLimitScale ?? 1, options.liftRateLimits ?? false)
    this.gateway = new DiscordGateway(this.state, {
      token: options.token,
      heartbeatIntervalMs: options.heartbeatIntervalMs ?? 41_250,
      resumeUrl: () => this.gatewayUrl,
      privilegedIntents: () => this.privilegedIntents,
    })
    this.platform = new DiscordPlatform(this.state, this.gateway)
    const router = FindMyWay({
      defaultRoute: (_req, res) => sendJson(res, 404, { message: '404: Not Found', code: 0 }),
    })
    for (const route of restRoutes(this)) {
      router.on(
        route.method,
        `/api/v10${route.path}`,
        (req, res, params) => void this.serveRest(route, req, res, params as Record<string, string>),
      )
    }
    for (const route of controlRoutes(this)) {
      router.on(
        route.method,
        `/_sandbox${route.path}`,
        (req, res, params) => void serveControlRoute(route, req, res, params as Record<string, string>),
      )
    }
    this.server = new EmulatorServer(
      (req, res) => router.lookup(req, res),
      (req, socket, head) => this.gateway.handleUpgrade(req, socket, head),
    )
  }

  async start(): Promise<this> {
    await this.server.listen(this.options.port ?? 0, this.options.host ?? '127.0.0.1')
    return this
  }

  async stop(): Promise<void> {
    this.gateway.close()
    await this.server.close()
  }

  /** http://127.0.0.1:PORT */
  get url(): string {
    return this.server.url
  }

  /** What discord.js takes as `rest.api` (it appends /v10 itself). */
  get apiUrl(): string {
    return `${this.server.url}/api`
  }

  get gatewayUrl(): string {
    return this.server.url.replace(/^http/, 'ws')
  }

  nextId(): string {
    return snowflake()
  }

  private async serveRest(
    route: Route,
    req: IncomingMessage,
    res: ServerResponse,
    params: Record<string, string>,
  ) {
    const name = `${route.method} ${route.path}`
    const query = new URL(req.url ?? '/', 'http://localhost').searchParams
    try {
      const raw = await readRawBody(req)
      if (!UNAUTHENTICATED.test(route.path) && !this.authorized(req)) {
        this.stats.record(name, false)
        return sendJson(res, 401, { message: '401: Unauthorized', code: 0 })
      }
      const interactionRoute =
        route.path.startsWith('/interactions/') ||
        (params.id === this.state.applicationId && route.path.startsWith('/webhooks/'))
      const webhook =
        route.path === '/webhooks/:id/:token' && route.method === 'POST'
          ? this.state.webhooks.get(params.id ?? '')
          : undefined
      const decision = this.limiter.check(
        name,
        majorParameter(route.path, params),
        {
          global: !interactionRoute,
          webhookChannelId: webhook ? (query.get('thread_id') ?? webhook.channel_id) : undefined,
        },
        this.options.rateLimitClock?.() ?? Date.now(),
      )
      this.stats.record(name, !decision.ok)
      if (!decision.ok) {
        return sendJson(
          res,
          429,
          {
            message: 'You are being rate limited.',
            retry_after: decision.retryAfter,
            global: decision.global,
          },
          decision.headers,
        )
      }
      const fault = this.faults.take(name)
      if (fault?.mode === 'error') {
        return sendJson(res, fault.status ?? 500, { message: '500: Internal Server Error', code: 0 })
      }
      if (fault?.mode === 'latency') await delay(fault.latency_ms ?? 1000)
      const result = await route.handle({
        params,
        query,
        body: parseBody(raw, req.headers['content-type']),
        req,
      })
      if (fault?.mode === 'timeout') {
        // The call took effect; the answer never comes. The client must not assume it failed.
        this.server.hold(res)
        return
      }
      sendJson(res, result.status, result.body, { ...decision.headers, ...result.headers })
    } catch (error) {
      respondWithError(res, error, { message: '500: Internal Server Error', code: 0 })
    }
  }

  private authorized(req: IncomingMessage): boolean {
    const header = req.headers.authorization ?? ''
    if (!header.startsWith('Bot ')) return false
    return this.options.token === undefined || header.slice(4) === this.options.token
  }
}

/** Discord keys buckets by a route's top-level resource: the channel, guild or webhook. */
function majorParameter(path: string, params: Record<string, string>): string {
  if (path.startsWith('/webhooks/')) return `${params.id}:${params.token}`
  if (path.startsWith('/channels/') || path.startsWith('/guilds/')) return params.id ?? ''
  return ''
}
