import { connect, type Socket } from 'node:net'
import { describe, expect, it } from 'vitest'
import { SLACK_BODY_LIMIT_BYTES } from '../../adapters/slack/connect-slack.ts'
import { useBridge } from '../support/bridge-harness.ts'

/**
 * The attack: anyone who finds the Request URL posts a huge body, or a slow endless chunked one.
 * Bolt reads a body whole before it checks the signature, so an unsigned request costs the bot
 * as much memory as the sender likes (4 MB each by Bolt's default). Now a body over 1 MiB is
 * refused with 413 as soon as it is known to be: at once when Content-Length says so, or when
 * the chunks received pass the limit, before the sender has finished.
 */
describe('Slack HTTP mode refuses bodies over 1 MiB before reading them whole (real Bolt)', () => {
  const t = useBridge({ slackMode: 'http' })

  /** Opens a raw connection to the Request URL and resolves with the status line of the answer. */
  const open = (): { socket: Socket; status: Promise<string> } => {
    const socket = connect(t.bridge.slackHttpPort ?? 0, '127.0.0.1')
    const status = new Promise<string>((resolve, reject) => {
      let text = ''
      socket.on('data', (data) => {
        text += data.toString('latin1')
        const line = text.indexOf('\r\n')
        if (line !== -1) resolve(text.slice(0, line))
      })
      socket.on('error', reject)
      socket.on('close', () => reject(new Error(`closed without an answer: ${text}`)))
    })
    return { socket, status }
  }
  const head = (extra: string) =>
    `POST /slack/events HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n${extra}\r\n`
  const write = (socket: Socket, data: string | Buffer) =>
    new Promise<void>((resolve, reject) => socket.write(data, (error) => (error ? reject(error) : resolve())))

  it('answers 413 to a declared 64 MiB body after a few kilobytes of it', async () => {
    const { socket, status } = open()
    try {
      await write(socket, head(`Content-Length: ${64 * 1024 * 1024}\r\n`))
      await write(socket, Buffer.alloc(16 * 1024, 0x61))
      expect(await status).toBe('HTTP/1.1 413 Payload Too Large')
    } finally {
      socket.destroy()
    }
  })

  it('answers 413 to a chunked body once it passes 1 MiB, before it ends', async () => {
    const { socket, status } = open()
    try {
      await write(socket, head('Transfer-Encoding: chunked\r\n'))
      const chunk = Buffer.alloc(64 * 1024, 0x61)
      const framed = Buffer.concat([
        Buffer.from(`${chunk.length.toString(16)}\r\n`),
        chunk,
        Buffer.from('\r\n'),
      ])
      let sent = 0
      // Chunk by chunk, as a slow sender would, just past the limit; never the last chunk.
      while (sent <= SLACK_BODY_LIMIT_BYTES) {
        await write(socket, framed)
        sent += chunk.length
      }
      expect(sent).toBeGreaterThan(SLACK_BODY_LIMIT_BYTES)
      expect(await status).toBe('HTTP/1.1 413 Payload Too Large')
    } finally {
      socket.destroy()
    }
  })

  it('reads a body under the limit, and refuses it for its signature, not its size', async () => {
    expect(SLACK_BODY_LIMIT_BYTES).toBe(1024 * 1024)
    const body = JSON.stringify({ type: 'event_callback', padding: 'a'.repeat(SLACK_BODY_LIMIT_BYTES - 100) })
    const response = await fetch(`http://127.0.0.1:${t.bridge.slackHttpPort}/slack/events`, {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/json' },
    })
    expect(response.status).toBe(401)
  })
})
