import type { App } from '@slack/bolt'
import { WebClientEvent } from '@slack/web-api'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import {
  SlackEmulator,
  type SlackEmulatorOptions,
  THREADBRIDGE_MANIFEST,
} from '../../sandbox/slack/slack-emulator.ts'
import { type SlackSeed, seedSlack } from '../../sandbox/slack/slack-seed.ts'
import { HeldClock } from '../fakes/held-clock.ts'
import { startBoltApp, waiter } from '../support/bolt-app.ts'
import { control } from '../support/control.ts'

describe('Slack emulator with the real Bolt app in Socket Mode', () => {
  let emulator: SlackEmulator
  let seed: SlackSeed
  let app: App | undefined
  let clock: HeldClock
  const start = async (options: SlackEmulatorOptions = {}) => {
    clock = new HeldClock()
    emulator = new SlackEmulator({ rateLimitClock: clock.now, ...options })
    seed = seedSlack(emulator.state)
    await emulator.start()
  }

  beforeEach(async () => {
    await start()
  })
  afterEach(async () => {
    await app?.stop().catch(() => {})
    app = undefined
    await emulator.stop()
  })

  it('delivers a person’s message event, and the bot replies in its thread as someone else', async () => {
    const seen: { text?: string; user?: string; retryNum?: number }[] = []
    const wait = waiter()
    app = await startBoltApp(emulator, (bolt) =>
      bolt.message(async ({ message, client }) => {
        if (message.subtype !== undefined || !('text' in message)) return
        seen.push({ text: message.text, user: message.user })
        await client.chat.postMessage({
          channel: message.channel,
          thread_ts: message.ts,
          text: 'Absolutely. Social tech does expose who your organisation really is.',
          username: 'mark (Discord)',
          icon_url: 'https://cdn.example/mark.png',
        })
        wait.poke()
      }),
    )
    const post = await control(emulator.url, 'POST', '/messages', {
      user: seed.users.sam,
      channel: seed.channelId,
      text: 'What are your thoughts on this?',
    })
    await wait.until(() => seen.length === 1)
    expect(seen).toEqual([{ text: 'What are your thoughts on this?', user: seed.users.sam }])

    const thread = await control<any[]>(
      emulator.url,
      'GET',
      `/conversations/${seed.channelId}/replies/${post.ts}`,
    )
    expect(thread.map((m) => [m.username ?? m.user, m.text])).toEqual([
      [seed.users.sam, 'What are your thoughts on this?'],
      ['mark (Discord)', 'Absolutely. Social tech does expose who your organisation really is.'],
    ])
    const history = await control<any[]>(emulator.url, 'GET', `/conversations/${seed.channelId}/history`)
    expect(history).toHaveLength(1)
    expect(history[0].reply_count).toBe(1)
  })

  it('delivers edits and deletions as message_changed and message_deleted', async () => {
    const subtypes: string[] = []
    const wait = waiter()
    app = await startBoltApp(emulator, (bolt) =>
      bolt.message(async ({ message }) => {
        subtypes.push(message.subtype ?? 'new')
        wait.poke()
      }),
    )
    const post = await control(emulator.url, 'POST', '/messages', {
      user: seed.users.alex,
      channel: seed.channelId,
      text: 'typo',
    })
    await control(emulator.url, 'PATCH', '/messages', { channel: seed.channelId, ts: post.ts, text: 'fixed' })
    await control(emulator.url, 'DELETE', '/messages', { channel: seed.channelId, ts: post.ts })
    await wait.until(() => subtypes.length === 3)
    expect(subtypes).toEqual(['new', 'message_changed', 'message_deleted'])
  })

  it('answers a slash command ephemerally, and through its response_url', async () => {
    app = await startBoltApp(emulator, (bolt) =>
      bolt.command('/threadbridge', async ({ command, ack, respond }) => {
        await ack({ response_type: 'ephemeral', text: `Welcome to Lightbulb Moment, ${command.user_name}!` })
        await respond({ response_type: 'ephemeral', text: 'You will be told when people reply.' })
      }),
    )
    const result = await control(emulator.url, 'POST', '/commands', {
      user: seed.users.guest,
      channel: seed.channelId,
      command: '/threadbridge',
      text: 'join',
    })
    expect(result.answered).toBe(true)
    expect(result.responses[0]).toEqual({
      kind: 'ack',
      text: 'Welcome to Lightbulb Moment, guest!',
      response_type: 'ephemeral',
    })
    // Nothing ephemeral shows in the channel.
    expect(await control<any[]>(emulator.url, 'GET', `/conversations/${seed.channelId}/history`)).toEqual([])
  })

  it('delivers a button click as an interactive envelope, answered through its response_url', async () => {
    app = await startBoltApp(emulator, (bolt) =>
      bolt.action('subscribe', async ({ ack, respond, action }) => {
        await ack()
        await respond({
          response_type: 'ephemeral',
          text: `Subscribed to ${(action as { value: string }).value}`,
        })
      }),
    )
    const result = await control(emulator.url, 'POST', '/actions', {
      user: seed.users.alex,
      channel: seed.channelId,
      action_id: 'subscribe',
      value: 'discussion-1',
    })
    expect(result).toEqual({
      acknowledged: true,
      answered: true,
      responses: [{ kind: 'response_url', text: 'Subscribed to discussion-1', response_type: 'ephemeral' }],
    })
  })

  it('tells the person the command timed out when the app never acknowledges', async () => {
    await emulator.stop()
    await start({
      ackTimeoutMs: 300,
      appManifest: { ...THREADBRIDGE_MANIFEST, commands: ['/slow'], shortcuts: [] },
    })
    app = await startBoltApp(emulator, (bolt) => bolt.command('/slow', async () => {}))
    const result = await control(emulator.url, 'POST', '/commands', {
      user: seed.users.sam,
      channel: seed.channelId,
      command: '/slow',
    })
    expect(result).toEqual({ answered: false, error: 'operation_timeout', responses: [] })
  })

  it('redelivers an event whose ack never arrived, with retry_attempt, as Slack does', async () => {
    await emulator.stop()
    await start({ ackTimeoutMs: 300, redeliveryDelaysMs: [0] })
    const deliveries: { text: string; retryNum: number | undefined; eventId: string }[] = []
    const wait = waiter()
    app = await startBoltApp(emulator, (bolt) =>
      bolt.message(async ({ message, context, body }) => {
        if ('text' in message)
          deliveries.push({
            text: message.text ?? '',
            retryNum: context.retryNum,
            eventId: (body as { event_id: string }).event_id,
          })
        wait.poke()
      }),
    )
    await control(emulator.url, 'POST', '/faults', { socket: 'ignore_acks', count: 1 })
    await control(emulator.url, 'POST', '/messages', {
      user: seed.users.sam,
      channel: seed.channelId,
      text: 'say it twice',
    })
    await wait.until(() => deliveries.length === 2)
    expect(deliveries.map((d) => [d.text, d.retryNum ?? 0])).toEqual([
      ['say it twice', 0],
      ['say it twice', 1],
    ])
    // The same event, delivered again: a consumer dedups on event_id.
    expect(deliveries[0]?.eventId).toBe(deliveries[1]?.eventId)
  })

  it('delivers the next event twice under the duplicate fault, with one event_id', async () => {
    const ids: string[] = []
    const wait = waiter()
    app = await startBoltApp(emulator, (bolt) =>
      bolt.message(async ({ body }) => {
        ids.push((body as { event_id: string }).event_id)
        wait.poke()
      }),
    )
    await control(emulator.url, 'POST', '/faults', { events: 'duplicate', count: 1 })
    await control(emulator.url, 'POST', '/messages', {
      user: seed.users.alex,
      channel: seed.channelId,
      text: 'echo',
    })
    await wait.until(() => ids.length === 2)
    expect(new Set(ids).size).toBe(1)
  })

  it('answers with Slack’s errors: msg_too_long, channel_not_found', async () => {
    app = await startBoltApp(emulator, () => {})
    await expect(
      app.client.chat.postMessage({ channel: seed.channelId, text: 'x'.repeat(40_001) }),
    ).rejects.toMatchObject({
      data: { ok: false, error: 'msg_too_long' },
    })
    await expect(app.client.chat.postMessage({ channel: 'C0NOWHERE', text: 'hi' })).rejects.toMatchObject({
      data: { error: 'channel_not_found' },
    })
  })

  it('rate-limits chat.postMessage per channel with 429 and Retry-After, and the client loses nothing', async () => {
    app = await startBoltApp(emulator, () => {})
    const client = app.client
    let refused = 0
    const refusals = waiter()
    client.on(WebClientEvent.RATE_LIMITED, () => {
      refused += 1
      refusals.poke()
    })
    // Slack's clock stands still: the five posts fall in one instant, however slow the machine.
    // The channel's bucket takes three at once; the client is refused the other two, and its
    // retries are refused too until the clock moves.
    clock.hold()
    const burst = Promise.all(
      Array.from({ length: 5 }, (_, i) =>
        client.chat.postMessage({ channel: seed.channelId, text: `burst ${i}` }),
      ),
    )
    await refusals.until(() => refused >= 2)
    const during = (await control(emulator.url, 'GET', '/stats')).by_route['chat.postMessage']
    expect(during.rate_limited).toBeGreaterThanOrEqual(2)
    expect(during.requests - during.rate_limited).toBe(3)

    const raw = await fetch(`${emulator.apiUrl}chat.postMessage`, {
      method: 'POST',
      headers: { authorization: 'Bearer xoxb-sandbox', 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ channel: seed.channelId, text: 'one too many' }),
    })
    expect(raw.status).toBe(429)
    expect(Number(raw.headers.get('retry-after'))).toBeGreaterThanOrEqual(1)
    expect(await raw.json()).toEqual({ ok: false, error: 'ratelimited' })

    // Three seconds on, the bucket is full again: the client's retries go through.
    clock.advance(3000)
    await burst
    const history = await control<any[]>(emulator.url, 'GET', `/conversations/${seed.channelId}/history`)
    expect(history.map((m) => m.text).sort()).toEqual(['burst 0', 'burst 1', 'burst 2', 'burst 3', 'burst 4'])
  })

  it('with its limits lifted (the capacity benchmark) never refuses chat.postMessage', async () => {
    await emulator.stop()
    await start({ liftRateLimits: true })
    app = await startBoltApp(emulator, () => {})
    const client = app.client
    await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        client.chat.postMessage({ channel: seed.channelId, text: `burst ${i}` }),
      ),
    )
    const stats = await control(emulator.url, 'GET', '/stats')
    expect(stats.by_route['chat.postMessage']).toEqual({ requests: 10, rate_limited: 0 })
  })

  it('records who a message would notify: escaped text pings nobody', async () => {
    app = await startBoltApp(emulator, () => {})
    await app.client.chat.postMessage({ channel: seed.channelId, text: '<!channel> look' })
    await app.client.chat.postMessage({ channel: seed.channelId, text: '&lt;!channel&gt; look' })
    await app.client.chat.postMessage({ channel: seed.channelId, text: '@here look' })
    await app.client.chat.postMessage({ channel: seed.channelId, text: '@here look', link_names: true })
    const history = await control<any[]>(emulator.url, 'GET', `/conversations/${seed.channelId}/history`)
    expect(history.map((m) => m.pinged)).toEqual([['channel'], [], [], ['here']])
  })

  it('knows Slack’s emoji names: reactions.add with a name Slack does not have answers invalid_name', async () => {
    app = await startBoltApp(emulator, () => {})
    const post = await app.client.chat.postMessage({ channel: seed.channelId, text: 'react to me' })
    const react = (name: string) =>
      app?.client.reactions.add({ channel: seed.channelId, timestamp: String(post.ts), name })
    // Slack's names (not node-emoji's `thinking`), aliases, skin tones, flags and custom emoji.
    const known = [
      'thinking_face',
      'thumbsup',
      'ok_hand::skin-tone-5',
      'flag-jp',
      'melting_face',
      'partyparrot',
    ]
    for (const name of known) await react(name)
    for (const name of ['thinking', 'ok_hand::skin-tone-9', 'not_an_emoji', '🤔'])
      await expect(react(name)).rejects.toMatchObject({ data: { ok: false, error: 'invalid_name' } })
    const [message] = await control<any[]>(emulator.url, 'GET', `/conversations/${seed.channelId}/history`)
    expect(message.reactions.map((r: { name: string }) => r.name)).toEqual(known)
  })
})
