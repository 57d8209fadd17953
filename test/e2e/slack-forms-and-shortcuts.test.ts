import { describe, expect, it } from 'vitest'
import { eventually, useBridge } from '../support/bridge-harness.ts'
import { control } from '../support/control.ts'
import { runOnSlack } from '../support/run-command.ts'

/**
 * What Slack gets beyond typed subcommands: a form (modal) for /threadbridge discuss run with
 * nothing after it, and the message shortcut "Notify me when people reply" on a thread's messages.
 */
describe('Slack forms and shortcuts (real Bolt app, sandbox, real database)', () => {
  const t = useBridge()
  const slackRoots = () =>
    control<any[]>(t.slackUrl, 'GET', `/conversations/${t.sandbox.slackSeed.channelId}/history`)

  it('opens a form for /threadbridge discuss with no title, and starts the discussion it is given', async () => {
    const { sam } = t.sandbox.slackSeed.users
    const run = await control<{ answered: boolean }>(t.slackUrl, 'POST', '/commands', {
      user: sam,
      channel: t.sandbox.slackSeed.channelId,
      command: '/threadbridge',
      text: 'discuss',
    })
    expect(run.answered).toBe(true)
    const { views } = await control<{ views: any[] }>(t.slackUrl, 'GET', `/shown/${sam}`)
    expect(views).toHaveLength(1)
    expect(views[0]).toMatchObject({ title: { text: 'Start a discussion' } })
    expect(views[0].blocks.map((b: any) => [b.block_id, b.optional])).toEqual([
      ['title', false],
      ['body', true],
    ])

    const submitted = await control<{ outcome: string }>(t.slackUrl, 'POST', '/views/submit', {
      user: sam,
      values: { title: { title: 'From a form' }, body: { body: 'Typed into a modal.' } },
    })
    expect(submitted.outcome).toBe('closed')
    const [told] = await eventually(
      () => control<any[]>(t.slackUrl, 'GET', `/ephemeral/${sam}`),
      (notes) => notes.length > 0,
    )
    expect(told.text).toMatch(/^Started #\d+ “From a form” in Lightbulb Moment/)
    const [root] = await eventually(slackRoots, (roots) => roots.length === 1)
    expect(root.text).toBe('*From a form*\nTyped into a modal.')
  })

  it('refuses a non-member before the form opens, and says so', async () => {
    const { guest } = t.sandbox.slackSeed.users
    expect(await runOnSlack(t, guest, 'discuss')).toBe(
      'You need to be a member of Lightbulb Moment first. Join Lightbulb Moment with /threadbridge join, then try again.',
    )
    const { views } = await control<{ views: unknown[] }>(t.slackUrl, 'GET', `/shown/${guest}`)
    expect(views).toEqual([])
    expect(await runOnSlack(t, guest, 'leave')).toBe(
      'You are not a member of Lightbulb Moment, so there is nothing to leave.',
    )
  })

  it('subscribes from a thread with the message shortcut, and says so where it is not a discussion', async () => {
    const { sam, alex } = t.sandbox.slackSeed.users
    const { channelId } = t.sandbox.slackSeed
    await runOnSlack(t, sam, 'discuss Quiet hours\nShall we have some?')
    const [root] = await eventually(slackRoots, (roots) => roots.length === 1)
    const reply = await control<{ ts: string }>(t.slackUrl, 'POST', '/messages', {
      user: sam,
      channel: channelId,
      text: 'After 6pm, I say.',
      thread_ts: root.ts,
    })

    const shortcut = await control<{
      answered: boolean
      responses: { text: string; response_type: string }[]
    }>(t.slackUrl, 'POST', '/shortcuts', {
      user: alex,
      callback_id: 'subscribe_thread',
      channel: channelId,
      message_ts: reply.ts,
    })
    expect(shortcut.answered).toBe(true)
    expect(shortcut.responses.at(-1)).toMatchObject({
      response_type: 'ephemeral',
      text: expect.stringMatching(/^You are subscribed to replies in #\d+ “Quiet hours”\./),
    })
    const watching = await t.database.db
      .selectFrom('subscriptions as s')
      .innerJoin('identities as i', 'i.member_id', 's.member_id')
      .select(['s.level'])
      .where('i.platform_user_id', '=', alex)
      .where('s.discussion_id', 'is not', null)
      .execute()
    expect(watching).toEqual([{ level: 'watching' }])

    // A non-member's top-level message opens no discussion: the shortcut there says so.
    const stray = await control<{ ts: string }>(t.slackUrl, 'POST', '/messages', {
      user: t.sandbox.slackSeed.users.guest,
      channel: channelId,
      text: 'Hello? Anyone?',
    })
    const elsewhere = await control<{ responses: { text: string }[] }>(t.slackUrl, 'POST', '/shortcuts', {
      user: alex,
      callback_id: 'subscribe_thread',
      channel: channelId,
      message_ts: stray.ts,
    })
    expect(elsewhere.responses.at(-1)?.text).toBe(
      'This message is not part of a bridged discussion. To hear of new discussions, run /threadbridge subscribe new.',
    )
  })
})
