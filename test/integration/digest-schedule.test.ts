import { beforeEach, describe, expect, it } from 'vitest'
import { claimDueDigests } from '../../src/digests/claim-due-digests.ts'
import type { PlatformActor } from '../../src/platform/platform.ts'
import { useCore } from '../support/core-fixture.ts'
import { alex, jo, lightbulb, mark, sam, visitor } from '../support/people.ts'
import { targetName } from '../support/test-database.ts'

const HOUR = 3_600_000

describe(`digest schedule (${targetName})`, () => {
  const t = useCore()
  const tokyo: PlatformActor = { platform: 'slack', platformUserId: 'U0TOKYO', displayName: 'kenji' }
  let discussionId: string

  beforeEach(async () => {
    t.clock.set('2026-10-19T00:00:00Z')
    for (const person of [jo, sam, alex, visitor, tokyo]) await t.core.memberships.join(lightbulb.id, person)
    const discussion = await t.core.discussions.start({
      communityId: lightbulb.id,
      author: mark,
      title: 'The long thread',
      body: 'Reply here all fortnight.',
      format: 'plain',
    })
    discussionId = discussion.id
    for (const person of [jo, sam, alex, tokyo])
      await t.core.subscriptions.subscribe(person, { discussionId })
  })

  const digestsOf = async (person: PlatformActor) => {
    const rows = await t.handle.db
      .selectFrom('digests as d')
      .innerJoin('identities as i', 'i.member_id', 'd.member_id')
      .select(['d.slot_at', 'd.frequency'])
      .where('i.platform', '=', person.platform)
      .where('i.platform_user_id', '=', person.platformUserId)
      .orderBy('d.slot_at')
      .execute()
    return rows.map((row) => row.slot_at.toISOString())
  }

  it('sends daily, weekly and immediate digests at local hours across three time zones and two clock changes', async () => {
    await t.core.subscriptions.setPreferences(jo, {
      digestFrequency: 'daily',
      digestHour: 9,
      timezone: 'Europe/London',
    })
    await t.core.subscriptions.setPreferences(sam, {
      digestFrequency: 'weekly',
      digestHour: 8,
      timezone: 'America/New_York',
    })
    await t.core.subscriptions.setPreferences(tokyo, {
      digestFrequency: 'daily',
      digestHour: 7,
      timezone: 'Asia/Tokyo',
    })
    await t.core.subscriptions.setPreferences(alex, { digestFrequency: 'immediate' })

    // Two weeks, across Europe's clock change (25 October) and America's (1 November): a reply
    // every 6 hours, the scheduler every 30 minutes.
    let replies = 0
    for (
      let at = Date.parse('2026-10-19T01:00:00Z');
      at < Date.parse('2026-11-02T23:59:00Z');
      at += HOUR / 2
    ) {
      t.clock.set(new Date(at).toISOString())
      if ((at / (HOUR / 2)) % 12 === 0) {
        await t.core.replies.post({
          discussionId,
          author: visitor,
          body: `Reply ${++replies}`,
          format: 'plain',
        })
      }
      await claimDueDigests(t.handle.db, t.clock.now())
    }

    // 09:00 in London: 08:00 UTC in summer time, 09:00 UTC from Sunday 25 October.
    expect(await digestsOf(jo)).toEqual([
      ...['19', '20', '21', '22', '23', '24'].map((d) => `2026-10-${d}T08:00:00.000Z`),
      ...['25', '26', '27', '28', '29', '30', '31'].map((d) => `2026-10-${d}T09:00:00.000Z`),
      ...['01', '02'].map((d) => `2026-11-${d}T09:00:00.000Z`),
    ])
    // Mondays 08:00 in New York: 12:00 UTC in summer time, 13:00 UTC from 1 November.
    // 19 October is a Monday too: its slot comes after the first replies.
    expect(await digestsOf(sam)).toEqual([
      '2026-10-19T12:00:00.000Z',
      '2026-10-26T12:00:00.000Z',
      '2026-11-02T13:00:00.000Z',
    ])
    // 07:00 in Tokyo (no daylight saving): 22:00 UTC the day before.
    expect(await digestsOf(tokyo)).toEqual(
      ['19', '20', '21', '22', '23', '24', '25', '26', '27', '28', '29', '30', '31']
        .map((d) => `2026-10-${d}T22:00:00.000Z`)
        .concat(['2026-11-01T22:00:00.000Z', '2026-11-02T22:00:00.000Z']),
    )
    // Immediate: one per burst, a reply here every 6 hours is a burst each.
    expect((await digestsOf(alex)).length).toBe(replies)
  })

  const reply = (author: PlatformActor, body: string) =>
    t.core.replies.post({ discussionId, author, body, format: 'plain' })
  const tick = async (iso: string) => {
    t.clock.set(iso)
    return claimDueDigests(t.handle.db, t.clock.now())
  }

  it('batches an immediate subscriber’s burst of replies into one digest, sent a minute after the first', async () => {
    await t.core.subscriptions.setPreferences(alex, { digestFrequency: 'immediate' })
    t.clock.set('2026-10-20T10:00:00Z')
    await reply(visitor, 'one')
    t.clock.set('2026-10-20T10:00:20Z')
    const second = await reply(jo, 'two')
    await tick('2026-10-20T10:00:50Z')
    expect(await digestsOf(alex)).toEqual([]) // the burst is still going
    t.clock.set('2026-10-20T10:00:55Z')
    await reply(visitor, 'three')
    await tick('2026-10-20T10:01:04Z')
    expect(await digestsOf(alex)).toEqual(['2026-10-20T10:00:00.000Z'])
    const [digest] = await t.handle.db
      .selectFrom('digests')
      .selectAll()
      .where('frequency', '=', 'immediate')
      .execute()
    // The third reply is too fresh to be counted (10 s to settle): the next burst has it.
    expect(digest?.reply_seq_upto).toBe(second.seq)
    await tick('2026-10-20T10:02:00Z')
    expect(await digestsOf(alex)).toEqual(['2026-10-20T10:00:00.000Z', '2026-10-20T10:00:55.000Z'])
  })

  it('after downtime sends one combined digest, not one per missed day', async () => {
    await t.core.subscriptions.setPreferences(jo, {
      digestFrequency: 'daily',
      digestHour: 9,
      timezone: 'UTC',
    })
    t.clock.set('2026-10-20T10:00:00Z')
    await reply(visitor, 'before the outage')
    await tick('2026-10-21T09:05:00Z')
    t.clock.set('2026-10-21T12:00:00Z')
    await reply(visitor, 'during the outage, day 1')
    t.clock.set('2026-10-23T12:00:00Z')
    await reply(visitor, 'during the outage, day 3')
    // Down from 21 October to the 25th; the first tick back decides once.
    await tick('2026-10-25T15:00:00Z')
    await tick('2026-10-25T15:30:00Z')
    expect(await digestsOf(jo)).toEqual(['2026-10-21T09:00:00.000Z', '2026-10-25T09:00:00.000Z'])
  })

  it('leaves out the subscriber’s own replies, deleted ones, muted discussions and communities they left', async () => {
    await t.core.subscriptions.setPreferences(jo, {
      digestFrequency: 'daily',
      digestHour: 9,
      timezone: 'UTC',
    })
    t.clock.set('2026-10-20T10:00:00Z')
    await reply(jo, 'my own')
    const deleted = await reply(visitor, 'soon gone')
    await t.core.replies.delete({ replyId: deleted.id, actor: visitor })
    expect((await tick('2026-10-21T09:05:00Z')).empty).toBeGreaterThan(0)
    expect(await digestsOf(jo)).toEqual([])

    t.clock.set('2026-10-21T10:00:00Z')
    await reply(visitor, 'worth hearing')
    await t.core.subscriptions.unsubscribe(jo, { discussionId })
    await tick('2026-10-22T09:05:00Z')
    expect(await digestsOf(jo)).toEqual([])

    await t.core.subscriptions.subscribe(jo, { discussionId })
    t.clock.set('2026-10-22T10:00:00Z')
    await reply(visitor, 'again')
    await t.core.memberships.leave(lightbulb.id, jo)
    await tick('2026-10-23T09:05:00Z')
    expect(await digestsOf(jo)).toEqual([])
  })

  it('tells community watchers of new discussions, never their own', async () => {
    await t.core.subscriptions.setPreferences(sam, { digestFrequency: 'immediate' })
    await t.core.subscriptions.subscribe(sam, { communityId: lightbulb.id })
    t.clock.set('2026-10-20T10:00:00Z')
    await t.core.discussions.start({
      communityId: lightbulb.id,
      author: sam,
      title: 'Mine',
      body: 'x',
      format: 'plain',
    })
    await tick('2026-10-20T10:05:00Z')
    expect(await digestsOf(sam)).toEqual([])
    t.clock.set('2026-10-20T11:00:00Z')
    await t.core.discussions.start({
      communityId: lightbulb.id,
      author: jo,
      title: 'Theirs',
      body: 'y',
      format: 'plain',
    })
    await tick('2026-10-20T11:05:00Z')
    expect(await digestsOf(sam)).toEqual(['2026-10-20T11:00:00.000Z'])
  })

  it('claims each digest once when two schedulers run at once', async () => {
    await t.core.subscriptions.setPreferences(alex, { digestFrequency: 'immediate' })
    t.clock.set('2026-10-20T10:00:00Z')
    await reply(visitor, 'race me')
    t.clock.set('2026-10-20T10:02:00Z')
    const runs = await Promise.all([
      claimDueDigests(t.handle.db, t.clock.now()),
      claimDueDigests(t.handle.db, t.clock.now()),
      claimDueDigests(t.handle.db, t.clock.now()),
    ])
    const digests = await t.handle.db.selectFrom('digests').select(['member_id', 'slot_at']).execute()
    // Everyone subscribed had something due (the others daily at 09:00 UTC); each once.
    expect(digests.length).toBeGreaterThan(1)
    expect(new Set(digests.map((d) => d.member_id)).size).toBe(digests.length)
    expect(runs.reduce((sum, run) => sum + run.claimed, 0)).toBe(digests.length)
    const queued = await t.handle.db
      .selectFrom('outbox')
      .select('id')
      .where('event_type', '=', 'digest.ready')
      .execute()
    expect(queued).toHaveLength(digests.length)
  })
})
