import type { App } from '@slack/bolt'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { SlackEmulator, type SlackEmulatorOptions } from '../../sandbox/slack/slack-emulator.ts'
import { type SlackSeed, seedSlack } from '../../sandbox/slack/slack-seed.ts'
import { HeldClock } from '../fakes/held-clock.ts'
import { startBoltApp, waiter } from '../support/bolt-app.ts'
import { control, controlAnswer } from '../support/control.ts'

/** A modal as an app would open it: one required text input, so it needs a submit button. */
const topicModal = (extra: Record<string, unknown> = {}) => ({
  type: 'modal' as const,
  callback_id: 'topic',
  title: { type: 'plain_text' as const, text: 'Name the topic' },
  submit: { type: 'plain_text' as const, text: 'Save' },
  private_metadata: 'discussion-1',
  blocks: [
    {
      type: 'input',
      block_id: 'topic',
      label: { type: 'plain_text', text: 'Topic' },
      element: { type: 'plain_text_input', action_id: 'topic_input' },
    },
    {
      type: 'actions',
      block_id: 'more',
      elements: [{ type: 'button', action_id: 'more', text: { type: 'plain_text', text: 'More' } }],
    },
  ],
  ...extra,
})

/**
 * Modals through the real Bolt app: trigger_ids, views.open/push/update, and a person submitting
 * or closing what is in front of them (https://api.slack.com/surfaces/modals).
 */
