import type { AddressInfo } from 'node:net'
import { App, HTTPReceiver, LogLevel } from '@slack/bolt'
import { type Logger, silentLogger } from '../../src/logger.ts'
import { guardedFetch } from './slack-guarded-fetch.ts'
import { guardSlackRequests } from './slack-request-guard.ts'

/**
 * The largest request body the HTTP receiver reads, in bytes: 1 MiB. Slack's own payloads are far
 * smaller (a message is at most 40,000 characters; a view's blocks, 100 of them). A larger body
 * is refused with 413 before it is read whole, and so before its signature is checked: Bolt reads
 * a body entirely to check it, so without this an unsigned request costs what the sender likes.
 */
export const SLACK_BODY_LIMIT_BYTES = 1024 * 1024

/** Where Slack sends events, slash commands and interactions in HTTP mode: the app's Request URL path. */
export const SLACK_EVENTS_PATH = '/slack/events'

export interface SlackConnectionOptions {
  botToken: string
  /** Socket Mode: the app-level token (xapp-, with connections:write). */
  appToken?: string | undefined
  /**
   * HTTP mode instead of Socket Mode: Slack POSTs to `SLACK_EVENTS_PATH` on this port (0: any
   * free one), each request signed with the app's signing secret.
   */
  http?: { signingSecret: string; port: number; host?: string } | undefined
  /** Slack's Web API base (https://slack.com/api/); the sandbox's URL in sandbox mode. */
  apiUrl?: string | undefined
  timeoutMs?: number
  /**
   * false: the Web API only, no events (a one-off job such as backfill). Slack hands each event
   * to one of an app's connections, and one with no listeners would acknowledge, and so lose,
   * events meant for the running bot.
   */
  receive?: boolean
  /** Where refused HTTP-mode requests are logged (a warning each, never the body). */
  logger?: Logger
}

export interface SlackConnection {
  app: App
  /** In HTTP mode, the port Slack's requests are served on (the one asked for, or the one given for 0). */
  httpPort?: number
}

/**
 * Starts the Bolt app against Slack (or the sandbox: only the base URL differs), in Socket Mode
 * or, with `http`, serving the Events API, interactivity and slash commands at
 * `SLACK_EVENTS_PATH` with Bolt's HTTPReceiver, behind guardSlackRequests: 401 to a request
 * that is unsigned, wrongly signed or timestamped more than 5 minutes from now, either way
 * (https://api.slack.com/authentication/verifying-requests-from-slack), 400 to a signed body
 * that is none of Slack's requests. Bolt acknowledges before the listener runs, within Slack's
 * 3 seconds. A retried event (`X-Slack-Retry-Num`)
 * carries its first delivery's event_id, which the inbound ledger applies once.
 * Initialisation is deferred so a bad token is an error we can report, not an unhandled
 * rejection from inside Bolt's constructor. Throws Error when neither mode is given.
 */
export async function connectSlack(options: SlackConnectionOptions): Promise<SlackConnection> {
  const clientOptions = {
    ...(options.apiUrl ? { slackApiUrl: options.apiUrl } : {}),
    // As for Discord: the mirror engine owns retries, so the client makes none of its own.
    retryConfig: { retries: 0 },
    // Bolt's respond() uses the client's fetch too: every request to Slack passes the last guard.
    fetch: guardedFetch(),
    timeout: options.timeoutMs ?? 15_000,
  }
  if (options.receive === false) {
    const app = new App({
      token: options.botToken,
      // Never started: the receiver is not used, it only satisfies Bolt's constructor.
      signingSecret: 'unused: this app receives nothing',
      deferInitialization: true,
      logLevel: LogLevel.WARN,
      clientOptions,
    })
    await app.init()
    return { app }
  }
  if (options.http) {
    const receiver = new HTTPReceiver({
      signingSecret: options.http.signingSecret,
      endpoints: SLACK_EVENTS_PATH,
      bodyLimit: SLACK_BODY_LIMIT_BYTES,
      logLevel: LogLevel.WARN,
    })
    receiver.requestListener = guardSlackRequests(receiver.requestListener, {
      path: SLACK_EVENTS_PATH,
      signingSecret: options.http.signingSecret,
      bodyLimit: SLACK_BODY_LIMIT_BYTES,
      logger: options.logger ?? silentLogger,
    })
    const app = new App({
      token: options.botToken,
      receiver,
      deferInitialization: true,
      logLevel: LogLevel.WARN,
      clientOptions,
    })
    await app.init()
    const server = (await app.start({
      port: options.http.port,
      ...(options.http.host ? { host: options.http.host } : {}),
    })) as { address(): AddressInfo | string | null }
    const address = server.address()
    return {
      app,
      httpPort: typeof address === 'object' && address !== null ? address.port : options.http.port,
    }
  }
  if (!options.appToken) throw new Error('connectSlack needs an app token (Socket Mode) or http options')
  const app = new App({
    token: options.botToken,
    appToken: options.appToken,
    socketMode: true,
    deferInitialization: true,
    logLevel: LogLevel.WARN,
    clientOptions,
  })
  await app.init()
  // auth.test (the bot token) has answered: a refusal now is the app-level token's, for Socket Mode.
  await app.start().catch((error: unknown) => {
    throw Object.assign(error instanceof Error ? error : new Error(String(error)), {
      token: 'SLACK_APP_TOKEN',
    })
  })
  return { app }
}
