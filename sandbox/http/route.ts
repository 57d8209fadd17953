import type { IncomingMessage } from 'node:http'

export interface RouteContext {
  params: Record<string, string>
  query: URLSearchParams
  // biome-ignore lint/suspicious/noExplicitAny: request bodies are untrusted input, checked field by field
  body: Record<string, any>
  req: IncomingMessage
}

export type RouteResult = { status: number; body?: unknown; headers?: Record<string, string> }

export interface Route {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE'
  /** The path under the emulator's prefix, which is also the route's name in stats and fault rules. */
  path: string
  handle(ctx: RouteContext): RouteResult | Promise<RouteResult>
}
