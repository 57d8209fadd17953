import {
  createServer,
  type IncomingMessage,
  type RequestListener,
  type Server,
  type ServerResponse,
} from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Duplex } from 'node:stream'
import { type FaultPlan, parseFaultRule } from './faults.ts'
import { HttpError, sendJson } from './http-kit.ts'
import { loopbackRefusal, refuseUpgrade } from './loopback-guard.ts'
import type { RequestStats } from './request-stats.ts'
import type { Route, RouteContext, RouteResult } from './route.ts'

/**
 * The HTTP side every emulator shares: one port for HTTP and WebSocket upgrades, on loopback,
 * answering only requests addressed to a loopback name and sent by no web page of another origin
 * (loopbackRefusal), and the responses it holds open on purpose (the "apply, then never answer" fault) so that stopping
 * never waits on them.
 */
export class EmulatorServer {
  private readonly server: Server
  private readonly held = new Set<ServerResponse>()
  private baseUrl = ''

  constructor(
    handler: RequestListener,
    onUpgrade: (req: IncomingMessage, socket: Duplex, head: Buffer) => void,
  ) {
    // Every request and upgrade, platform API, gateway, response URL and control API alike.
    this.server = createServer((req, res) => {
      const refused = loopbackRefusal(req)
      if (refused === undefined) handler(req, res)
      else sendJson(res, 403, { error: refused })
    })
    this.server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      const refused = loopbackRefusal(req)
      if (refused === undefined) onUpgrade(req, socket, head)
      else refuseUpgrade(socket, refused)
    })
  }

  async listen(port: number, host: string): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject)
      this.server.listen(port, host, () => resolve())
    })
    const address = this.server.address() as AddressInfo
    this.baseUrl = `http://${address.address}:${address.port}`
  }

  /** Keeps a response open without answering: the client times out not knowing the call worked. */
  hold(res: ServerResponse): void {
    this.held.add(res)
    res.on('close', () => this.held.delete(res))
  }

  async close(): Promise<void> {
    for (const res of this.held) res.destroy()
    this.server.closeAllConnections()
    await new Promise<void>((resolve) => this.server.close(() => resolve()))
  }

  /** http://127.0.0.1:PORT */
  get url(): string {
    return this.baseUrl
  }
}

/** `GET /stats` and `DELETE /stats` (reset), the same on every emulator. */
export function statsRoutes(stats: RequestStats): Route[] {
  return [
    { method: 'GET', path: '/stats', handle: () => ({ status: 200, body: stats.toJSON() }) },
    {
      method: 'DELETE',
      path: '/stats',
      handle: () => {
        stats.reset()
        return { status: 204 }
      },
    },
  ]
}

/**
 * `POST /faults` (a rule for a route, or a fault of the emulator's own protocol, which `own`
 * recognises and answers) and `DELETE /faults` (every fault cleared, `own`'s too).
 */
export function faultRoutes(
  faults: FaultPlan,
  own: { add?(body: RouteContext['body']): RouteResult | undefined; clear?(): void } = {},
): Route[] {
  return [
    {
      method: 'POST',
      path: '/faults',
      handle: ({ body }) => {
        const answered = own.add?.(body)
        if (answered !== undefined) return answered
        const rule = parseFaultRule(body)
        if (typeof rule === 'string') throw new HttpError(400, { error: rule })
        faults.add(rule)
        return { status: 201, body: rule }
      },
    },
    {
      method: 'DELETE',
      path: '/faults',
      handle: () => {
        faults.clear()
        own.clear?.()
        return { status: 204 }
      },
    },
  ]
}
