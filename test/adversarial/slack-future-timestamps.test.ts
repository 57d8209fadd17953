import { describe, expect, it } from 'vitest'
import { HttpDelivery } from '../../sandbox/slack/slack-http-delivery.ts'
import { eventually, SLACK_SIGNING_SECRET, useBridge } from '../support/bridge-harness.ts'
import { control } from '../support/control.ts'

const MINUTE = 60_000
const YEAR = 365 * 24 * 60 * MINUTE

/**
 * The attack: a request signed with a timestamp in the future stays "fresh" for as long as the
 * signer likes, so one captured or signed ahead of time can be replayed for years. Only stale
 * past timestamps were refused; Slack's rule (https://api.slack.com/authentication/verifying-requests-from-slack)
 * is the absolute difference from local time. Now a timestamp more than five minutes off either
 * way is refused with 401, and applies nothing.
 */
describe('Slack HTTP mode refuses a request timestamped more than five minutes off, either way', () => {
  const t = useBridge({ slackMode: 'http' })

  /** An event_callback as Slack sends it: sam opens a discussion titled `title`. */
  const messageEvent = (title: string, n: number) => {
    const ts = `${Math.floor(Date.now() / 1000)}.${String(n).padStart(6, '0')}`
    return JSON.stringify({
      token: 'sandbox-verification-token',
      team_id: t.sandbox.slack.state.team.id,
      api_app_id: t.sandbox.slack.state.appId,
      type: 'event_callback',
      event_id: `Ev0TIME${n}`,
      event_time: Math.floor(Date.now() / 1000),
      event: {
        type: 'message',
        user: t.sandbox.slackSeed.users.sam,
        text: `${title}\nSigned at some time.`,
        ts,
        channel: t.sandbox.slackSeed.channelId,
        channel_type: 'channel',
        event_ts: ts,
      },
    })
  }
  const sendSignedAt = async (title: string, n: number, offsetMs: number) => {
    const body = messageEvent(title, n)
    const response = await fetch(`http://127.0.0.1:${t.bridge.slackHttpPort}/slack/events`, {
      method: 'POST',
      body,
      headers: {
        'content-type': 'application/json',
        ...HttpDelivery.sign(SLACK_SIGNING_SECRET, body, Date.now() + offsetMs),
      },
    })
    return response.status
  }

  it('refuses ten years and six minutes ahead as it refuses six minutes behind, and takes four either way', async () => {
    expect(await sendSignedAt('Ten years ahead', 1, 10 * YEAR)).toBe(401)
    expect(await sendSignedAt('Six minutes ahead', 2, 6 * MINUTE)).toBe(401)
    expect(await sendSignedAt('Six minutes behind', 3, -6 * MINUTE)).toBe(401)
    expect(await sendSignedAt('Four minutes ahead', 4, 4 * MINUTE)).toBe(200)
    expect(await sendSignedAt('Four minutes behind', 5, -4 * MINUTE)).toBe(200)
    const forumId = t.sandbox.discordSeed.forumId
    const threads = await eventually(
      () => control<{ name: string }[]>(t.discordUrl, 'GET', `/channels/${forumId}/threads`),
      (list) => list.length >= 2,
    )
    // Events of one channel are applied in order: the refused ones would have come first.
    expect(threads.map((thread) => thread.name).sort()).toEqual(['Four minutes ahead', 'Four minutes behind'])
  })
})
