import type { App } from '@slack/bolt'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { SlackEmulator } from '../../sandbox/slack/slack-emulator.ts'
import { type SlackSeed, seedSlack } from '../../sandbox/slack/slack-seed.ts'
import { HeldClock } from '../fakes/held-clock.ts'
import { startBoltApp } from '../support/bolt-app.ts'
import { control, controlAnswer } from '../support/control.ts'

const button = (actionId: string, text = 'Subscribe') => ({
  type: 'button',
  action_id: actionId,
  text: { type: 'plain_text', text },
})

/**
 * How Slack lets an app answer people: declared commands and shortcuts only, ephemeral messages
 * with Block Kit's rules, and response_url answers (https://api.slack.com/interactivity/handling).
 */
describe('Slack emulator: shortcuts, commands and their answers', () => {
  let emulator: SlackEmulator
  let seed: SlackSeed
  let app: App | undefined
  let clock: HeldClock
  const post = (text: string, thread_ts?: string) =>
    control(emulator.url, 'POST', '/messages', {
      user: seed.users.alex,
      channel: seed.channelId,
      text,
      ...(thread_ts ? { thread_ts } : {}),
    })
  const attempt = (path: string, body: unknown) => controlAnswer(emulator.url, 'POST', path, body)

  beforeEach(async () => {
    clock = new HeldClock()
    emulator = new SlackEmulator({ interactionClock: clock.now, commandAnswerMs: 1000 })
    seed = seedSlack(emulator.state)
    await emulator.start()
  })
  afterEach(async () => {
    await app?.stop().catch(() => {})
    app = undefined
    await emulator.stop()
  })

  it('runs the declared message shortcut on a reply, and answers in its thread for all to see', async () => {
    const payloads: Record<string, any>[] = []
    app = await startBoltApp(emulator, (bolt) =>
      bolt.shortcut('subscribe_thread', async ({ ack, body, respond }) => {
        await ack()
        payloads.push(body)
        const message = (body as unknown as { message: { thread_ts: string } }).message
        await respond({
          response_type: 'in_channel',
          text: 'Sam follows this thread.',
          thread_ts: message.thread_ts,
        })
      }),
    )
    const root = await post('Who are we, really?')
    const reply = await post('A reply', root.ts)
    const result = await control(emulator.url, 'POST', '/shortcuts', {
      user: seed.users.sam,
      callback_id: 'subscribe_thread',
      channel: seed.channelId,
      message_ts: reply.ts,
    })
    expect(result).toMatchObject({
      acknowledged: true,
      answered: true,
      responses: [{ kind: 'response_url', response_type: 'in_channel', text: 'Sam follows this thread.' }],
    })
    expect(payloads[0]).toMatchObject({
      type: 'message_action',
      callback_id: 'subscribe_thread',
      trigger_id: expect.stringMatching(/^\d+\.\d+\.[0-9a-f]+$/),
      response_url: expect.stringContaining('/respond/'),
      channel: { id: seed.channelId },
      user: { id: seed.users.sam },
      team: { id: seed.teamId },
      message: { ts: reply.ts, thread_ts: root.ts, user: seed.users.alex, text: 'A reply' },
    })
    const thread = await control<any[]>(
      emulator.url,
      'GET',
      `/conversations/${seed.channelId}/replies/${root.ts}`,
    )
    expect(thread.map((m) => m.text)).toEqual(['Who are we, really?', 'A reply', 'Sam follows this thread.'])
    const { shown } = await control(emulator.url, 'GET', `/shown/${seed.users.sam}`)
    expect(shown).toEqual([
      expect.objectContaining({ kind: 'in_channel', text: 'Sam follows this thread.', thread_ts: root.ts }),
    ])
  })

  it('refuses what Slack would not deliver: undeclared commands and shortcuts, commands in threads', async () => {
    app = await startBoltApp(emulator, () => {})
    const root = await post('A discussion')
    const base = { user: seed.users.sam, channel: seed.channelId }
    expect(await attempt('/commands', { ...base, command: '/join' })).toMatchObject({
      status: 400,
      body: { error: 'command_not_declared' },
    })
    expect(await attempt('/commands', { ...base, command: '/threadbridge', thread_ts: root.ts })).toEqual({
      status: 400,
      body: {
        error: 'not_supported_in_threads',
        message: '/threadbridge is not supported in threads. Sorry!',
      },
    })
    expect(
      await attempt('/shortcuts', { ...base, callback_id: 'something_else', message_ts: root.ts }),
    ).toMatchObject({ status: 400, body: { error: 'shortcut_not_declared' } })
    expect(emulator.hub.delivered).toBe(1) // only the message event
  })

  it('shows ephemeral blocks to one member, and refuses blocks Slack would refuse', async () => {
    app = await startBoltApp(emulator, () => {})
    const client = app.client
    const blocks = [
      { type: 'section', text: { type: 'mrkdwn', text: 'Follow this discussion?' } },
      { type: 'actions', elements: [button('subscribe')] },
    ]
    const sent = await client.chat.postEphemeral({
      channel: seed.channelId,
      user: seed.users.sam,
      text: 'Follow?',
      blocks,
    })
    const { shown } = await control(emulator.url, 'GET', `/shown/${seed.users.sam}`)
    expect(shown).toEqual([
      { kind: 'ephemeral', channel: seed.channelId, ts: sent.message_ts, text: 'Follow?', blocks },
    ])
    expect(await control(emulator.url, 'GET', `/shown/${seed.users.alex}`)).toEqual({ shown: [], views: [] })

    const refusal = (call: Promise<unknown>) =>
      call.then(
        () => [],
        (e) => [e.data.error, ...(e.data.response_metadata?.messages ?? [])],
      )
    const ephemeral = (bad: unknown[]) =>
      refusal(
        client.chat.postEphemeral({
          channel: seed.channelId,
          user: seed.users.sam,
          text: 'x',
          blocks: bad as never,
        }),
      )
    expect(await ephemeral([{ type: 'carousel' }])).toEqual([
      'invalid_blocks',
      '[ERROR] unsupported type: carousel [json-pointer:/blocks/0/type]',
    ])
    expect(await ephemeral([{ type: 'section', text: { type: 'mrkdwn', text: 'x'.repeat(3001) } }])).toEqual([
      'invalid_blocks',
      '[ERROR] must be less than 3001 characters [json-pointer:/blocks/0/text/text]',
    ])
    expect(await ephemeral([{ type: 'section' }])).toEqual([
      'invalid_blocks',
      '[ERROR] must provide either text or fields [json-pointer:/blocks/0]',
    ])
    expect(await ephemeral(Array.from({ length: 51 }, () => ({ type: 'divider' })))).toEqual([
      'invalid_blocks',
      '[ERROR] no more than 50 items allowed [json-pointer:/blocks]',
    ])
    expect(await ephemeral([{ type: 'actions', elements: [button('a', 'x'.repeat(76))] }])).toEqual([
      'invalid_blocks',
      '[ERROR] must be less than 76 characters [json-pointer:/blocks/0/elements/0/text/text]',
    ])
    expect(await ephemeral([{ type: 'actions', elements: [button('a'.repeat(256))] }])).toEqual([
      'invalid_blocks',
      '[ERROR] must be less than 256 characters [json-pointer:/blocks/0/elements/0/action_id]',
    ])
    expect(await ephemeral([{ type: 'actions', elements: [button('a'), button('a')] }])).toEqual([
      'invalid_blocks',
      '[ERROR] action_id "a" is already used in this block [json-pointer:/blocks/0/elements/1/action_id]',
    ])
    // The same rules for messages everyone sees, posted or edited.
    expect(
      await refusal(
        client.chat.postMessage({
          channel: seed.channelId,
          text: 'x',
          blocks: [{ type: 'carousel' }] as never,
        }),
      ),
    ).toEqual(['invalid_blocks', '[ERROR] unsupported type: carousel [json-pointer:/blocks/0/type]'])
    const mine = await client.chat.postMessage({ channel: seed.channelId, text: 'fine' })
    expect(
      await refusal(
        client.chat.update({
          channel: seed.channelId,
          ts: String(mine.ts),
          text: 'x',
          blocks: [{ type: 'section' }] as never,
        }),
      ),
    ).toEqual(['invalid_blocks', '[ERROR] must provide either text or fields [json-pointer:/blocks/0]'])

    const elsewhere = emulator.state.addChannel('elsewhere', [emulator.state.botUser.id])
    expect(
      await refusal(client.chat.postEphemeral({ channel: elsewhere.id, user: seed.users.sam, text: 'hi' })),
    ).toEqual(['user_not_in_channel'])
  })

  it('replaces, then deletes, the ephemeral message a button was clicked on; only buttons it shows can be pressed', async () => {
    app = await startBoltApp(emulator, (bolt) =>
      bolt.action(/subscribe|dismiss/, async ({ ack, respond, action }) => {
        await ack()
        const id = (action as { action_id: string }).action_id
        if (id === 'subscribe') await respond({ replace_original: true, text: 'You follow this discussion.' })
        else await respond({ delete_original: true })
      }),
    )
    const sent = await app.client.chat.postEphemeral({
      channel: seed.channelId,
      user: seed.users.sam,
      text: 'Follow?',
      blocks: [{ type: 'actions', elements: [button('subscribe'), button('dismiss', 'Dismiss')] }] as never,
    })
    const click = (action_id: string) =>
      control(emulator.url, 'POST', '/actions', {
        user: seed.users.sam,
        channel: seed.channelId,
        ephemeral_ts: sent.message_ts,
        action_id,
      })
    expect((await click('subscribe')).responses).toEqual([
      {
        kind: 'response_url',
        text: 'You follow this discussion.',
        response_type: 'ephemeral',
        replace_original: true,
      },
    ])
    let { shown } = await control(emulator.url, 'GET', `/shown/${seed.users.sam}`)
    expect(shown).toEqual([
      {
        kind: 'ephemeral',
        channel: seed.channelId,
        ts: sent.message_ts,
        text: 'You follow this discussion.',
        replaced: true,
      },
    ])
    // Replaced by text alone, the message shows no buttons: none can be pressed any more.
    expect(
      await attempt('/actions', {
        user: seed.users.sam,
        channel: seed.channelId,
        ephemeral_ts: sent.message_ts,
        action_id: 'dismiss',
      }),
    ).toMatchObject({ status: 400, body: { error: 'the message shows no button with action_id dismiss' } })
    expect(
      await attempt('/actions', {
        user: seed.users.sam,
        channel: seed.channelId,
        ephemeral_ts: sent.message_ts,
        action_id: 'nowhere',
      }),
    ).toMatchObject({ status: 400 })
    const again = await app.client.chat.postEphemeral({
      channel: seed.channelId,
      user: seed.users.sam,
      text: 'Follow?',
      blocks: [{ type: 'actions', elements: [button('dismiss', 'Dismiss')] }] as never,
    })
    await control(emulator.url, 'POST', '/actions', {
      user: seed.users.sam,
      channel: seed.channelId,
      ephemeral_ts: again.message_ts,
      action_id: 'dismiss',
    })
    ;({ shown } = await control(emulator.url, 'GET', `/shown/${seed.users.sam}`))
    expect(shown[1]).toMatchObject({ ts: again.message_ts, deleted: true })
    // Nothing reached the channel.
    expect(await control<any[]>(emulator.url, 'GET', `/conversations/${seed.channelId}/history`)).toEqual([])
  })

  it('takes five answers on a response_url within 30 minutes, then refuses', async () => {
    let responseUrl = ''
    app = await startBoltApp(emulator, (bolt) =>
      bolt.command('/threadbridge', async ({ ack, body }) => {
        responseUrl = body.response_url
        await ack({ text: 'On it.' })
      }),
    )
    await control(emulator.url, 'POST', '/commands', {
      user: seed.users.sam,
      channel: seed.channelId,
      command: '/threadbridge',
    })
    const answer = async (text: string) => {
      const response = await fetch(responseUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ text }),
      })
      return [response.status, ((await response.json()) as { error?: string }).error]
    }
    for (let i = 1; i <= 5; i++) expect(await answer(`answer ${i}`)).toEqual([200, undefined])
    expect(await answer('a sixth')).toEqual([404, 'used_url'])

    await control(emulator.url, 'POST', '/commands', {
      user: seed.users.sam,
      channel: seed.channelId,
      command: '/threadbridge',
    })
    clock.hold()
    clock.advance(30 * 60_000 + 1)
    expect(await answer('too late')).toEqual([404, 'expired_url'])
    const { shown } = await control(emulator.url, 'GET', `/shown/${seed.users.sam}`)
    // The ack and five answers of the first command, the ack of the second.
    expect(shown.map((e: { text: string }) => e.text)).toEqual([
      'On it.',
      'answer 1',
      'answer 2',
      'answer 3',
      'answer 4',
      'answer 5',
      'On it.',
    ])
  })
})
