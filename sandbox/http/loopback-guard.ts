import type { IncomingMessage } from 'node:http'
import type { Duplex } from 'node:stream'

export const HOST_REFUSED = 'the sandbox answers only to 127.0.0.1, localhost and [::1]'
export const ORIGIN_REFUSED = 'the sandbox answers no web page from another origin'

/** The names a request may address the sandbox by, as `new URL()` writes them. */
const LOOPBACK_NAMES = new Set(['localhost', '127.0.0.1', '[::1]'])

/**
 * Why a request to an emulator is refused, or undefined when it may be served. The sandbox
 * listens on the loopback with fixed, published tokens, so what stands between it and a web page
 * the developer has open is the browser, and two headers the page cannot forge:
 * - Host: a page that points its own domain at 127.0.0.1 (DNS rebinding) is same-origin with
 *   what answers there, so it reads the answers, but its requests carry its own name as Host.
 * - Origin: a page may post a form or JSON-as-text, or open a WebSocket, to any address without
 *   asking first (https://fetch.spec.whatwg.org/#cors-safelisted-request-header), and Slack's
 *   Web API takes a form with the token in a field; the browser says which page sent it. SDKs
 *   and curl send no Origin, so the bot and the developer are served as before.
 */
export function loopbackRefusal(req: IncomingMessage): string | undefined {
  const host = req.headers.host
  if (host === undefined || !isLoopbackAuthority(host)) return HOST_REFUSED
  const origin = req.headers.origin
  if (origin !== undefined && !isLoopbackOrigin(origin)) return ORIGIN_REFUSED
  return undefined
}

/** Answers a refused WebSocket upgrade as an HTTP 403 with the same JSON error, and hangs up. */
export function refuseUpgrade(socket: Duplex, error: string): void {
  const text = JSON.stringify({ error })
  socket.end(
    'HTTP/1.1 403 Forbidden\r\ncontent-type: application/json\r\n' +
      `content-length: ${Buffer.byteLength(text)}\r\nconnection: close\r\n\r\n${text}`,
  )
}

/** A Host header naming the loopback, with any port; a host and port only, nothing else. */
function isLoopbackAuthority(authority: string): boolean {
  const url = parseUrl(`http://${authority}`)
  return (
    url !== undefined &&
    url.username === '' &&
    url.password === '' &&
    url.pathname === '/' &&
    url.search === '' &&
    url.hash === '' &&
    LOOPBACK_NAMES.has(url.hostname)
  )
}

/** A page served from the loopback itself (a developer's own tool); the opaque "null" is not one. */
function isLoopbackOrigin(origin: string): boolean {
  const url = parseUrl(origin)
  return (
    url !== undefined &&
    (url.protocol === 'http:' || url.protocol === 'https:') &&
    url.origin === origin &&
    LOOPBACK_NAMES.has(url.hostname)
  )
}

function parseUrl(text: string): URL | undefined {
  try {
    return new URL(text)
  } catch {
    return undefined
  }
}
