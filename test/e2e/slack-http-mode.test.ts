// CI: also on the current Node LTS (Slack request signatures are checked with node:crypto over node:http).
import { describe, expect, it } from 'vitest'
import { HttpDelivery } from '../../sandbox/slack/slack-http-delivery.ts'
import { eventually, SLACK_SIGNING_SECRET, useBridge } from '../support/bridge-harness.ts'
import { control } from '../support/control.ts'
import { runOnSlack } from '../support/run-command.ts'

/**
 * THREADBRIDGE_SLACK_MODE=http: Slack POSTs events, commands and interactions to /slack/events,
 * each signed (https://api.slack.com/authentication/verifying-requests-from-slack); the real Bolt
 * app serves them with its HTTP receiver, against the sandbox's Slack and the real database.
 */
describe('Slack over HTTP (real Bolt app, sandbox, real database)', () => {
  const t = useBridge({ slackMode: 'http' })
  const discordThreads = () =>
    control<any[]>(t.discordUrl, 'GET', `/channels/${t.sandbox.discordSeed.forumId}/threads`)
  const slackPost = (text: string) =>
    control<{ ts: string }>(t.slackUrl, 'POST', '/messages', {
      user: t.sandbox.slackSeed.users.sam,
      channel: t.sandbox.slackSeed.channelId,
      text,
    })
  const eventsUrl = () => `http://127.0.0.1:${t.bridge.slackHttpPort}/slack/events`
  /** An event_callback as Slack sends it: sam opens a discussion. */
  const messageEvent = (text: string, eventId: string, tsSuffix: string) => {
    const ts = `${Math.floor(Date.now() / 1000)}.${tsSuffix}`
    return JSON.stringify({
      token: 'sandbox-verification-token',
      team_id: t.sandbox.slack.state.team.id,
      api_app_id: t.sandbox.slack.state.appId,
      type: 'event_callback',
      event_id: eventId,
      event_time: Math.floor(Date.now() / 1000),
      event: {
        type: 'message',
        user: t.sandbox.slackSeed.users.sam,
        text,
        ts,
        channel: t.sandbox.slackSeed.channelId,
        channel_type: 'channel',
        event_ts: ts,
      },
    })
  }
  const send = (body: string, headers: Record<string, string>) =>
    fetch(eventsUrl(), { method: 'POST', body, headers: { 'content-type': 'application/json', ...headers } })

  it('mirrors a Slack message to Discord and answers a slash command', async () => {
    expect(t.sandbox.slack.http?.requestUrl).toBe(eventsUrl())
    await slackPost('Over HTTP\nSigned and delivered.')
    const [thread] = await eventually(discordThreads, (threads) => threads.length === 1)
    expect(thread.name).toBe('Over HTTP')
    expect(await runOnSlack(t, t.sandbox.slackSeed.users.sam, 'help')).toMatch(/\/threadbridge join/)
    // Nothing came over Socket Mode: Slack had no connection to send it on.
    expect(t.sandbox.slack.hub.connections).toBe(0)
  })

  it('refuses unsigned, wrongly signed and stale requests with 401, and applies none of them', async () => {
    const unsigned = messageEvent('Unsigned\nNo signature.', 'Ev0UNSIGNED', '000201')
    expect((await send(unsigned, {})).status).toBe(401)
    const forged = messageEvent('Forged\nSigned with another secret.', 'Ev0FORGED', '000202')
    expect((await send(forged, HttpDelivery.sign('not-the-secret', forged, Date.now()))).status).toBe(401)
    const stale = messageEvent('Stale\nSigned six minutes ago.', 'Ev0STALE', '000203')
    const sixMinutesAgo = Date.now() - 6 * 60_000
    expect((await send(stale, HttpDelivery.sign(SLACK_SIGNING_SECRET, stale, sixMinutesAgo))).status).toBe(
      401,
    )
    // A correctly signed one goes through, after the others in the same channel's order.
    const signed = messageEvent('Signed\nAs Slack signs.', 'Ev0SIGNED', '000204')
    expect((await send(signed, HttpDelivery.sign(SLACK_SIGNING_SECRET, signed, Date.now()))).status).toBe(200)
    const threads = await eventually(discordThreads, (list) => list.length >= 1)
    expect(threads.map((th) => th.name)).toEqual(['Signed'])
  })

  it('applies a correctly signed event once when Slack retries it', async () => {
    const http = t.sandbox.slack.http
    if (http === undefined) throw new Error('the sandbox should deliver over HTTP')
    // The next event is sent twice, the second time as Slack's retry (X-Slack-Retry-Num: 1).
    await control(t.slackUrl, 'POST', '/faults', { events: 'duplicate', count: 1 })
    const before = http.delivered
    await slackPost('Said once\nEven if Slack says it twice.')
    await eventually(
      async () => http.delivered - before,
      (answered) => answered >= 2,
    )
    // Events of one channel are applied in order: once a later message is mirrored, the retry
    // (answered before it was sent) has been decided on too.
    await slackPost('Said after\nA later discussion.')
    const threads = await eventually(discordThreads, (list) => list.some((th) => th.name === 'Said after'))
    expect(threads.map((th) => th.name).sort()).toEqual(['Said after', 'Said once'])
  })
})
