import { beforeEach, describe, expect, it } from 'vitest'
import { Backfill, type BackfillProgress } from '../../src/backfill/backfill.ts'
import type { HistoryReader, HistoryThread } from '../../src/backfill/history-reader.ts'
import { InboundDecisions } from '../../src/inbound/inbound-decisions.ts'
import type { MessagePosted } from '../../src/inbound/platform-event.ts'
import { mentionNames } from '../../src/names/mention-names.ts'
import { FakeModeratorAlerts } from '../fakes/fake-moderator-alerts.ts'
import { FakePlatformPort } from '../fakes/fake-platform-port.ts'
import { useCore } from '../support/core-fixture.ts'
import { guest, lightbulb, sam } from '../support/people.ts'
import { targetName } from '../support/test-database.ts'

/** The backfill's decisions, on the real database, with a history reader that reads a list. */
describe(`backfill decisions (${targetName})`, () => {
  const t = useCore()
  let slack: FakePlatformPort
  let decisions: InboundDecisions
  beforeEach(async () => {
    await t.core.memberships.join(lightbulb.id, sam)
    slack = new FakePlatformPort('slack')
    const discord = new FakePlatformPort('discord')
    const ports = new Map([
      ['slack', slack],
      ['discord', discord],
    ] as const)
    const alerts = new FakeModeratorAlerts()
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
  const message = (ts: string, rootTs: string, author = sam.platformUserId): MessagePosted => ({
    kind: 'message_posted',
    origin: { platform: 'slack', eventId: 'history' },
    channelId: channel,
    author: { platformUserId: author },
    text: `text ${ts}`,
    format: 'slack',
    attachments: [],
    source: { platform: 'slack', channelId: channel, messageId: ts, threadId: rootTs },
    ...(ts === rootTs
      ? { opens: { titledByFirstLine: true as const } }
      : { thread: { threadId: rootTs, startedAt: new Date(Number(rootTs) * 1000) } }),
  })
  /** Two threads, listed newest first as a platform may list them; the older has a guest's reply. */
  const history: HistoryThread[] = [
    {
      openedAt: new Date(2_000_000),
      messages: [message('2000.000001', '2000.000001'), message('2001.000001', '2000.000001')],
    },
    {
      openedAt: new Date(1_000_000),
      messages: [
        message('1000.000001', '1000.000001'),
        message('1001.000001', '1000.000001', guest.platformUserId),
        message('1002.000001', '1000.000001'),
      ],
    },
  ]
  const reader: HistoryReader = { platform: 'slack', threads: async () => history }
  const backfill = (pending = async () => 0) =>
    new Backfill({
      core: t.core,
      decisions,
      readers: [reader],
      isTransient: () => false,
      pendingJobs: pending,
    })

  it('opens the oldest thread first, replies after their discussion, members only, and tells no one', async () => {
    const progress: BackfillProgress[] = []
    const counts = await new Backfill({
      core: t.core,
      decisions,
      readers: [reader],
      isTransient: () => false,
      pendingJobs: async () => 0,
      onProgress: (p) => progress.push(p),
    }).run(new Date(0))
    expect(counts).toEqual({
      read: 5,
      mirrored: 4,
      known: 0,
      notMembers: 1,
      refused: 0,
      outsideDiscussions: 0,
    })
    const first = await t.core.linkedContent({
      platform: 'slack',
      channelId: channel,
      messageId: '1000.000001',
    })
    const second = await t.core.linkedContent({
      platform: 'slack',
      channelId: channel,
      messageId: '2000.000001',
    })
    const reply = await t.core.linkedContent({
      platform: 'slack',
      channelId: channel,
      messageId: '1002.000001',
    })
    expect(reply?.discussionId).toBe(first?.discussionId)
    // Discussions are numbered in the order they were opened: the older thread is #1.
    const numbers = await t.handle.db
      .selectFrom('discussions')
      .select(['id', 'number'])
      .orderBy('number')
      .execute()
    expect(numbers.map((d) => d.id)).toEqual([first?.discussionId, second?.discussionId])
    expect(slack.told).toEqual([])
    expect(progress.at(0)).toEqual({ platform: 'slack', done: 0, total: 5 })
    expect(progress.at(-1)).toEqual({ platform: 'slack', done: 5, total: 5 })
  })

  it('run again, mirrors nothing twice: what is linked is known', async () => {
    await backfill().run(new Date(0))
    const outboxBefore = await t.handle.db.selectFrom('outbox').select('id').execute()
    const again = await backfill().run(new Date(0))
    expect(again).toEqual({
      read: 5,
      mirrored: 0,
      known: 4,
      notMembers: 1,
      refused: 0,
      outsideDiscussions: 0,
    })
    expect(await t.handle.db.selectFrom('outbox').select('id').execute()).toHaveLength(outboxBefore.length)
  })

  it('a reply whose thread holds no discussion is counted, not waited on', async () => {
    const orphan: HistoryReader = {
      platform: 'slack',
      threads: async () => [{ openedAt: new Date(1), messages: [message('3001.000001', '3000.000001')] }],
    }
    const counts = await new Backfill({
      core: t.core,
      decisions,
      readers: [orphan],
      isTransient: () => false,
      pendingJobs: async () => 0,
    }).run(new Date(0))
    expect(counts.outsideDiscussions).toBe(1)
  })
})
