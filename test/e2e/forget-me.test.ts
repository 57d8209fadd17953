import { describe, expect, it } from 'vitest'
import { eventually, useBridge } from '../support/bridge-harness.ts'
import { control, controlAnswer } from '../support/control.ts'
import { runOnDiscord, runOnSlack } from '../support/run-command.ts'

const DELETED_REPLY = 'This reply was deleted.'
const DELETED_DISCUSSION = 'This discussion was deleted.'

/**
 * `/forget-me` as people run it, through the real discord.js client and Bolt app, the sandbox and
 * the real database: asked privately with a danger-styled Erase me button, nothing changes until
 * it is pressed, only the person who asked can press it, and pressing it turns what they wrote
 * into tombstones on the other platform and everywhere it exists only as our copies.
 */
describe('forget-me (real clients, sandbox, real database)', () => {
  const t = useBridge()

  const discordMessages = (id: string) => control<any[]>(t.discordUrl, 'GET', `/channels/${id}/messages`)
  const slackRoots = () =>
    control<any[]>(t.slackUrl, 'GET', `/conversations/${t.sandbox.slackSeed.channelId}/history`)
  const slackThread = (ts: string) =>
    control<any[]>(t.slackUrl, 'GET', `/conversations/${t.sandbox.slackSeed.channelId}/replies/${ts}`)
  const identity = (platformUserId: string) =>
    t.database.db
      .selectFrom('identities')
      .select('member_id')
      .where('platform_user_id', '=', platformUserId)
      .executeTakeFirst()

  /**
   * jo runs /forget-me on Discord, in the text channel: the private answer, with its buttons. (A
   * forum channel takes no messages of its own, and discord.js ignores components in a channel
   * that is not text-based.)
   */
  const askOnDiscord = async () => {
    const { jo } = t.sandbox.discordSeed.users
    const asked = await control<any>(t.discordUrl, 'POST', '/interactions', {
      user_id: jo,
      channel_id: t.sandbox.discordSeed.generalId,
      name: 'forget-me',
    })
    expect(asked.answered).toBe(true)
    const shown = await control<any[]>(t.discordUrl, 'GET', `/shown/${jo}`)
    const answer = shown.at(-1)
    expect(answer.ephemeral).toBe(true)
    const buttons = answer.components.flatMap((row: any) => row.components)
    return { answer, buttons }
  }
  const clickOnDiscord = (user: string, answer: any, customId: string) =>
    controlAnswer<any>(
      t.discordUrl,
      'POST',
      `/channels/${answer.channel_id}/messages/${answer.message_id}/click`,
      {
        user_id: user,
        custom_id: customId,
      },
    )

  /**
   * What replaced the answer once a press was handled: the bot defers the update at once (the
   * click's answer), then edits the message, without its buttons.
   */
  const replacement = async (user: string, answer: any) => {
    const edits = await eventually(
      async () =>
        (await control<any[]>(t.discordUrl, 'GET', `/shown/${user}`)).filter(
          (s) => s.message_id === answer.message_id && s.kind === 'edit',
        ),
      (found) => found.at(-1)?.components.length === 0,
    )
    return edits.at(-1)
  }

  /** jo's discussion in the Discord forum, sam's answer on Slack and jo's reply, mirrored. */
  const conversation = async () => {
    const discord = t.sandbox.discordSeed
    const slack = t.sandbox.slackSeed
    const thread = await control(t.discordUrl, 'POST', `/channels/${discord.forumId}/threads`, {
      author_id: discord.users.jo,
      name: 'Window seats',
      content: 'jo would like the window seats.',
    })
    const [root] = await eventually(slackRoots, (roots) => roots.length === 1)
    await control(t.slackUrl, 'POST', '/messages', {
      user: slack.users.sam,
      channel: slack.channelId,
      thread_ts: root.ts,
      text: 'sam agrees with jo.',
    })
    await eventually(
      () => discordMessages(thread.id),
      (m) => m.length === 2,
    )
    await control(t.discordUrl, 'POST', `/channels/${thread.id}/messages`, {
      author_id: discord.users.jo,
      content: 'jo says thanks.',
    })
    await eventually(
      () => slackThread(root.ts),
      (m) => m.length === 3,
    )
    return { thread, root }
  }

  it('erases jo after Erase me on Discord: their copies on Slack become tombstones, sam’s words stay', async () => {
    const { jo, mark } = t.sandbox.discordSeed.users
    const { thread, root } = await conversation()

    const { answer, buttons } = await askOnDiscord()
    expect(answer.content).toContain('1 reply and 1 discussion become tombstones')
    expect(answer.content).toContain('Nothing changes unless you press Erase me')
    // Discord's button styles: 4 danger, 2 secondary.
    expect(buttons.map((b: any) => [b.label, b.style])).toEqual([
      ['Erase me', 4],
      ['Cancel', 2],
    ])

    // Only jo sees the ephemeral answer: mark cannot press its button, as on Discord.
    expect((await clickOnDiscord(mark, answer, buttons[0].custom_id)).status).toBe(404)
    expect(await identity(jo)).toBeDefined()

    const pressed = await clickOnDiscord(jo, answer, buttons[0].custom_id)
    expect(pressed.status).toBe(200)
    expect(pressed.body.responses).toMatchObject([{ kind: 'deferred_update' }])
    expect(await replacement(jo, answer)).toMatchObject({
      content:
        'Erased: 1 reply and 1 discussion are now tombstones on Discord and Slack; your accounts, preferences and subscriptions are gone.',
      components: [],
    })
    // Its button is gone: it cannot be pressed twice.
    expect((await clickOnDiscord(jo, answer, buttons[0].custom_id)).status).toBe(400)

    const onSlack = await eventually(
      () => slackThread(root.ts),
      (m) => m[0].text === DELETED_DISCUSSION && m[2].text === DELETED_REPLY,
    )
    expect(onSlack[1].text).toBe('sam agrees with jo.')
    // jo's own messages on Discord are removed (the bot has Manage Messages); sam's mirror stays.
    const left = await eventually(
      () => discordMessages(thread.id),
      (m) => m.length === 1,
    )
    expect(left.map((m) => m.content)).toEqual(['sam agrees with jo.'])
    expect(await identity(jo)).toBeUndefined()
    // The audit says only that it happened.
    const audit = await runOnDiscord(t, mark, 'audit', {}, t.sandbox.discordSeed.generalId)
    expect(audit?.split('\n').slice(1)).toEqual([
      expect.stringMatching(/ UTC · a member erased themselves \(forget-me\)$/),
    ])
  })

  it('changes nothing without Erase me: Cancel says so, and a stale confirmation finds them erased', async () => {
    const { jo } = t.sandbox.discordSeed.users
    const { root } = await conversation()

    const first = await askOnDiscord()
    await clickOnDiscord(jo, first.answer, first.buttons[1].custom_id)
    expect(await replacement(jo, first.answer)).toMatchObject({ content: 'Cancelled: nothing was erased.' })
    expect(await identity(jo)).toBeDefined()
    expect((await slackThread(root.ts)).map((m) => m.text)).not.toContain(DELETED_REPLY)

    // Asked twice; the first confirmed; the second, pressed later, finds nothing left to erase.
    const second = await askOnDiscord()
    const third = await askOnDiscord()
    await clickOnDiscord(jo, second.answer, second.buttons[0].custom_id)
    await replacement(jo, second.answer)
    await clickOnDiscord(jo, third.answer, third.buttons[0].custom_id)
    expect(await replacement(jo, third.answer)).toMatchObject({
      content: 'You were already erased: Threadbridge holds nothing about you.',
    })
  })

  it('erases sam after Erase me on Slack: tombstones on both platforms, and alex cannot press it', async () => {
    const slack = t.sandbox.slackSeed
    const { root } = await conversation()
    await runOnSlack(t, slack.users.sam, 'discuss Quiet room\nsam wants a quiet room.')
    const [, samsRoot] = await eventually(slackRoots, (roots) => roots.length === 2)
    expect(samsRoot.text).toContain('sam wants a quiet room.')

    const asked = await control<any>(t.slackUrl, 'POST', '/commands', {
      user: slack.users.sam,
      channel: slack.channelId,
      command: '/threadbridge',
      text: 'forget-me',
    })
    expect(asked.answered).toBe(true)
    const { shown } = await control<any>(t.slackUrl, 'GET', `/shown/${slack.users.sam}`)
    const question = shown.at(-1)
    expect(question.text).toContain('1 reply and 1 discussion become tombstones')
    const erase = question.blocks
      .find((b: any) => b.type === 'actions')
      .elements.find((e: any) => e.text.text === 'Erase me')
    expect(erase.style).toBe('danger')
    const press = (user: string) =>
      controlAnswer<any>(t.slackUrl, 'POST', '/actions', {
        user,
        channel: question.channel,
        ephemeral_ts: question.ts,
        action_id: erase.action_id,
        value: erase.value,
      })

    // Only sam was shown it: alex cannot press its button, as on Slack.
    expect((await press(slack.users.alex)).status).toBe(404)
    expect(await identity(slack.users.sam)).toBeDefined()

    const pressed = await press(slack.users.sam)
    expect(pressed.body.responses.at(-1)).toMatchObject({
      replace_original: true,
      text: 'Erased: 1 reply and 1 discussion are now tombstones on Discord and Slack; your accounts, preferences and subscriptions are gone.',
    })
    const after = (await control<any>(t.slackUrl, 'GET', `/shown/${slack.users.sam}`)).shown
    expect(after.find((s: any) => s.ts === question.ts)).toMatchObject({ replaced: true })

    // The discussion made by command exists only as our copies: both become tombstones.
    await eventually(slackRoots, (roots) => roots[1].text === DELETED_DISCUSSION)
    const threads = await control<any[]>(
      t.discordUrl,
      'GET',
      `/channels/${t.sandbox.discordSeed.forumId}/threads`,
    )
    const quiet = threads.find((x) => x.name === 'Quiet room' || x.name === DELETED_DISCUSSION)
    await eventually(
      () => discordMessages(quiet.id),
      (m) => m[0]?.content === DELETED_DISCUSSION,
    )
    // sam's reply on Slack is sam's own message there; its copy on Discord is a tombstone.
    const jo = await control<any[]>(t.discordUrl, 'GET', `/channels/${t.sandbox.discordSeed.forumId}/threads`)
    const windowSeats = jo.find((x) => x.name === 'Window seats')
    const onDiscord = await eventually(
      () => discordMessages(windowSeats.id),
      (m) => m[1]?.content === DELETED_REPLY,
    )
    expect(onDiscord[2].content).toBe('jo says thanks.')
    expect((await slackThread(root.ts))[2].text).toBe('jo says thanks.')
    expect(await identity(slack.users.sam)).toBeUndefined()
  })
})