describe('Slack emulator: modals', () => {
  let emulator: SlackEmulator
  let seed: SlackSeed
  let app: App | undefined
  let clock: HeldClock
  const start = async (options: SlackEmulatorOptions = {}) => {
    clock = new HeldClock()
    emulator = new SlackEmulator({ interactionClock: clock.now, commandAnswerMs: 1000, ...options })
    seed = seedSlack(emulator.state)
    await emulator.start()
  }
  const command = (user: string, text = '') =>
    control(emulator.url, 'POST', '/commands', {
      user,
      channel: seed.channelId,
      command: '/threadbridge',
      text,
    })
  const refused = (path: string, body: unknown) => controlAnswer(emulator.url, 'POST', path, body)

  beforeEach(async () => {
    await start()
  })
  afterEach(async () => {
    await app?.stop().catch(() => {})
    app = undefined
    await emulator.stop()
  })

  it('exchanges a command’s trigger_id for a modal once; a reused or unknown one is refused', async () => {
    const errors: string[] = []
    const wait = waiter()
    app = await startBoltApp(emulator, (bolt) =>
      bolt.command('/threadbridge', async ({ ack, body, client }) => {
        await ack()
        const opened = await client.views.open({ trigger_id: body.trigger_id, view: topicModal() })
        expect(opened.view).toMatchObject({
          callback_id: 'topic',
          private_metadata: 'discussion-1',
          state: { values: {} },
        })
        expect(opened.view?.id).toMatch(/^V/)
        expect(opened.view?.hash).toEqual(expect.any(String))
        for (const trigger of [body.trigger_id, '12345.98765.abcd2358fdea'])
          await client.views.open({ trigger_id: trigger, view: topicModal() }).catch((e) => {
            errors.push(e.data.error)
          })
        wait.poke()
      }),
    )
    const result = await command(seed.users.sam)
    // A modal is the command's answer.
    expect(result).toEqual({ answered: true, responses: [] })
    await wait.until(() => errors.length === 2)
    expect(errors).toEqual(['exchanged_trigger_id', 'invalid_trigger_id'])
    const shown = await control(emulator.url, 'GET', `/shown/${seed.users.sam}`)
    expect(shown.views.map((v: { callback_id: string }) => v.callback_id)).toEqual(['topic'])
    expect(shown.shown).toEqual([
      expect.objectContaining({ kind: 'view', how: 'opened', callback_id: 'topic', title: 'Name the topic' }),
    ])
  })

  it('refuses a trigger_id exchanged more than 3 seconds after the interaction', async () => {
    let trigger = ''
    app = await startBoltApp(emulator, (bolt) =>
      bolt.command('/threadbridge', async ({ ack, body }) => {
        trigger = body.trigger_id
        await ack({ text: 'Thinking…' })
      }),
    )
    await command(seed.users.sam)
    clock.hold()
    clock.advance(3001)
    await expect(app.client.views.open({ trigger_id: trigger, view: topicModal() })).rejects.toMatchObject({
      data: { ok: false, error: 'expired_trigger_id' },
    })
  })

  it('refuses views Slack would refuse with invalid_arguments and its messages', async () => {
    app = await startBoltApp(emulator, () => {})
    const open = (view: Record<string, unknown>) =>
      app?.client.views.open({ trigger_id: '1.2.3', view: view as never }).then(
        () => [],
        (e) => [e.data.error, ...e.data.response_metadata.messages],
      )
    expect(
      await open(topicModal({ title: { type: 'plain_text', text: 'A title far too long for it' } })),
    ).toEqual([
      'invalid_arguments',
      '[ERROR] must be less than 25 characters [json-pointer:/view/title/text]',
    ])
    expect(await open(topicModal({ submit: undefined }))).toEqual([
      'invalid_arguments',
      '[ERROR] must provide submit when an input block is present [json-pointer:/view/submit]',
    ])
    expect(await open(topicModal({ callback_id: 'c'.repeat(256) }))).toEqual([
      'invalid_arguments',
      '[ERROR] must be less than 256 characters [json-pointer:/view/callback_id]',
    ])
    const twice = topicModal()
    twice.blocks.push({ ...(twice.blocks[0] as (typeof twice.blocks)[0]) })
    expect(await open(twice)).toEqual([
      'invalid_arguments',
      '[ERROR] block_id "topic" is already used [json-pointer:/view/blocks/2/block_id]',
    ])
    const many = topicModal({ blocks: Array.from({ length: 101 }, () => ({ type: 'divider' })) })
    expect(await open(many)).toEqual([
      'invalid_arguments',
      '[ERROR] no more than 100 items allowed [json-pointer:/view/blocks]',
    ])
    expect(await open(topicModal({ type: 'home' }))).toEqual([
      'invalid_arguments',
      '[ERROR] must be one of: modal [json-pointer:/view/type]',
    ])
  })

  it('pushes up to three views, updates by view_id with a hash check', async () => {
    const pushes: string[] = []
    app = await startBoltApp(emulator, (bolt) => {
      bolt.shortcut('subscribe_thread', async ({ ack, body, client }) => {
        await ack()
        await client.views.open({ trigger_id: body.trigger_id, view: topicModal() })
      })
      bolt.action('more', async ({ ack, body, client }) => {
        await ack()
        const trigger = (body as { trigger_id: string }).trigger_id
        await client.views
          .push({ trigger_id: trigger, view: topicModal({ callback_id: `pushed-${pushes.length}` }) })
          .then(
            () => pushes.push('pushed'),
            (e) => pushes.push(e.data.error),
          )
      })
    })
    const post = await control(emulator.url, 'POST', '/messages', {
      user: seed.users.alex,
      channel: seed.channelId,
      text: 'A discussion',
    })
    const shortcut = await control(emulator.url, 'POST', '/shortcuts', {
      user: seed.users.sam,
      callback_id: 'subscribe_thread',
      channel: seed.channelId,
      message_ts: post.ts,
    })
    expect(shortcut).toMatchObject({ acknowledged: true, answered: true, views: [{ callback_id: 'topic' }] })
    const root = shortcut.views[0]

    const wait = waiter()
    for (let i = 0; i < 3; i++) {
      const top = (await control(emulator.url, 'GET', `/shown/${seed.users.sam}`)).views.at(-1)
      await control(emulator.url, 'POST', '/actions', {
        user: seed.users.sam,
        view_id: top.id,
        action_id: 'more',
      })
      await wait.until(() => pushes.length === i + 1)
    }
    expect(pushes).toEqual(['pushed', 'pushed', 'push_limit_reached'])
    const { views } = await control(emulator.url, 'GET', `/shown/${seed.users.sam}`)
    expect(views.map((v: { callback_id: string }) => v.callback_id)).toEqual([
      'topic',
      'pushed-0',
      'pushed-1',
    ])
    expect(views[2]).toMatchObject({ previous_view_id: views[1].id, root_view_id: root.id })

    const updated = await app.client.views.update({
      view_id: root.id,
      hash: root.hash,
      view: topicModal({ title: { type: 'plain_text', text: 'Renamed' } }),
    })
    expect(updated.view).toMatchObject({ id: root.id, title: { text: 'Renamed' } })
    expect(updated.view?.hash).not.toBe(root.hash)
    await expect(
      app.client.views.update({ view_id: root.id, hash: root.hash, view: topicModal() }),
    ).rejects.toMatchObject({ data: { error: 'hash_conflict' } })
    await expect(app.client.views.update({ view_id: 'VNOPE', view: topicModal() })).rejects.toMatchObject({
      data: { error: 'not_found' },
    })
  })

  it('submits a modal: errors keep it open, update replaces it, an empty ack closes it', async () => {
    const submitted: unknown[] = []
    const acks: Record<string, unknown>[] = [
      { response_action: 'errors', errors: { topic: 'Say a little more' } },
      {
        response_action: 'update',
        view: topicModal({ title: { type: 'plain_text', text: 'Almost there' } }),
      },
      {},
    ]
    app = await startBoltApp(emulator, (bolt) => {
      bolt.command('/threadbridge', async ({ ack, body, client }) => {
        await ack()
        await client.views.open({ trigger_id: body.trigger_id, view: topicModal() })
      })
      bolt.view('topic', async ({ ack, view }) => {
        submitted.push(view.state.values)
        await ack(acks.shift() as never)
      })
    })
    await command(seed.users.sam)
    const submit = (value: string) =>
      control(emulator.url, 'POST', '/views/submit', {
        user: seed.users.sam,
        values: { topic: { topic_input: value } },
      })

    const errors = await submit('x')
    expect(errors).toMatchObject({
      acknowledged: true,
      outcome: 'errors',
      errors: { topic: 'Say a little more' },
    })
    expect(errors.views).toHaveLength(1)
    expect(submitted[0]).toEqual({ topic: { topic_input: { type: 'plain_text_input', value: 'x' } } })

    const updated = await submit('Culture')
    expect(updated).toMatchObject({ outcome: 'updated', views: [{ title: { text: 'Almost there' } }] })

    const closed = await submit('Culture, really')
    expect(closed).toMatchObject({ outcome: 'closed', views: [] })
    const { shown } = await control(emulator.url, 'GET', `/shown/${seed.users.sam}`)
    expect(shown.map((e: { kind: string; how?: string }) => e.how ?? e.kind)).toEqual([
      'opened',
      'view_errors',
      'updated',
    ])
  })

  it('will not submit while a required input is empty, as Slack’s client will not', async () => {
    app = await startBoltApp(emulator, (bolt) =>
      bolt.command('/threadbridge', async ({ ack, body, client }) => {
        await ack()
        await client.views.open({ trigger_id: body.trigger_id, view: topicModal() })
      }),
    )
    await command(seed.users.sam)
    expect(await refused('/views/submit', { user: seed.users.sam, values: {} })).toEqual({
      status: 400,
      body: { error: 'required_fields_missing', block_ids: ['topic'] },
    })
  })

  it('tells the app a modal was closed only when it asked with notify_on_close', async () => {
    const closed: { callback_id: string; is_cleared: boolean }[] = []
    app = await startBoltApp(emulator, (bolt) => {
      bolt.command('/threadbridge', async ({ ack, body, client }) => {
        await ack()
        await client.views.open({
          trigger_id: body.trigger_id,
          view: topicModal({ notify_on_close: body.text === 'notify', callback_id: body.text }),
        })
      })
      bolt.view({ callback_id: /.*/, type: 'view_closed' }, async ({ ack, view, body }) => {
        closed.push({
          callback_id: view.callback_id,
          is_cleared: (body as { is_cleared: boolean }).is_cleared,
        })
        await ack()
      })
    })
    await command(seed.users.sam, 'quiet')
    const quiet = await control(emulator.url, 'POST', '/views/close', { user: seed.users.sam })
    expect(quiet).toMatchObject({ notified: false, views: [] })
    await command(seed.users.sam, 'notify')
    const notify = await control(emulator.url, 'POST', '/views/close', { user: seed.users.sam })
    expect(notify).toMatchObject({ notified: true, views: [] })
    expect(closed).toEqual([{ callback_id: 'notify', is_cleared: false }])
  })
})
