import { createHmac } from 'node:crypto'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { SlackEmulator } from '../../sandbox/slack/slack-emulator.ts'
import { type SlackSeed, seedSlack } from '../../sandbox/slack/slack-seed.ts'
import { waiter } from '../support/bolt-app.ts'
import { control } from '../support/control.ts'

const SECRET = 'test-signing-secret'

interface Received {
  headers: IncomingMessage['headers']
  body: string
}

/**
 * Slack over HTTP, as its docs describe it (https://api.slack.com/apis/connections/events-api,
 * https://api.slack.com/authentication/verifying-requests-from-slack): signed POSTs to the
 * Request URL, events as JSON and retried when not answered 200 within 3 s, commands as form
 * fields and interactions as a `payload` form field, neither retried. The app here is a bare
 * HTTP server that records what it gets and answers as each test says.
 */
describe('Slack emulator: delivery over HTTP to the Request URL', () => {
  let emulator: SlackEmulator
  let seed: SlackSeed
  let app: Server
  let answer: (request: Received, res: ServerResponse) => void
  const received: Received[] = []
  const wait = waiter()

  const start = async () => {
    received.length = 0
    app = createServer((req, res) => {
      let body = ''
      req.on('data', (chunk) => {
        body += chunk
      })
      req.on('end', () => {
        const request = { headers: req.headers, body }
        received.push(request)
        wait.poke()
        answer(request, res)
      })
    })
    await new Promise<void>((resolve) => app.listen(0, '127.0.0.1', resolve))
    const port = (app.address() as AddressInfo).port
    emulator = new SlackEmulator({
      ackTimeoutMs: 300,
      redeliveryDelaysMs: [0, 0, 0],
      commandAnswerMs: 1000,
      http: { signingSecret: SECRET, requestUrl: `http://127.0.0.1:${port}/slack/events` },
    })
    seed = seedSlack(emulator.state)
    await emulator.start()
  }
  const post = (text: string) =>
    control(emulator.url, 'POST', '/messages', { user: seed.users.sam, channel: seed.channelId, text })
  const eventText = (request: Received) =>
    (JSON.parse(request.body) as { event: { text: string } }).event.text

  afterEach(async () => {
    await emulator?.stop()
    app?.closeAllConnections()
    await new Promise((resolve) => app?.close(resolve))
  })

  it('POSTs an event as JSON, signed v0 with the signing secret and a current timestamp', async () => {
    answer = (_request, res) => res.writeHead(200).end()
    await start()
    await post('Signed')
    await wait.until(() => received.length === 1)
    const [request] = received
    if (request === undefined) throw new Error('nothing received')
    const timestamp = String(request.headers['x-slack-request-timestamp'])
    expect(Math.abs(Number(timestamp) - Date.now() / 1000)).toBeLessThan(60)
    const expected = createHmac('sha256', SECRET).update(`v0:${timestamp}:${request.body}`).digest('hex')
    expect(request.headers['x-slack-signature']).toBe(`v0=${expected}`)
    expect(request.headers['content-type']).toBe('application/json')
    expect(request.headers['x-slack-retry-num']).toBeUndefined()
    expect(JSON.parse(request.body)).toMatchObject({
      type: 'event_callback',
      event: { type: 'message', text: 'Signed' },
    })
  })

  it('retries an event answered with an error three times, with X-Slack-Retry-Num and the reason', async () => {
    answer = (_request, res) => res.writeHead(500).end()
    await start()
    await post('Failing')
    await wait.until(() => received.length === 4)
    expect(received.map((r) => [r.headers['x-slack-retry-num'], r.headers['x-slack-retry-reason']])).toEqual([
      [undefined, undefined],
      ['1', 'http_error'],
      ['2', 'http_error'],
      ['3', 'http_error'],
    ])
    expect(new Set(received.map((r) => JSON.parse(r.body).event_id)).size).toBe(1)
  })

  it('retries an event not answered within 3 s as http_timeout, and not once it is answered', async () => {
    const held: ServerResponse[] = []
    answer = (request, res) => {
      if (request.headers['x-slack-retry-num'] === undefined) held.push(res)
      else res.writeHead(200).end()
    }
    await start()
    await post('Slow')
    await wait.until(() => received.length === 2)
    expect(received[1]?.headers['x-slack-retry-reason']).toBe('http_timeout')
    for (const res of held) res.writeHead(200).end()
    // A later event is delivered once: the answered retry ended the first event's deliveries.
    await post('Next')
    await wait.until(() => received.some((r) => eventText(r) === 'Next'))
    expect(received.map(eventText)).toEqual(['Slow', 'Slow', 'Next'])
  })

  it('POSTs a slash command as form fields, takes the answer from the 200, and never retries it', async () => {
    answer = (_request, res) =>
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ text: 'Hello back' }))
    await start()
    const run = await control<{ answered: boolean; responses: { text: string }[] }>(
      emulator.url,
      'POST',
      '/commands',
      { user: seed.users.sam, channel: seed.channelId, command: '/threadbridge', text: 'help' },
    )
    expect(run.answered).toBe(true)
    expect(run.responses[0]?.text).toBe('Hello back')
    const form = new URLSearchParams(received[0]?.body)
    expect(received[0]?.headers['content-type']).toBe('application/x-www-form-urlencoded')
    expect([form.get('command'), form.get('text'), form.get('user_id')]).toEqual([
      '/threadbridge',
      'help',
      seed.users.sam,
    ])

    answer = (_request, res) => res.writeHead(500).end()
    const failed = await control<{ answered: boolean }>(emulator.url, 'POST', '/commands', {
      user: seed.users.sam,
      channel: seed.channelId,
      command: '/threadbridge',
      text: 'help',
    })
    expect(failed.answered).toBe(false)
    expect(received).toHaveLength(2)
  })

  it('POSTs an interaction as a `payload` form field holding its JSON', async () => {
    answer = (_request, res) => res.writeHead(200).end()
    await start()
    const root = await post('A message to act on')
    await control(emulator.url, 'POST', '/shortcuts', {
      user: seed.users.sam,
      callback_id: 'subscribe_thread',
      channel: seed.channelId,
      message_ts: root.ts,
    })
    const payload = JSON.parse(new URLSearchParams(received.at(-1)?.body).get('payload') ?? '{}')
    expect(payload).toMatchObject({ type: 'message_action', callback_id: 'subscribe_thread' })
  })
})
