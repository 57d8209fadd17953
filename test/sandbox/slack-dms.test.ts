import type { App } from '@slack/bolt'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { SlackEmulator } from '../../sandbox/slack/slack-emulator.ts'
import { type SlackSeed, seedSlack } from '../../sandbox/slack/slack-seed.ts'
import { startBoltApp } from '../support/bolt-app.ts'
import { control, controlAnswer } from '../support/control.ts'

const digestBlocks = [
  {
    type: 'section',
    block_id: 'digest',
    text: { type: 'mrkdwn', text: '*3 new replies* in _Who are we, really?_' },
  },
  {
    type: 'actions',
    block_id: 'digest_actions',
    elements: [
      {
        type: 'button',
        action_id: 'unsubscribe',
        value: 'discussion-3',
        text: { type: 'plain_text', text: 'Unsubscribe' },
      },
      { type: 'button', action_id: 'stop_all', value: 'all', text: { type: 'plain_text', text: 'Stop all' } },
    ],
  },
]

/** Direct messages from the app, as the real Bolt app sends them, and buttons clicked in them. */
describe('Slack emulator: direct messages with the real Bolt app', () => {
  let emulator: SlackEmulator
  let seed: SlackSeed
  let app: App | undefined
  const refusal = (call: Promise<unknown>) =>
    call.then(
      () => 'ok',
      (error: { data?: { error?: string } }) => error.data?.error ?? error,
    )

  beforeEach(async () => {
    emulator = new SlackEmulator({ commandAnswerMs: 1000 })
    seed = seedSlack(emulator.state)
    await emulator.start()
  })
  afterEach(async () => {
    await app?.stop().catch(() => {})
    app = undefined
    await emulator.stop()
  })

  it('opens the DM, posts blocks with a text fallback and metadata, and reads the DM back', async () => {
    app = await startBoltApp(emulator, () => {})
    const opened = await app.client.conversations.open({ users: seed.users.sam })
    const im = opened.channel?.id as string
    expect(opened.channel).toMatchObject({
      id: expect.stringMatching(/^D/),
      is_im: true,
      user: seed.users.sam,
    })
    const metadata = { event_type: 'reply_digest', event_payload: { digest_id: 'd-17' } }
    const posted = await app.client.chat.postMessage({
      channel: im,
      text: '3 new replies in Who are we, really?',
      blocks: digestBlocks as never,
      metadata,
    })
    // A user id as the channel opens the same DM implicitly.
    const byUser = await app.client.chat.postMessage({ channel: seed.users.sam, text: 'And one more.' })
    expect(byUser.channel).toBe(im)
    // Block Kit's rules hold in DMs too.
    expect(
      await refusal(
        app.client.chat.postMessage({ channel: im, text: 'x', blocks: [{ type: 'nonsense' }] as never }),
      ),
    ).toBe('invalid_blocks')

    expect(await control<any[]>(emulator.url, 'GET', `/dms/${seed.users.sam}`)).toEqual([
      expect.objectContaining({
        ts: posted.ts,
        text: '3 new replies in Who are we, really?',
        blocks: digestBlocks,
      }),
      expect.objectContaining({ ts: byUser.ts, text: 'And one more.' }),
    ])
    // Look before reposting: the IM's history carries the metadata only when asked for it.
    const history = await app.client.conversations.history({ channel: im, include_all_metadata: true })
    expect(history.messages?.map((m) => [m.ts, m.metadata?.event_type])).toEqual([
      [byUser.ts, undefined],
      [posted.ts, 'reply_digest'],
    ])
    expect(history.messages?.[1]).toMatchObject({ metadata, blocks: digestBlocks })
    const plain = await app.client.conversations.history({ channel: im })
    expect(plain.messages?.map((m) => m.metadata)).toEqual([undefined, undefined])
  })

  it('delivers a click in the DM with its message, and replace_original edits the DM message', async () => {
    const payloads: Record<string, any>[] = []
    app = await startBoltApp(emulator, (bolt) =>
      bolt.action('unsubscribe', async ({ ack, body, respond }) => {
        await ack()
        payloads.push(body)
        await respond({ replace_original: true, text: 'Unsubscribed from Who are we, really?' })
      }),
    )
    const posted = await app.client.chat.postMessage({
      channel: seed.users.sam,
      text: '3 new replies',
      blocks: digestBlocks as never,
    })
    const im = posted.channel as string
    const click = (user: string) =>
      controlAnswer(emulator.url, 'POST', '/actions', {
        user,
        channel: im,
        message_ts: posted.ts,
        block_id: 'digest_actions',
        action_id: 'unsubscribe',
        value: 'discussion-3',
      })
    // Nobody but sam sees sam's DM.
    expect((await click(seed.users.alex)).status).toBe(404)
    const clicked = await click(seed.users.sam)
    expect(clicked.body).toMatchObject({
      acknowledged: true,
      answered: true,
      responses: [
        { kind: 'response_url', replace_original: true, text: 'Unsubscribed from Who are we, really?' },
      ],
    })
    expect(payloads).toEqual([
      expect.objectContaining({
        type: 'block_actions',
        user: expect.objectContaining({ id: seed.users.sam }),
        container: { type: 'message', channel_id: im, message_ts: posted.ts, is_ephemeral: false },
        channel: { id: im, name: 'directmessage' },
        message: expect.objectContaining({ ts: posted.ts, bot_id: expect.any(String), blocks: digestBlocks }),
        actions: [
          expect.objectContaining({
            action_id: 'unsubscribe',
            block_id: 'digest_actions',
            value: 'discussion-3',
          }),
        ],
        response_url: expect.stringContaining('/respond/'),
        trigger_id: expect.any(String),
      }),
    ])
    // Replaced with text alone, the message loses its buttons, as on Slack.
    const [dm] = await control<any[]>(emulator.url, 'GET', `/dms/${seed.users.sam}`)
    expect(dm).toMatchObject({ ts: posted.ts, text: 'Unsubscribed from Who are we, really?' })
    expect(dm.blocks).toBeUndefined()
  })

  it('refuses to open a DM with a deactivated person or a bot, but posts into a DM it already has', async () => {
    app = await startBoltApp(emulator, () => {})
    const posted = await app.client.chat.postMessage({ channel: seed.users.alex, text: 'Your digest' })
    await control(emulator.url, 'PATCH', `/users/${seed.users.alex}`, { deleted: true })

    expect(await refusal(app.client.conversations.open({ users: seed.users.alex }))).toBe('user_disabled')
    expect(await refusal(app.client.conversations.open({ users: emulator.state.botUser.id }))).toBe(
      'cannot_dm_bot',
    )
    expect((await app.client.users.info({ user: seed.users.alex })).user?.deleted).toBe(true)
    // Slack keeps a deactivated person's DMs, and a post there succeeds: users.info tells them apart.
    expect(
      await refusal(app.client.chat.postMessage({ channel: posted.channel as string, text: 'Still?' })),
    ).toBe('ok')
    // A deactivated person cannot sign in, so cannot click or write.
    const act = await controlAnswer(emulator.url, 'POST', '/messages', {
      user: seed.users.alex,
      channel: posted.channel,
      text: 'hi',
    })
    expect(act.status).toBe(403)

    await control(emulator.url, 'PATCH', `/users/${seed.users.alex}`, { deleted: false })
    expect((await app.client.conversations.open({ users: seed.users.alex })).channel?.id).toBe(posted.channel)
  })
})
