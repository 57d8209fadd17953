import type { IncomingMessage, ServerResponse } from 'node:http'
import { parse } from 'node:querystring'
import { HTTPModuleFunctions, verifySlackRequest } from '@slack/bolt'
import type { Logger } from '../../src/logger.ts'
import { judgeSlackRequest } from './slack-request-shape.ts'

/**
 * How far a request's timestamp may be from our clock, either way, in seconds: five minutes
 * (https://api.slack.com/authentication/verifying-requests-from-slack).
 */
export const SIGNATURE_WINDOW_SECONDS = 5 * 60

type RequestListener = (req: IncomingMessage, res: ServerResponse) => void

export interface SlackRequestGuardOptions {
  /** Where Slack's requests come (the Request URL's path): only POSTs to it are guarded. */
  path: string
  signingSecret: string
  /** The largest body read, in bytes. */
  bodyLimit: number
  logger: Logger
}

/** Why a request was refused, for the log: a code, never anything the request held. */
type Refusal = { status: number; reason: string; issues?: string[] }

/**
 * Stands in front of Bolt's HTTPReceiver, which reads a body whole, then checks its signature,
 * then reads fields of it without looking: a signed `null` made it throw outside any try, which
 * ended the process. Here each POST to the Request URL is read (within `bodyLimit`), its
 * timestamp and signature checked, and its body judged against the shapes of Slack's own requests, before
 * Bolt sees it; Bolt then takes the body already read. A body refused is answered at once
 * (413, 401, or 400 with `X-Slack-No-Retry: 1`, since Slack sending it again changes nothing)
 * and logged as a warning naming the problem, never the body. Anything that goes wrong here is
 * answered 500 and logged, never left to reject unobserved.
 */
export function guardSlackRequests(
  listener: RequestListener,
  options: SlackRequestGuardOptions,
): RequestListener {
  const { logger } = options
  return (req, res) => {
    const declared = Number(req.headers['content-length'])
    if (Number.isFinite(declared) && declared > options.bodyLimit) {
      // Bolt's own limit stops a chunked body in time, but waits for a declared huge one to come.
      res.writeHead(413, { connection: 'close' }).end()
      return
    }
    if (req.method?.toUpperCase() !== 'POST' || pathOf(req) !== options.path) {
      listener(req, res)
      return
    }
    admit(req, options).then(
      (refusal) => {
        if (refusal === undefined) return listener(req, res)
        logger.warn(
          { platform: 'slack', status: refusal.status, reason: refusal.reason, issues: refusal.issues },
          'refused a request to the Slack Request URL',
        )
        if (refusal.status === 200) return void res.writeHead(200).end()
        const noRetry: Record<string, string> = refusal.status === 400 ? { 'x-slack-no-retry': '1' } : {}
        res.writeHead(refusal.status, noRetry).end()
      },
      (error: unknown) => {
        logger.error({ platform: 'slack', err: error }, 'a request to the Slack Request URL failed')
        if (!res.headersSent) res.writeHead(500)
        res.end()
      },
    )
  }
}

/**
 * Reads the body and decides whether Bolt may have the request: undefined when it may, else
 * how to answer. Slack's SSL check is Bolt's to answer unsigned, as Slack sends it
 * (https://api.slack.com/interactivity/slash-commands): Bolt strips it to that one field.
 */
async function admit(req: IncomingMessage, options: SlackRequestGuardOptions): Promise<Refusal | undefined> {
  let raw: string
  try {
    raw = (await HTTPModuleFunctions.bufferIncomingMessage(req, options.bodyLimit)).rawBody.toString()
  } catch (error) {
    if (HTTPModuleFunctions.isRawBodyError(error))
      return { status: error.statusCode === 413 ? 413 : 400, reason: error.type }
    throw error
  }
  const contentType = req.headers['content-type']
  if (contentType === 'application/x-www-form-urlencoded' && parse(raw).ssl_check === '1') return undefined
  const signature = req.headers['x-slack-signature']
  const timestamp = req.headers['x-slack-request-timestamp']
  if (typeof signature !== 'string' || typeof timestamp !== 'string')
    return { status: 401, reason: 'unsigned' }
  // Bolt refuses only a timestamp too far in the past; one in the future would keep a signed
  // request replayable for as long as its signer chose. Slack's rule is the distance either way.
  const signedAt = /^\d{1,12}$/.test(timestamp) ? Number(timestamp) : Number.NaN
  if (!(Math.abs(Date.now() / 1000 - signedAt) <= SIGNATURE_WINDOW_SECONDS))
    return { status: 401, reason: 'timestamp_out_of_window' }
  try {
    verifySlackRequest({
      signingSecret: options.signingSecret,
      body: raw,
      headers: { 'x-slack-signature': signature, 'x-slack-request-timestamp': Number(timestamp) },
    })
  } catch {
    return { status: 401, reason: 'bad_signature' }
  }
  const judged = judgeSlackRequest(raw, contentType)
  if (!judged.ok) return { status: 400, reason: 'malformed_body', issues: judged.issues }
  // Slack tells the app it is sending too many events: nothing for Bolt to route, and Slack
  // wants its 200 (https://api.slack.com/apis/connections/events-api#rate-limiting).
  if (judged.kind === 'app_rate_limited') return { status: 200, reason: 'app_rate_limited' }
  return undefined
}

/** The request's path, as Bolt matches it against its endpoints; undefined when it cannot be read. */
function pathOf(req: IncomingMessage): string | undefined {
  try {
    return new URL(req.url ?? '', 'http://localhost').pathname
  } catch {
    return undefined
  }
}
