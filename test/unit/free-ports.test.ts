import { createServer, type Server } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { checkPortsFree } from '../../bin/free-ports.ts'
import { ThreadbridgeError } from '../../src/errors.ts'

const servers: Server[] = []
afterEach(async () => {
  for (const server of servers.splice(0)) await new Promise((resolve) => server.close(resolve))
})

async function occupiedAt(port: number, host?: string): Promise<number> {
  const server = createServer()
  servers.push(server)
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen({ port, ...(host ? { host } : {}) }, resolve)
  })
  return (server.address() as { port: number }).port
}
const occupied = (host?: string) => occupiedAt(0, host)

const named = (what: string) => (port: number) => `${what} (${port}) is taken`

describe('checkPortsFree', () => {
  it('names the first port something else listens on, on the host asked or on every interface', async () => {
    const loopback = await occupied('127.0.0.1')
    await expect(checkPortsFree([{ port: loopback, host: '127.0.0.1', taken: named('a') }])).rejects.toEqual(
      new ThreadbridgeError('config_invalid', `a (${loopback}) is taken`),
    )
    // Held on loopback, wanted on every interface (Slack's HTTP receiver): taken too.
    await expect(checkPortsFree([{ port: loopback, taken: named('b') }])).rejects.toThrow(
      `b (${loopback}) is taken`,
    )
  })

  it('passes free ports and port 0, and leaves them free', async () => {
    const port = await occupied('127.0.0.1')
    await new Promise((resolve) => servers.pop()?.close(resolve))
    await checkPortsFree([
      { port, host: '127.0.0.1', taken: named('a') },
      { port: 0, taken: named('b') },
    ])
    // Nothing is kept listening: the port can be taken at once.
    expect(await occupiedAt(port)).toBe(port)
  })
})
