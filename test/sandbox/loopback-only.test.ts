import { request } from 'node:http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SANDBOX_TOKENS, type Sandbox, startSandbox } from '../../sandbox/sandbox.ts'

const HOST_REFUSED = JSON.stringify({ error: 'the sandbox answers only to 127.0.0.1, localhost and [::1]' })
const ORIGIN_REFUSED = JSON.stringify({ error: 'the sandbox answers no web page from another origin' })

interface Answer {
  status: number
  body: string
}

/** A request with the headers a browser (or curl) can set and fetch cannot: Host, Origin. */
function call(
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: options.method ?? 'GET', headers: options.headers ?? {} }, (res) => {
      let body = ''
      res.on('data', (chunk: Buffer) => {
        body += chunk.toString('utf8')
      })
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }))
    })
    req.on('error', reject)
    req.end(options.body)
  })
}

/** A WebSocket upgrade as a browser page would open one: the status it is answered with. */
function upgrade(url: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, {
      headers: {
        connection: 'Upgrade',
        upgrade: 'websocket',
        'sec-websocket-version': '13',
        'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==',
        ...headers,
      },
    })
    req.on('upgrade', (res, socket) => {
      socket.destroy()
      resolve(res.statusCode ?? 0)
    })
    req.on('response', (res) => {
      res.resume()
      resolve(res.statusCode ?? 0)
    })
    req.on('error', reject)
    req.end()
  })
}

/**
 * The attack: the sandbox listens on the loopback with fixed, published tokens. A web page the
 * developer has open can still reach it: by pointing its own domain at 127.0.0.1 (DNS
 * rebinding; its requests then carry its own name as Host and are same-origin to it, so it reads
 * the answers), or by posting a form or opening a WebSocket cross-site (browsers send those
 * without asking, with an Origin header; Slack's Web API takes form posts with the token in a
 * field). Now every request to either emulator, platform API, gateway, Socket Mode, response
 * URLs and control API alike, must name the emulator by a loopback name, and one a page of
 * another origin sent is refused. SDKs send no Origin, so the bot is served as before.
 */
describe('the sandbox answers only to loopback names, and to no page of another origin', () => {
  let sandbox: Sandbox
  let post: (headers: Record<string, string>, body?: string) => Promise<Answer>
  const messageCount = () => sandbox.slack.state.messages.get(sandbox.slackSeed.channelId)?.length ?? 0
  beforeAll(async () => {
    // Limits lifted: one channel is posted to six times in a row, faster than Slack allows.
    sandbox = await startSandbox({ discordPort: 0, slackPort: 0, liftRateLimits: true })
    const form = new URLSearchParams({
      token: SANDBOX_TOKENS.slackBot,
      channel: sandbox.slackSeed.channelId,
      text: 'hi',
    }).toString()
    post = (headers, body = form) =>
      call(`${sandbox.slack.url}/api/chat.postMessage`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
        body,
      })
  })
  afterAll(async () => {
    await sandbox?.stop()
  })
  const port = (base: string) => new URL(base).port

  it("refuses Slack's Web API addressed by another name, and a form post from another origin", async () => {
    const before = messageCount()
    const slackPort = port(sandbox.slack.url)
    expect(await post({ host: `evil.example:${slackPort}` })).toEqual({ status: 403, body: HOST_REFUSED })
    expect(await post({ host: 'evil.example' })).toEqual({ status: 403, body: HOST_REFUSED })
    // A rebound name that starts like a loopback one is still another name.
    expect(await post({ host: `127.0.0.1.evil.example:${slackPort}` })).toEqual({
      status: 403,
      body: HOST_REFUSED,
    })
    expect(await post({ origin: 'https://evil.example' })).toEqual({ status: 403, body: ORIGIN_REFUSED })
    // A sandboxed frame or a redirect sends the opaque origin "null".
    expect(await post({ origin: 'null' })).toEqual({ status: 403, body: ORIGIN_REFUSED })
    // The same body as JSON text, which a page may also send without asking.
    const json = JSON.stringify({
      token: SANDBOX_TOKENS.slackBot,
      channel: sandbox.slackSeed.channelId,
      text: 'hi',
    })
    expect(await post({ origin: 'https://evil.example', 'content-type': 'text/plain' }, json)).toEqual({
      status: 403,
      body: ORIGIN_REFUSED,
    })
    expect(messageCount()).toBe(before)
  })

  it('still takes a form post as Slack does, from an SDK or a page on the loopback, by any loopback name', async () => {
    const before = messageCount()
    const slackPort = port(sandbox.slack.url)
    for (const headers of [
      {},
      { host: `localhost:${slackPort}` },
      { host: `[::1]:${slackPort}` },
      { host: 'localhost' },
      { origin: 'http://localhost:5173' },
      { origin: `http://127.0.0.1:${slackPort}` },
    ]) {
      const answer = await post(headers)
      expect({ headers, status: answer.status, ok: JSON.parse(answer.body).ok }).toEqual({
        headers,
        status: 200,
        ok: true,
      })
    }
    expect(messageCount()).toBe(before + 6)
  })

  it("refuses Discord's REST API, with its fixed bot token, to another name or another origin", async () => {
    const url = `${sandbox.discord.url}/api/v10/users/@me`
    const authorization = `Bot ${SANDBOX_TOKENS.discord}`
    const discordPort = port(sandbox.discord.url)
    expect(await call(url, { headers: { authorization, host: `evil.example:${discordPort}` } })).toEqual({
      status: 403,
      body: HOST_REFUSED,
    })
    expect(await call(url, { headers: { authorization, origin: 'https://evil.example' } })).toEqual({
      status: 403,
      body: ORIGIN_REFUSED,
    })
    expect((await call(url, { headers: { authorization, host: `localhost:${discordPort}` } })).status).toBe(
      200,
    )
  })

  it('refuses a WebSocket to the Discord gateway or Slack Socket Mode from another name or origin', async () => {
    const gateway = `${sandbox.discord.url}/?v=10&encoding=json`
    const discordPort = port(sandbox.discord.url)
    expect(await upgrade(gateway, { host: `evil.example:${discordPort}` })).toBe(403)
    expect(await upgrade(gateway, { origin: 'https://evil.example' })).toBe(403)
    expect(await upgrade(gateway, {})).toBe(101)
    expect(await upgrade(gateway, { origin: `http://localhost:${discordPort}` })).toBe(101)
    const link = `${sandbox.slack.url}/link/?ticket=any`
    expect(await upgrade(link, { host: `evil.example:${port(sandbox.slack.url)}` })).toBe(403)
    expect(await upgrade(link, { origin: 'https://evil.example' })).toBe(403)
  })

  it('refuses the control API and response URLs to another name or origin', async () => {
    const slackPort = port(sandbox.slack.url)
    for (const path of ['/_sandbox/state', '/respond/1']) {
      const method = path === '/_sandbox/state' ? 'GET' : 'POST'
      expect(
        await call(`${sandbox.slack.url}${path}`, { method, headers: { host: `evil.example:${slackPort}` } }),
      ).toEqual({
        status: 403,
        body: HOST_REFUSED,
      })
      expect(
        await call(`${sandbox.slack.url}${path}`, { method, headers: { origin: 'https://evil.example' } }),
      ).toEqual({
        status: 403,
        body: ORIGIN_REFUSED,
      })
    }
  })
})
