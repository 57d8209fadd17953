import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { HttpDelivery } from '../../sandbox/slack/slack-http-delivery.ts'
import { eventually, SLACK_SIGNING_SECRET, useBridge } from '../support/bridge-harness.ts'
import { control } from '../support/control.ts'

/** Words that stand for someone's message: they must never reach the log. */
const WORDS = 'PRIVATE-WORDS-7f3a'

const json = 'application/json'
const form = 'application/x-www-form-urlencoded'
const formOf = (fields: Record<string, string>) => new URLSearchParams(fields).toString()
const payload = (value: unknown) => formOf({ payload: JSON.stringify(value) })
const person = { id: 'U0SAM', team_id: 'T0SANDBOX' }
const team = { id: 'T0SANDBOX', domain: 'sandbox' }

/**
 * Signed bodies no Slack request looks like (https://api.slack.com/apis/connections/events-api,
 * https://api.slack.com/interactivity/handling): not an object, no type, a type of no request
 * Slack sends, or one without the fields its type always has.
 */
const MALFORMED: [string, string, string][] = [
  ['null', json, 'null'],
  ['an array', json, '[1,2]'],
  ['a string', json, JSON.stringify(WORDS)],
  ['a number', json, '5'],
  ['not JSON', json, `{"text": "${WORDS}`],
  ['an object without a type', json, JSON.stringify({ text: WORDS })],
  ['an unknown type', json, JSON.stringify({ type: 'nonsense', text: WORDS })],
  ['an event_callback without an event', json, JSON.stringify({ type: 'event_callback', team_id: 'T1' })],
  ['an event_callback whose event is null', json, JSON.stringify({ type: 'event_callback', event: null })],
  [
    'an event whose item is not an object',
    json,
    JSON.stringify({ type: 'event_callback', team_id: 'T1', event: { type: 'reaction_added', item: WORDS } }),
  ],
  [
    'an event whose authorizations hold null',
    json,
    JSON.stringify({
      type: 'event_callback',
      team_id: 'T1',
      authorizations: [null],
      event: { type: 'message', channel: 'C1', text: WORDS },
    }),
  ],
  ['a form of neither command nor payload', form, formOf({ text: WORDS })],
  ['a payload of null', form, formOf({ payload: 'null' })],
  ['a payload that is not JSON', form, formOf({ payload: `{${WORDS}` })],
  ['a payload array', form, payload([1, 2])],
  ['a block_actions payload without user or actions', form, payload({ type: 'block_actions', team })],
  [
    'a view_submission payload without its view',
    form,
    payload({ type: 'view_submission', team, user: person }),
  ],
  ['a shortcut payload without a user or team', form, payload({ type: 'shortcut', callback_id: 'x' })],
  ['an interactive payload of an unknown type', form, payload({ type: 'nonsense', team, user: person })],
  [
    'a slash command named twice',
    form,
    'command=%2Fthreadbridge&command=%2Fother&text=help&team_id=T1&user_id=U1&channel_id=C1',
  ],
  [
    'a slash command without its user',
    form,
    formOf({ command: '/threadbridge', text: WORDS, team_id: 'T1' }),
  ],
]

/**
 * The attack: someone who holds the signing secret, or Slack misbehaving, signs a body Bolt does
 * not expect. Bolt's receiver read `body.ssl_check` of a signed `null` outside any try, and the
 * rejection went uncaught, ending the process; other shapes were left unanswered for 3 s and then
 * given a 404, or made Bolt throw while it routed them. Now every signed body that is not one of
 * Slack's requests is answered 400 at once, with a warning that names the problem, never the body.
 */
describe('Slack HTTP mode answers a signed but malformed body 400 at once, and keeps running', () => {
  const t = useBridge({ slackMode: 'http' })
  const uncaught: unknown[] = []
  const onUncaught = (error: unknown) => uncaught.push(error)
  beforeEach(() => {
    uncaught.length = 0
    process.on('unhandledRejection', onUncaught)
    process.on('uncaughtException', onUncaught)
  })
  afterEach(() => {
    process.off('unhandledRejection', onUncaught)
    process.off('uncaughtException', onUncaught)
  })

  const send = (body: string, contentType: string, signedAt = Date.now()) =>
    fetch(`http://127.0.0.1:${t.bridge.slackHttpPort}/slack/events`, {
      method: 'POST',
      body,
      headers: { 'content-type': contentType, ...HttpDelivery.sign(SLACK_SIGNING_SECRET, body, signedAt) },
      // Bolt gives an unacknowledged request a 404 after 3 s: an answer must come well before.
      signal: AbortSignal.timeout(2500),
    })

  it('refuses each with 400, logs a warning without the body, and still mirrors what follows', async () => {
    for (const [name, contentType, body] of MALFORMED) {
      const before = t.logs.length
      const response = await send(body, contentType).catch((error: unknown) => {
        throw new Error(`${name}: no answer (${String(error)})`)
      })
      expect({ name, status: response.status }).toEqual({ name, status: 400 })
      // Slack would send a malformed event again to no purpose: it is told not to.
      expect({ name, retry: response.headers.get('x-slack-no-retry') }).toEqual({ name, retry: '1' })
      const logged = t.logs.slice(before)
      expect({ name, warned: logged.some((line) => JSON.parse(line).level === 'warn') }).toEqual({
        name,
        warned: true,
      })
    }
    expect(t.logs.filter((line) => line.includes(WORDS))).toEqual([])
    expect(uncaught).toEqual([])
    // The bot is still there: a message posted now is mirrored.
    await control(t.slackUrl, 'POST', '/messages', {
      user: t.sandbox.slackSeed.users.sam,
      channel: t.sandbox.slackSeed.channelId,
      text: 'Still here\nAfter the malformed bodies.',
    })
    const forumId = t.sandbox.discordSeed.forumId
    const threads = await eventually(
      () => control<{ name: string }[]>(t.discordUrl, 'GET', `/channels/${forumId}/threads`),
      (list) => list.length === 1,
    )
    expect(threads[0]?.name).toBe('Still here')
    expect(uncaught).toEqual([])
  })

  it('still answers what Slack sends outside events: the URL check, the SSL check, a rate-limit notice', async () => {
    const challenge = JSON.stringify({ type: 'url_verification', token: 't', challenge: 'c-123' })
    const verified = await send(challenge, json)
    expect(verified.status).toBe(200)
    expect(await verified.json()).toEqual({ challenge: 'c-123' })
    // Slack's SSL check is a form post Bolt answers unsigned; it carries nothing to act on.
    const ssl = await fetch(`http://127.0.0.1:${t.bridge.slackHttpPort}/slack/events`, {
      method: 'POST',
      body: formOf({ ssl_check: '1', token: 't' }),
      headers: { 'content-type': form },
      signal: AbortSignal.timeout(2500),
    })
    expect(ssl.status).toBe(200)
    // Slack says the app is over its event rate limit (https://api.slack.com/apis/connections/events-api#rate-limiting).
    const limited = JSON.stringify({
      type: 'app_rate_limited',
      token: 't',
      team_id: 'T1',
      minute_rate_limited: 1518467820,
      api_app_id: 'A1',
    })
    expect((await send(limited, json)).status).toBe(200)
    expect(uncaught).toEqual([])
  })
})
