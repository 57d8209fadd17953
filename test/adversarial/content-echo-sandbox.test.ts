import { describe, expect, it } from 'vitest'
import { DELETED_REPLY_TEXT } from '../../src/discussions/content-rules.ts'
import { eventually, useBridge } from '../support/bridge-harness.ts'
import { control } from '../support/control.ts'

/** Longer than Discord takes in one message: its mirror there is two. */
const LONG_ON_SLACK = 'Noise travels. '.repeat(160).trim()
/** Within Discord's 2,000 characters, but over Slack's 4,000 once `&` is `&amp;`: two there too. */
const LONG_ON_DISCORD = 'Q&A & R&D '.repeat(195).trim()

/**
 * Attack: people rename, edit, react and delete on both sides, opposite changes 0 ms apart. The
 * bridge carries each to the other platform, and that platform reports the bridge's own change
 * back like anyone's: Discord a THREAD_UPDATE for the rename, MESSAGE_UPDATE and MESSAGE_DELETE
 * for its webhook's messages, MESSAGE_REACTION_ADD/REMOVE naming the bot; Slack message_changed,
 * message_deleted and reaction_added/removed naming the bot. Taken for a person's, an echo would
 * be carried back (a job of the other platform's), or change what the core holds. None is: each
 * person's change makes one job, and both sides end in the last state.
 */
