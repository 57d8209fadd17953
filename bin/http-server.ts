import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { ThreadbridgeError } from '../src/errors.ts'

export interface Readiness {
  ready: boolean
  /** Why not, one short phrase each: "the database does not answer", "Slack is not connected". */
  reasons: string[]
}

export interface HttpEndpoints {
  readiness(): Promise<Readiness>
  metrics(): Promise<{ contentType: string; body: string }>
}

export interface HttpServer {
  /** http://host:port, with the port actually bound (port 0 picks one). */
  readonly url: string
  close(): Promise<void>
}

/**
 * Health, readiness and metrics for an orchestrator and a Prometheus scraper: /healthz answers
 * while the process runs, /readyz only when it can do its job, /metrics in Prometheus's text
 * format. A port already taken is a settings problem, told in one line naming the variable.
 */
export async function startHttpServer(
  options: { host: string; port: number },
  endpoints: HttpEndpoints,
): Promise<HttpServer> {
  const server = createServer((req, res) => {
    const send = (status: number, type: string, body: string) => {
      res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' })
      res.end(body)
    }
    const json = (status: number, body: unknown) => send(status, 'application/json', JSON.stringify(body))
    const path = (req.url ?? '/').split('?')[0]
    if (req.method !== 'GET' && req.method !== 'HEAD') return json(405, { error: 'method not allowed' })
    const answer = async () => {
      if (path === '/healthz') return json(200, { status: 'ok' })
      if (path === '/readyz') {
        const readiness = await endpoints.readiness()
        return readiness.ready
          ? json(200, { status: 'ready' })
          : json(503, { status: 'not ready', reasons: readiness.reasons })
      }
      if (path === '/metrics') {
        const { contentType, body } = await endpoints.metrics()
        return send(200, contentType, body)
      }
      return json(404, { error: 'not found', endpoints: ['/healthz', '/readyz', '/metrics'] })
    }
    answer().catch((error: unknown) => {
      if (!res.headersSent) json(500, { error: error instanceof Error ? error.message : String(error) })
    })
  })
  // A scraper's keep-alive connection must not hold a stop open.
  server.keepAliveTimeout = 5000
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      reject(
        error.code === 'EADDRINUSE' || error.code === 'EACCES' || error.code === 'EADDRNOTAVAIL'
          ? new ThreadbridgeError(
              'config_invalid',
              `cannot serve health and metrics on ${options.host}:${options.port} (${error.code}); set THREADBRIDGE_HTTP_PORT to a free port (0 picks one) or THREADBRIDGE_HTTP_HOST`,
            )
          : error,
      )
    })
    server.listen(options.port, options.host, () => resolve())
  })
  const address = server.address() as AddressInfo
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address
  return {
    url: `http://${host}:${address.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      }),
  }
}
