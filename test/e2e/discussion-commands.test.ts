import { describe, expect, it } from 'vitest'
import { eventually, useBridge } from '../support/bridge-harness.ts'
import { control } from '../support/control.ts'
import { runOnDiscord, runOnSlack } from '../support/run-command.ts'

/**
 * /discuss and /reply as people run them on each platform: what they are told, what everyone
 * sees on both platforms, and what the database holds.
 */
describe('discussion commands (real clients, sandbox, real database)', () => {
  const t = useBridge()
  const slackRoots = () =>
    control<any[]>(t.slackUrl, 'GET', `/conversations/${t.sandbox.slackSeed.channelId}/history`)
  const slackThread = (ts: string) =>
    control<any[]>(t.slackUrl, 'GET', `/conversations/${t.sandbox.slackSeed.channelId}/replies/${ts}`)
  const discordThreads = () =>
    control<any[]>(t.discordUrl, 'GET', `/channels/${t.sandbox.discordSeed.forumId}/threads`)
  const discordMessages = (channel: string) =>
    control<any[]>(t.discordUrl, 'GET', `/channels/${channel}/messages`)
  const numberIn = (answer: string | null | undefined) => Number(/#(\d+)/.exec(answer ?? '')?.[1])

  it('starts a discussion with /discuss on Discord: on both platforms, numbered, by its author', async () => {
    const { users } = t.sandbox.discordSeed
    const answer = await runOnDiscord(t, users.jo, 'discuss', {
      title: 'Better coffee',
      body: 'The machine on floor 2 is **sad**.',
    })
    expect(answer).toMatch(/^Started #\d+ “Better coffee” in Lightbulb Moment/)
    const number = numberIn(answer)

    const [thread] = await eventually(discordThreads, (threads) =>
      threads.some((x) => x.name === 'Better coffee'),
    )
    const [opening] = await eventually(
      () => discordMessages(thread.id),
      (messages) => messages.length === 1,
    )
    // Posted by the bot for jo, so named as every mirrored post is (Discord refuses "discord" in a
    // webhook's name, hence the visible middle dot).
    expect(opening).toMatchObject({
      content: 'The machine on floor 2 is **sad**.',
      username: 'jo (Disc\u00b7ord)',
    })
    const [root] = await eventually(slackRoots, (roots) => roots.length === 1)
    expect(root).toMatchObject({
      username: 'jo (Discord)',
      text: '*Better coffee*\nThe machine on floor 2 is *sad*.',
    })
    const row = await t.database.db
      .selectFrom('discussions')
      .select(['number', 'title', 'body', 'body_format'])
      .executeTakeFirstOrThrow()
    expect(row).toEqual({
      number,
      title: 'Better coffee',
      body: 'The machine on floor 2 is **sad**.',
      body_format: 'discord',
    })
  })

  it('starts one with /threadbridge discuss on Slack: the title on the first line, the body after', async () => {
    const { users } = t.sandbox.slackSeed
    const answer = await runOnSlack(t, users.sam, 'discuss Lunch & learn\nFriday, *12:30*, room 4.')
    expect(answer).toMatch(/^Started #\d+ “Lunch & learn” in Lightbulb Moment/)

    const [thread] = await eventually(discordThreads, (threads) =>
      threads.some((x) => x.name === 'Lunch & learn'),
    )
    const [opening] = await eventually(
      () => discordMessages(thread.id),
      (messages) => messages.length === 1,
    )
    expect(opening).toMatchObject({ content: 'Friday, **12:30**, room 4.', username: 'sam (Slack)' })
    const [root] = await eventually(slackRoots, (roots) => roots.length === 1)
    expect(root.text).toBe('*Lunch &amp; learn*\nFriday, *12:30*, room 4.')
  })

  it('replies with /reply in a Discord thread and with /threadbridge reply <number> on Slack', async () => {
    const answer = await runOnSlack(t, t.sandbox.slackSeed.users.sam, 'discuss Standing desks\nWho has one?')
    const number = numberIn(answer)
    const [thread] = await eventually(discordThreads, (threads) => threads.length === 1)
    const [root] = await eventually(slackRoots, (roots) => roots.length === 1)

    // On Discord, run inside the thread: the discussion is the thread.
    const { jo } = t.sandbox.discordSeed.users
    expect(await runOnDiscord(t, jo, 'reply', { text: 'I do, and my back thanks me.' }, thread.id)).toBe(
      `Replied to #${number} “Standing desks”: it appears on Discord and Slack in a moment.`,
    )
    // On Slack, from the channel, by number; a broadcast typed into it is posted without pinging.
    expect(await runOnSlack(t, t.sandbox.slackSeed.users.alex, `reply ${number} Same here! <!channel>`)).toBe(
      `Replied to #${number} “Standing desks”: it appears on Discord and Slack in a moment.`,
    )

    const replies = await eventually(
      () => slackThread(root.ts),
      (messages) => messages.length === 3,
    )
    expect(replies.slice(1).map((m) => [m.username, m.text])).toEqual([
      ['jo (Discord)', 'I do, and my back thanks me.'],
      ['alex (Slack)', 'Same here! @\u2060channel'],
    ])
    expect(replies.flatMap((m) => m.pinged ?? [])).toEqual([])
    const onDiscord = await eventually(
      () => discordMessages(thread.id),
      (messages) => messages.length === 3,
    )
    expect(onDiscord.slice(1).map((m) => [m.username, m.content])).toEqual([
      ['jo (Disc\u00b7ord)', 'I do, and my back thanks me.'],
      ['alex (Slack)', 'Same here! @\u2060channel'],
    ])
  })

  it('accepts a link to any message of the discussion instead of its number', async () => {
    await runOnDiscord(t, t.sandbox.discordSeed.users.jo, 'discuss', {
      title: 'Linked',
      body: 'Reply by link.',
    })
    const [thread] = await eventually(discordThreads, (threads) => threads.length === 1)
    const [opening] = await eventually(
      () => discordMessages(thread.id),
      (messages) => messages.length === 1,
    )
    const link = `https://discord.com/channels/${t.sandbox.discordSeed.guildId}/${thread.id}/${opening.id}`
    expect(await runOnSlack(t, t.sandbox.slackSeed.users.sam, `reply <${link}> By link it is.`)).toMatch(
      /^Replied to #\d+ “Linked”/,
    )
    const [root] = await eventually(slackRoots, (roots) => roots.length === 1)
    await eventually(
      () => slackThread(root.ts),
      (messages) => messages.at(-1)?.text === 'By link it is.',
    )
  })

  it('refuses a non-member, an unknown discussion and a missing argument, each with what to do', async () => {
    expect(
      await runOnDiscord(t, t.sandbox.discordSeed.users.visitor, 'discuss', {
        title: 'Let me in',
        body: 'Hi',
      }),
    ).toBe(
      'You need to be a member of Lightbulb Moment first. Join Lightbulb Moment with /join, then try again.',
    )
    expect(await runOnSlack(t, t.sandbox.slackSeed.users.guest, 'discuss Let me in')).toBe(
      'You need to be a member of Lightbulb Moment first. Join Lightbulb Moment with /threadbridge join, then try again.',
    )
    expect(await runOnSlack(t, t.sandbox.slackSeed.users.sam, 'reply 999 Anyone?')).toBe(
      'There is no discussion #999 in Lightbulb Moment.',
    )
    expect(await runOnSlack(t, t.sandbox.slackSeed.users.sam, 'reply')).toBe(
      'reply: discussion is missing. Usage: /threadbridge reply <discussion> <text>',
    )
    expect(await runOnSlack(t, t.sandbox.slackSeed.users.sam, 'reply coffee is great')).toBe(
      '"coffee" is not a discussion: give its number, such as 12, or a link to one of its messages.',
    )
    expect(await runOnDiscord(t, t.sandbox.discordSeed.users.jo, 'reply', { text: 'Where am I?' })).toBe(
      'Which discussion? Give its number or a link to it, as in /reply discussion: 12 text: your reply.',
    )
    expect(await runOnSlack(t, t.sandbox.slackSeed.users.sam, `discuss ${'x'.repeat(301)}`)).toBe(
      'discuss: title is too long: at most 300 characters. Usage: /threadbridge discuss <title>, then the body on the next lines',
    )
    expect(await t.database.db.selectFrom('discussions').select('id').execute()).toEqual([])
    expect(await t.database.db.selectFrom('replies').select('id').execute()).toEqual([])
  })
})