describe('content echo (real clients, sandbox, real database)', () => {
  const t = useBridge()
  const slackChannel = () => t.sandbox.slackSeed.channelId
  const slackThread = (ts: string) =>
    control<any[]>(t.slackUrl, 'GET', `/conversations/${slackChannel()}/replies/${ts}`)
  const discordMessages = (id: string) => control<any[]>(t.discordUrl, 'GET', `/channels/${id}/messages`)
  const discordReactions = (id: string) => control<any[]>(t.discordUrl, 'GET', `/messages/${id}/reactions`)
  const onSlack = (method: string, path: string, body: Record<string, unknown>) =>
    control(t.slackUrl, method, path, { channel: slackChannel(), ...body })
  const onDiscord = (method: string, path: string, body?: Record<string, unknown>) =>
    control(t.discordUrl, method, path, body)
  /** Every job the outbox was given, in order, as its type and the platform it came from. */
  const jobs = async () =>
    (await t.database.db.selectFrom('outbox').select(['event_type', 'payload']).orderBy('id').execute()).map(
      (row) => `${row.event_type} from ${(row.payload as { sourcePlatform?: string }).sourcePlatform}`,
    )
  /** Nothing pending in the outbox (nothing due later either) and nothing waiting in the spool. */
  const idle = () =>
    eventually(
      async () => ({
        pending: (
          await t.database.db.selectFrom('outbox').select('id').where('status', '=', 'pending').execute()
        ).length,
        spooled: t.bridge.spoolDepth(),
      }),
      (state) => state.pending === 0 && state.spooled === 0,
    )

  /** Sam's discussion on Slack, mirrored to a Discord forum post, with a short and a long reply from each side. */
  const discussionWithReplies = async () => {
    const { sam } = t.sandbox.slackSeed.users
    const { jo } = t.sandbox.discordSeed.users
    const root = await onSlack('POST', '/messages', { user: sam, text: 'Noisy neighbours\nThoughts?' })
    const [thread] = await eventually(
      () => control<any[]>(t.discordUrl, 'GET', `/channels/${t.sandbox.discordSeed.forumId}/threads`),
      (threads) => threads.length === 1,
    )
    const post = (content: string) =>
      onDiscord('POST', `/channels/${thread.id}/messages`, { author_id: jo, content })
    const reply = (text: string) => onSlack('POST', '/messages', { user: sam, text, thread_ts: root.ts })
    // One side's replies cross before the other's are written, so both threads read in one order.
    const joShort = await post('Earplugs.')
    const joLong = await post(LONG_ON_DISCORD)
    await eventually(
      () => slackThread(root.ts),
      (m) => m.length === 4,
    )
    const samShort = await reply('Ask them.')
    const samLong = await reply(LONG_ON_SLACK)
    // Each side: the opening post, two replies written there, a short mirror and a long one's two parts.
    const slackSide = await slackThread(root.ts)
    const discordSide = await eventually(
      () => discordMessages(thread.id),
      (m) => m.length === 6,
    )
    await idle()
    const mirrorOfJo = slackSide.find((m) => m.text === 'Earplugs.')
    const mirrorOfSam = discordSide.find((m) => m.content === 'Ask them.')
    expect(mirrorOfJo?.bot_id).toBeDefined()
    expect(mirrorOfSam?.webhook_id).toBeDefined()
    return { root, thread, joShort, joLong, samShort, samLong, mirrorOfJo, mirrorOfSam }
  }
  type Discussion = Awaited<ReturnType<typeof discussionWithReplies>>

  /** Sam renames the discussion, edits, reacts and deletes on Slack; opposite changes 0 ms apart. */
  const samActs = async (d: Discussion) => {
    const { sam } = t.sandbox.slackSeed.users
    await onSlack('PATCH', '/messages', { ts: d.root.ts, text: 'Noisy neighbours again\nThoughts?' })
    await onSlack('PATCH', '/messages', { ts: d.root.ts, text: 'Quiet neighbours\nThoughts?' })
    await onSlack('PATCH', '/messages', { ts: d.samShort.ts, text: 'Slack edit A' })
    await onSlack('PATCH', '/messages', { ts: d.samShort.ts, text: 'Slack edit B' })
    const react = (method: string, name: string) =>
      onSlack(method, '/reactions', { user: sam, ts: d.mirrorOfJo.ts, name })
    await react('POST', '+1')
    await react('POST', 'eyes')
    await react('DELETE', 'eyes')
    await onSlack('DELETE', '/messages', { ts: d.samLong.ts })
  }

  /** Jo does the same on Discord (a thread's name is the bridge's to keep there). */
  const joActs = async (d: Discussion) => {
    const { jo } = t.sandbox.discordSeed.users
    const at = `/channels/${d.thread.id}/messages`
    await onDiscord('PATCH', `${at}/${d.joShort.id}`, { content: 'Discord edit A' })
    await onDiscord('PATCH', `${at}/${d.joShort.id}`, { content: 'Discord edit B' })
    const react = (method: string, emoji: string) =>
      onDiscord(method, `${at}/${d.mirrorOfSam.id}/reactions`, { user_id: jo, emoji })
    await react('POST', '🎉')
    await react('POST', '👀')
    await react('DELETE', '👀')
    await onDiscord('DELETE', `${at}/${d.joLong.id}`)
  }

  /**
   * Until every change has crossed, then until the platforms' reports of them are read. Each
   * platform delivers a channel's events in order, and the bridge applies a channel's events in
   * order: once a message written on each side after the bridge's last change has crossed, every
   * report of those changes was applied before it. Then nothing is pending and nothing spooled:
   * nothing is left that could post, edit or react, so what is read next is final.
   */
  const crossedAndQuiet = async (d: Discussion) => {
    const bot = { discord: t.sandbox.discord.state.botUser.id, slack: t.sandbox.slack.state.botUser.id }
    await eventually(
      async () => ({
        name: (await control<any>(t.discordUrl, 'GET', '/state')).channels.find(
          (c: any) => c.id === d.thread.id,
        )?.name,
        discord: await discordMessages(d.thread.id),
        slack: await slackThread(d.root.ts),
        onJo: await discordReactions(d.joShort.id),
      }),
      (s) =>
        s.name === 'Quiet neighbours' &&
        s.discord.some((m) => m.content === 'Slack edit B') &&
        s.discord.some((m) => m.content === DELETED_REPLY_TEXT) &&
        s.slack.some((m) => m.text === 'Discord edit B') &&
        s.slack.some((m) => m.text === DELETED_REPLY_TEXT) &&
        s.slack.find((m) => m.ts === d.samShort.ts)?.reactions?.[0]?.users?.[0] === bot.slack &&
        s.onJo[0]?.user_ids?.[0] === bot.discord,
    )
    await idle()
    await onDiscord('POST', `/channels/${d.thread.id}/messages`, {
      author_id: t.sandbox.discordSeed.users.jo,
      content: 'Marker from Discord.',
    })
    await eventually(
      () => slackThread(d.root.ts),
      (m) => m.some((x) => x.text === 'Marker from Discord.'),
    )
    await onSlack('POST', '/messages', {
      user: t.sandbox.slackSeed.users.sam,
      text: 'Marker from Slack.',
      thread_ts: d.root.ts,
    })
    await eventually(
      () => discordMessages(d.thread.id),
      (m) => m.some((x) => x.content === 'Marker from Slack.'),
    )
    await idle()
  }

  it('carries each rename, edit, reaction and deletion once, and takes none of its own back', async () => {
    const d = await discussionWithReplies()
    const before = (await jobs()).length
    await samActs(d)
    await joActs(d)
    await crossedAndQuiet(d)

    // One job per person's change (and per marker), none for an echo: nothing crossed back.
    expect((await jobs()).slice(before).sort()).toEqual(
      [
        ...Array(2).fill('discussion.edited from slack'),
        ...Array(2).fill('reply.edited from slack'),
        ...Array(3).fill('reaction.changed from slack'),
        'reply.deleted from slack',
        'reply.created from slack',
        ...Array(2).fill('reply.edited from discord'),
        ...Array(3).fill('reaction.changed from discord'),
        'reply.deleted from discord',
        'reply.created from discord',
      ].sort(),
    )
    await expectLastStateOnBothSides(d)
    await expectCoreState()
  })

  /** What each platform shows: the last of each pair of changes, on the original and the mirror alike. */
  const expectLastStateOnBothSides = async (d: Discussion) => {
    const bot = { discord: t.sandbox.discord.state.botUser.id, slack: t.sandbox.slack.state.botUser.id }
    const slack = await slackThread(d.root.ts)
    const discord = await discordMessages(d.thread.id)
    expect(slack.map((m) => m.text)).toEqual([
      'Quiet neighbours\nThoughts?',
      'Discord edit B',
      DELETED_REPLY_TEXT,
      'Slack edit B',
      'Marker from Discord.',
      'Marker from Slack.',
    ])
    expect(discord.map((m) => m.content)).toEqual([
      'Thoughts?',
      'Discord edit B',
      'Slack edit B',
      DELETED_REPLY_TEXT,
      'Marker from Discord.',
      'Marker from Slack.',
    ])
    // The reactions kept are shown once by the bot on the other side; the pairs left nothing.
    const reactionsOf = (ts: string) => slack.find((m) => m.ts === ts)?.reactions ?? []
    expect(reactionsOf(d.samShort.ts)).toEqual([{ name: 'tada', users: [bot.slack], count: 1 }])
    expect(reactionsOf(d.mirrorOfJo.ts)).toEqual([
      { name: '+1', users: [t.sandbox.slackSeed.users.sam], count: 1 },
    ])
    expect(await discordReactions(d.joShort.id)).toEqual([{ emoji: '👍', user_ids: [bot.discord] }])
    expect(await discordReactions(d.mirrorOfSam.id)).toEqual([
      { emoji: '🎉', user_ids: [t.sandbox.discordSeed.users.jo] },
    ])
  }

  /** What the core holds: the people's changes, and nothing an echo could have added. */
  const expectCoreState = async () => {
    const { db } = t.database
    const discussion = await db
      .selectFrom('discussions')
      .select(['title', 'locked_at', 'deleted_at'])
      .executeTakeFirstOrThrow()
    expect(discussion).toEqual({ title: 'Quiet neighbours', locked_at: null, deleted_at: null })
    const replies = await db
      .selectFrom('replies')
      .select('body')
      .orderBy('created_at')
      .orderBy('id')
      .execute()
    expect(replies.map((r) => r.body)).toEqual([
      'Discord edit B',
      null,
      'Slack edit B',
      null,
      'Marker from Discord.',
      'Marker from Slack.',
    ])
    const reactions = await db
      .selectFrom('reactions')
      .select(['emoji', 'platform'])
      .orderBy('emoji')
      .execute()
    expect(reactions).toEqual(
      [
        { emoji: '🎉', platform: 'discord' },
        { emoji: '👍', platform: 'slack' },
      ].sort((a, b) => (a.emoji < b.emoji ? -1 : 1)),
    )
    // No moderator's action, no thread taken for gone (which would tell the moderators), no
    // private notice to anyone, and nothing failed.
    expect(await db.selectFrom('moderation_actions').select('id').execute()).toEqual([])
    expect(await db.selectFrom('mirror_gone').select('platform').execute()).toEqual([])
    expect(await db.selectFrom('non_member_notices').select('platform').execute()).toEqual([])
    expect(await db.selectFrom('outbox').select('id').where('status', '=', 'dead').execute()).toEqual([])
    expect(await control<any[]>(t.slackUrl, 'GET', `/ephemeral/${t.sandbox.slackSeed.users.sam}`)).toEqual([])
    expect(await control<any[]>(t.discordUrl, 'GET', `/dms/${t.sandbox.discordSeed.users.jo}`)).toEqual([])
  }
})
