import { beforeEach, describe, expect, it } from 'vitest'
import { readMirrorContent } from '../../src/discussions/mirror-content.ts'
import { DeliveryError } from '../../src/errors.ts'
import { InboundDecisions } from '../../src/inbound/inbound-decisions.ts'
import type { MessagePosted } from '../../src/inbound/platform-event.ts'
import { mentionNames } from '../../src/names/mention-names.ts'
import { FakeModeratorAlerts } from '../fakes/fake-moderator-alerts.ts'
import { FakePlatformPort } from '../fakes/fake-platform-port.ts'
import { outboxEvents, useCore } from '../support/core-fixture.ts'
import { jo, lightbulb, mark, sam, visitor } from '../support/people.ts'
import { targetName } from '../support/test-database.ts'

describe(`inbound decisions, shared by both platforms (${targetName})`, () => {
  const t = useCore()
  let slack: FakePlatformPort
  let discord: FakePlatformPort
  let alerts: FakeModeratorAlerts
  let decisions: InboundDecisions
  beforeEach(async () => {
    await t.core.memberships.join(lightbulb.id, jo)
    await t.core.memberships.join(lightbulb.id, sam)
    slack = new FakePlatformPort('slack', {
      U0SAM: { displayName: 'Sam S.', avatarUrl: 'https://a/sam.png' },
    })
    discord = new FakePlatformPort('discord')
    alerts = new FakeModeratorAlerts()
    const ports = new Map([
      ['slack', slack],
      ['discord', discord],
    ] as const)
    decisions = new InboundDecisions({
      core: t.core,
      names: mentionNames(t.handle.db, ports, t.clock),
      ports: new Map([
        ['slack', slack],
        ['discord', discord],
      ]),
      alerts,
      deadLetters: alerts,
      clock: t.clock,
    })
  })

  const channel = lightbulb.slack.channelId
  const origin = (eventId: string) => ({ platform: 'slack' as const, eventId })
  const slackMessage = (ts: string, text: string, extra: Partial<MessagePosted> = {}): MessagePosted => ({
    kind: 'message_posted',
    origin: origin(`Ev${ts}`),
    channelId: channel,
    author: { platformUserId: sam.platformUserId },
    text,
    format: 'slack',
    attachments: [],
    source: { platform: 'slack', channelId: channel, messageId: ts, threadId: ts },
    ...extra,
  })
  const openDiscussion = async (ts: string) => {
    await decisions.apply(slackMessage(ts, 'Title\nBody', { opens: { title: 'Title', body: 'Body' } }))
    const link = await t.core.linkedContent({ platform: 'slack', channelId: channel, messageId: ts })
    if (link === undefined) throw new Error('the discussion was not opened')
    return link.discussionId
  }
  const discordReply = (ts: string, threadTs: string): MessagePosted => ({
    ...slackMessage(ts, 'Can I join in?'),
    origin: { platform: 'discord', eventId: `message_create:${ts}` },
    channelId: lightbulb.discord.channelId,
    author: { platformUserId: visitor.platformUserId, displayName: 'visitor' },
    format: 'discord',
    source: { platform: 'discord', channelId: threadTs, messageId: ts, threadId: threadTs },
  })

  /**
   * Our mirror on Discord, as the engine records it: the discussion's thread (its starter has the
   * thread's id), or a reply's message in it.
   */
  const mirroredOnDiscord = (
    discussionId: string,
    threadId: string,
    reply?: { messageId: string; replyId: string },
  ) =>
    t.handle.db
      .insertInto('message_links')
      .values({
        platform: 'discord',
        channel_id: threadId,
        message_id: reply?.messageId ?? threadId,
        thread_id: threadId,
        discussion_id: discussionId,
        reply_id: reply?.replyId ?? null,
        part: 0,
        origin: 'mirror',
      })
      .execute()

  it('opens a discussion from a top-level message, naming its author through the port', async () => {
    const discussionId = await openDiscussion('1700000000.000100')
    const shown = await readMirrorContent(t.handle.db, { discussionId, replyId: null })
    expect(shown).toMatchObject({ title: 'Title', text: 'Body', author: { displayName: 'Sam S.' } })
    expect(slack.lookedUp).toEqual([sam.platformUserId])
    expect((await outboxEvents(t.handle)).map((e) => e.type)).toContain('discussion.created')
  })

  it('takes a message in a known thread as a reply, and leaves one in a thread it never saw alone at once', async () => {
    const discussionId = await openDiscussion('1700000000.000100')
    const thread = { threadId: '1700000000.000100', startedAt: t.clock.now() }
    await decisions.apply(slackMessage('1700000000.000200', 'A reply', { thread }))
    // An old thread we hold nothing of is not ours: no waiting for a link that will never come.
    const waits: number[] = []
    const lookUp = t.core.discussionInThread.bind(t.core)
    t.core.discussionInThread = (ref, waitMs = 0) => {
      waits.push(waitMs)
      return lookUp(ref, waitMs)
    }
    t.clock.advance(10 * 60_000)
    await decisions.apply(
      slackMessage('1700000000.000400', 'Elsewhere', {
        thread: { threadId: '1600000000.000100', startedAt: new Date(0) },
      }),
    )
    expect(waits).toEqual([0]) // one look, no wait
    const thread0 = await t.core.readThread(discussionId)
    expect(thread0.replies.map((r) => r.text)).toEqual(['A reply'])
  })

  it('nests a reply to our mirror posted in the instant before the mirror’s link was written', async () => {
    const discussionId = await openDiscussion('1700000000.000100')
    await mirroredOnDiscord(discussionId, '800')
    const thread = { threadId: '800', startedAt: t.clock.now() }
    await decisions.apply(
      slackMessage('1700000000.000200', 'Loads to say', {
        thread: { threadId: '1700000000.000100', startedAt: t.clock.now() },
      }),
    )
    const [samReply] = (await t.core.readThread(discussionId)).replies
    // jo answers sam's mirror on Discord (posted just now), and the engine records the mirror
    // just after the bridge first looked for it: the race, made certain.
    const lookUp = t.core.linkedContent.bind(t.core)
    t.core.linkedContent = async (ref) => {
      const found = await lookUp(ref)
      if (ref.messageId === '850' && found === undefined && samReply)
        await mirroredOnDiscord(discussionId, '800', { messageId: '850', replyId: samReply.id })
      return found
    }
    await decisions.apply({
      ...discordReply('851', '800'),
      author: { platformUserId: jo.platformUserId, displayName: 'jo' },
      text: 'Tell us more, Sam',
      thread: { ...thread, answersMessageId: '850', answersPostedAt: t.clock.now() },
    })
    const replies = (await t.core.readThread(discussionId)).replies
    expect(replies.map((r) => [r.text, r.parentReplyId])).toEqual([
      ['Loads to say', null],
      ['Tell us more, Sam', samReply?.id],
    ])
  })

  it('tells a non-member why, privately and once per discussion, where they wrote', async () => {
    const discussionId = await openDiscussion('1700000000.000100')
    // Their thread on Discord: our mirror of the discussion, as the engine records it.
    await mirroredOnDiscord(discussionId, '800')
    const thread = { threadId: '800', startedAt: t.clock.now() }
    await decisions.apply({ ...discordReply('801', '800'), thread })
    await decisions.apply({ ...discordReply('802', '800'), thread })
    expect(discord.told).toEqual([
      {
        platformUserId: visitor.platformUserId,
        channelId: '800',
        threadId: '800',
        text: expect.stringMatching(/^You need to be a member of Lightbulb Moment to add comments!/),
      },
    ])
    expect((await t.core.readThread(discussionId)).replies).toEqual([])
  })

  it('tells a non-member on the retry when the first notice could not be sent, but not twice', async () => {
    const discussionId = await openDiscussion('1700000000.000100')
    await mirroredOnDiscord(discussionId, '800')
    const thread = { threadId: '800', startedAt: t.clock.now() }
    discord.failNotices.push(new DeliveryError('discord', '503 Service Unavailable', { retryable: true }))
    await expect(decisions.apply({ ...discordReply('801', '800'), thread })).rejects.toThrow(DeliveryError)
    expect(discord.told).toEqual([])
    await decisions.apply({ ...discordReply('801', '800'), thread }) // the spool's retry of the event
    await decisions.apply({ ...discordReply('802', '800'), thread })
    expect(discord.told).toHaveLength(1)

    // A refusal no retry can change keeps the claim: nobody is asked again and again.
    const other = await openDiscussion('1700000000.000300')
    await mirroredOnDiscord(other, '900')
    const closed = { threadId: '900', startedAt: t.clock.now() }
    discord.failNotices.push(
      new DeliveryError('discord', '403 50007 Cannot send messages to this user', { retryable: false }),
    )
    await expect(decisions.apply({ ...discordReply('901', '900'), thread: closed })).rejects.toThrow(
      DeliveryError,
    )
    await decisions.apply({ ...discordReply('902', '900'), thread: closed })
    expect(discord.told).toHaveLength(1)
  })

  it('tells a writer each new reason once: banned, after being told the discussion is locked', async () => {
    const discussionId = await openDiscussion('1700000000.000100')
    await mirroredOnDiscord(discussionId, '800')
    const thread = { threadId: '800', startedAt: t.clock.now() }
    const joWrites = (id: string) =>
      decisions.apply({
        ...discordReply(id, '800'),
        author: { platformUserId: jo.platformUserId, displayName: 'jo' },
        thread,
      })
    await t.core.discussions.setLocked({ discussionId, actor: mark, locked: true })
    await joWrites('801')
    await joWrites('802')
    await t.core.memberships.ban(lightbulb.id, mark, jo)
    await joWrites('803')
    await joWrites('804')
    expect(discord.told.map((notice) => [notice.platformUserId, notice.text])).toEqual([
      [jo.platformUserId, 'This discussion is locked: no more replies can be added.'],
      [jo.platformUserId, 'You have been banned from Lightbulb Moment.'],
    ])
  })

  it('tells someone banned and then erased that they are banned, not how to join, when they post', async () => {
    await t.core.memberships.ban(lightbulb.id, mark, sam)
    expect(await t.core.eraseMember(sam, lightbulb.id)).toBeDefined()
    await decisions.apply(
      slackMessage('1700000000.000500', 'Back\nAgain', { opens: { title: 'Back', body: 'Again' } }),
    )
    expect(slack.told.map((notice) => notice.text)).toEqual(['You have been banned from Lightbulb Moment.'])
    expect(await t.handle.db.selectFrom('discussions').select('id').execute()).toEqual([])
  })

  it('stops the mirror whose thread root was deleted there, and tells the moderators once, in a sentence', async () => {
    const discussionId = (
      await t.core.discussions.start({
        communityId: lightbulb.id,
        author: jo,
        title: 'From Discord',
        body: 'Hello',
        format: 'discord',
      })
    ).id
    await t.handle.db
      .insertInto('message_links')
      .values({
        platform: 'slack',
        channel_id: channel,
        message_id: '1700000000.000900',
        thread_id: '1700000000.000900',
        discussion_id: discussionId,
        reply_id: null,
        part: 0,
        origin: 'mirror',
      })
      .execute()
    const deletion = {
      kind: 'message_deleted' as const,
      origin: origin('EvDel'),
      ref: { platform: 'slack' as const, channelId: channel, messageId: '1700000000.000900' },
      wasThreadRoot: true,
    }
    await decisions.apply(deletion)
    await decisions.apply({ ...deletion, origin: origin('EvDel2') })
    expect(alerts.sent).toEqual([
      {
        communityId: lightbulb.id,
        text: 'The Slack thread of "From Discord" was deleted, so Threadbridge no longer mirrors that discussion to Slack. It continues on the other platforms.',
      },
    ])
    // The discussion itself lives on: a deleted mirror is not a deleted source.
    expect((await t.core.readThread(discussionId)).deleted).toBe(false)
  })

  it('puts an unarchived channel’s dead letters back and says how many', async () => {
    alerts.deadLetterCount = 1
    await decisions.apply({
      kind: 'channel_unarchived',
      origin: origin('EvUnarchive'),
      channelId: channel,
      retryFailuresStartingWith: 'slack: is_archived',
    })
    expect(alerts.retried).toEqual([{ communityId: lightbulb.id, reasonPrefix: 'slack: is_archived' }])
    expect(alerts.sent[0]?.text).toBe(
      'The Slack channel bridged to this community was unarchived, so Threadbridge posts there again; 1 delivery that failed meanwhile is being retried.',
    )
  })

  it('ignores events in channels that are not bridged', async () => {
    await decisions.apply({
      ...slackMessage('1', 'x', { opens: { title: 'x', body: 'x' } }),
      channelId: 'C0OTHER',
    })
    await decisions.apply({ kind: 'channel_archived', origin: origin('EvA'), channelId: 'C0OTHER' })
    expect(alerts.sent).toEqual([])
    expect(slack.lookedUp).toEqual([])
  })
})
