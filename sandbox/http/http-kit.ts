import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Route } from './route.ts'

/** The largest request body the emulators accept; real platforms refuse far smaller ones. */
const MAX_BODY_BYTES = 8 * 1024 * 1024

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
  ) {
    super(`HTTP ${status}`)
  }
}

export async function readRawBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of req) {
    size += (chunk as Buffer).length
    if (size > MAX_BODY_BYTES) throw new HttpError(413, { message: 'Request entity too large' })
    chunks.push(chunk as Buffer)
  }
  return Buffer.concat(chunks).toString('utf8')
}

/** JSON bodies (Discord, control API) and form bodies (Slack's Web API), by content type. */
export function parseBody(raw: string, contentType: string | undefined): Record<string, unknown> {
  if (raw === '') return {}
  if (contentType?.includes('application/x-www-form-urlencoded')) {
    return Object.fromEntries(new URLSearchParams(raw))
  }
  try {
    const parsed: unknown = JSON.parse(raw)
    // Arrays (bulk command registration) come through as they are; callers check Array.isArray.
    return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : {}
  } catch {
    throw new HttpError(400, { message: 'The request body is not valid JSON', code: 50109 })
  }
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  if (res.headersSent || res.destroyed) return
  if (status === 204) {
    res.writeHead(204, headers).end()
    return
  }
  const text = JSON.stringify(body)
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    ...headers,
  })
  res.end(text)
}

export const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

/** Answers an HttpError as itself; anything else is a bug in the emulator, logged and answered 500. */
export function respondWithError(res: ServerResponse, error: unknown, internalErrorBody: unknown): void {
  if (error instanceof HttpError) {
    sendJson(res, error.status, error.body)
    return
  }
  console.error('sandbox: unexpected error', error)
  sendJson(res, 500, internalErrorBody)
}

/**
 * True when a control call may act: a GET reads only; anything else must say its body is JSON.
 * A web page can send a form, multipart or text/plain POST to any address without asking first
 * (a CORS "simple request", https://fetch.spec.whatwg.org/#cors-safelisted-request-header), but
 * not an application/json one, so a page the person has open cannot act in their sandbox.
 */
function isJsonOrRead(req: IncomingMessage): boolean {
  if (req.method === 'GET' || req.method === 'HEAD') return true
  const mediaType = req.headers['content-type']?.split(';')[0]?.trim().toLowerCase()
  return mediaType === 'application/json'
}

/**
 * Serves a control-API route: JSON in, JSON out, errors as `{error}` bodies. A call that changes
 * something without `Content-Type: application/json` is answered 415 and does nothing (one
 * addressed to another host name, or sent by a page of another origin, never gets here:
 * EmulatorServer answers it 403).
 */
export async function serveControlRoute(
  route: Route,
  req: IncomingMessage,
  res: ServerResponse,
  params: Record<string, string>,
  toHttpError: (error: unknown) => unknown = (error) => error,
): Promise<void> {
  try {
    if (!isJsonOrRead(req)) throw new HttpError(415, { error: 'the control API takes application/json only' })
    const raw = await readRawBody(req)
    const query = new URL(req.url ?? '/', 'http://localhost').searchParams
    let body: Record<string, unknown>
    try {
      body = parseBody(raw, 'application/json')
    } catch {
      throw new HttpError(400, { error: 'the request body is not valid JSON' })
    }
    const result = await route.handle({ params, query, body, req })
    sendJson(res, result.status, result.body)
  } catch (error) {
    respondWithError(res, toHttpError(error), { error: 'internal error' })
  }
}
