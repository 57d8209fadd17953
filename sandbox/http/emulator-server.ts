import {
  createServer,
  type IncomingMessage,
  type RequestListener,
  type Server,
  type ServerResponse,
} from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Duplex } from 'node:stream'
import type { RequestStats } from './request-stats.ts'
import type { Route } from './route.ts'

/**
 * The HTTP side every emulator shares: one port for HTTP and WebSocket upgrades, on loopback, and
 * the responses it holds open on purpose (the "apply, then never answer" fault) so that stopping
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
    this.server = createServer(handler)
    this.server.on('upgrade', onUpgrade)
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
