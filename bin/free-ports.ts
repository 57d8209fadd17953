import { createServer } from 'node:net'
import { ThreadbridgeError } from '../src/errors.ts'

/** A port start-up will listen on, and the setting that moves it. */
export interface WantedPort {
  port: number
  /** Where it will listen; every interface when absent, as Bolt's HTTP receiver does. */
  host?: string | undefined
  /** Says, in the failure line, what the port is for and which setting moves it. */
  taken: (port: number) => string
}

/**
 * Ends start-up with one line when a port it will need is held by something else, before it
 * migrates the database, announces the sandbox or connects anywhere: found by listening there
 * for a moment. Port 0 (any free one) is never taken. Whatever else goes wrong with listening is
 * left for the real listen to report.
 */
export async function checkPortsFree(wanted: readonly WantedPort[]): Promise<void> {
  for (const { port, host, taken } of wanted) {
    if (port === 0) continue
    const code = await new Promise<string | undefined>((resolve) => {
      const server = createServer()
      server.once('error', (error: NodeJS.ErrnoException) => resolve(error.code))
      server.listen({ port, ...(host === undefined ? {} : { host }), exclusive: true }, () =>
        server.close(() => resolve(undefined)),
      )
    })
    if (code === 'EADDRINUSE') throw new ThreadbridgeError('config_invalid', taken(port))
  }
}
