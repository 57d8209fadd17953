import { beforeEach, describe, expect, it } from 'vitest'
import { claimDueDigests } from '../../src/digests/claim-due-digests.ts'
import { DigestDelivery } from '../../src/digests/digest-delivery.ts'
import { silentLogger } from '../../src/logger.ts'
import type { ClaimedJob } from '../../src/mirror/outbox-queue.ts'
import type { Platform } from '../../src/platform/platform.ts'
import { FakePlatformPort } from '../fakes/fake-platform-port.ts'
import { useCore } from '../support/core-fixture.ts'
import { jo, lightbulb, mark, sam, visitor } from '../support/people.ts'
import { targetName } from '../support/test-database.ts'

describe(`digest delivery (${targetName})`, () => {
  const t = useCore()
  let discord: FakePlatformPort
  let slack: FakePlatformPort
  let delivery: DigestDelivery
  let discussionId: string

  beforeEach(async () => {
    discord = new FakePlatformPort('discord')
    slack = new FakePlatformPort('slack')
    delivery = new DigestDelivery(
      t.handle.db,
      t.clock,
      new Map<Platform, FakePlatformPort>([
        ['discord', discord],
        ['slack', slack],
      ]),
      silentLogger,
    )
    t.clock.set('2026-10-20T10:00:00Z')
    for (const person of [jo, sam, visitor]) await t.core.memberships.join(lightbulb.id, person)
    discussionId = (
      await t.core.discussions.start({
        communityId: lightbulb.id,
        author: mark,
        title: 'Lunch',
        body: '?',
        format: 'plain',
      })
    ).id
    await t.core.subscriptions.setPreferences(jo, { digestFrequency: 'immediate' })
    await t.core.subscriptions.subscribe(jo, { discussionId })
    t.clock.set('2026-10-20T10:01:00Z') // replies come after they began watching
  })

  /** Claims what is due two minutes on, and delivers each claimed digest as the worker would. */
  const claimAndDeliver = async (attempt = 1, claim = true, at = '2026-10-20T10:05:00Z') => {
    t.clock.set(at)
    if (claim) await claimDueDigests(t.handle.db, t.clock.now())
    const jobs = await t.handle.db
      .selectFrom('outbox')
      .select(['id', 'payload'])
      .where('event_type', '=', 'digest.ready')
      .execute()
    for (const job of jobs) {
      const event = job.payload as { digestId: string }
      await delivery.deliver({ id: job.id, attempt } as ClaimedJob, event.digestId)
    }
  }

  it('leaves out a reply deleted after the digest was claimed, and the subscriber’s own', async () => {
    await t.core.replies.post({ discussionId, author: jo, body: 'My own words', format: 'plain' })
    await t.core.replies.post({ discussionId, author: visitor, body: 'Pizza!', format: 'plain' })
    const regret = await t.core.replies.post({
      discussionId,
      author: sam,
      body: 'Something I regret',
      format: 'slack',
    })
    t.clock.set('2026-10-20T10:05:00Z')
    await claimDueDigests(t.handle.db, t.clock.now())
    await t.core.replies.delete({ replyId: regret.id, actor: sam })
    await claimAndDeliver(1, false)

    const toJo = discord.digests.filter((d) => d.platformUserId === jo.platformUserId)
    expect(toJo).toHaveLength(1)
    const text = JSON.stringify(toJo[0]?.message)
    expect(text).toContain('visitor (Discord): Pizza!')
    expect(text).not.toContain('regret')
    expect(text).not.toContain('My own words')
    expect(toJo[0]?.message.summary).toBe('1 new reply in 1 discussion')
  })

  it('quotes only the replies it counts: none from before they began watching', async () => {
    await t.core.subscriptions.setPreferences(sam, { digestFrequency: 'immediate' })
    await t.core.replies.post({
      discussionId,
      author: visitor,
      body: 'Said before sam watched',
      format: 'plain',
    })
    t.clock.set('2026-10-20T10:02:00Z')
    await t.core.subscriptions.subscribe(sam, { discussionId })
    t.clock.set('2026-10-20T10:03:00Z')
    await t.core.replies.post({ discussionId, author: jo, body: 'Said after', format: 'plain' })
    await claimAndDeliver()
    const [toSam] = slack.digests.filter((d) => d.platformUserId === sam.platformUserId)
    expect(toSam?.message.summary).toBe('1 new reply in 1 discussion')
    expect(toSam?.message.sections[0]?.lines).toEqual(['jo (Discord): Said after'])
  })

  it('sends once even when the job runs again after an unknown outcome', async () => {
    await t.core.replies.post({ discussionId, author: visitor, body: 'Tacos?', format: 'plain' })
    await claimAndDeliver()
    // The same job again, as after a lease expiry: the digest is already sent.
    await t.handle.db.updateTable('digests').set({ status: 'pending' }).execute()
    await claimAndDeliver(2, false)
    expect(discord.digests.filter((d) => d.platformUserId === jo.platformUserId)).toHaveLength(1)
  })

  it('keeps what a digest covered for when closed DMs reopen, and does not claim for them meanwhile', async () => {
    discord.dmsClosed.add(jo.platformUserId)
    await t.core.replies.post({ discussionId, author: visitor, body: 'Salad?', format: 'plain' })
    await claimAndDeliver()
    const toJo = () => discord.digests.filter((d) => d.platformUserId === jo.platformUserId)
    expect(toJo()).toEqual([])
    const identity = await t.handle.db
      .selectFrom('identities')
      .select('dms_closed_at')
      .where('platform_user_id', '=', jo.platformUserId)
      .executeTakeFirstOrThrow()
    expect(identity.dms_closed_at).not.toBeNull()
    const joDigests = () =>
      t.handle.db
        .selectFrom('digests as d')
        .innerJoin('identities as i', 'i.member_id', 'd.member_id')
        .select('d.status')
        .where('i.platform_user_id', '=', jo.platformUserId)
        .execute()
    expect(await joDigests()).toEqual([]) // the claim was withdrawn

    // Closed, they are passed by: more replies claim nothing for them.
    t.clock.set('2026-10-20T10:06:00Z')
    await t.core.replies.post({ discussionId, author: visitor, body: 'Or soup?', format: 'plain' })
    t.clock.set('2026-10-20T10:10:00Z')
    await claimDueDigests(t.handle.db, t.clock.now())
    expect(await joDigests()).toEqual([])

    // They open their DMs and say so (/digest): everything they missed arrives as one digest.
    discord.dmsClosed.delete(jo.platformUserId)
    await t.core.subscriptions.setPreferences(jo, {})
    await claimAndDeliver(1, true, '2026-10-20T10:12:00Z')
    expect(toJo()).toHaveLength(1)
    expect(toJo()[0]?.message.summary).toBe('2 new replies in 1 discussion')
  })

  it('sends a linked person’s digest where they prefer, else where they last wrote', async () => {
    const { code } = await t.core.accountLinks.createCode(jo)
    await t.core.accountLinks.enter(sam, code)
    await t.core.accountLinks.confirm(jo, sam, lightbulb.id)
    await t.core.replies.post({ discussionId, author: sam, body: 'Written on Slack last', format: 'slack' })
    await t.core.replies.post({ discussionId, author: visitor, body: 'Soup?', format: 'plain' })
    await claimAndDeliver()
    expect(slack.digests.map((d) => d.platformUserId)).toEqual([sam.platformUserId])

    await t.core.subscriptions.setPreferences(jo, { preferredPlatform: 'discord' })
    t.clock.set('2026-10-20T10:06:00Z')
    await t.core.replies.post({ discussionId, author: visitor, body: 'Or stew?', format: 'plain' })
    t.clock.set('2026-10-20T10:10:00Z')
    await claimDueDigests(t.handle.db, t.clock.now())
    const jobs = await t.handle.db
      .selectFrom('outbox')
      .select(['id', 'payload'])
      .where('event_type', '=', 'digest.ready')
      .orderBy('id', 'desc')
      .limit(1)
      .execute()
    for (const job of jobs)
      await delivery.deliver(
        { id: job.id, attempt: 1 } as ClaimedJob,
        (job.payload as { digestId: string }).digestId,
      )
    expect(discord.digests.map((d) => d.platformUserId)).toContain(jo.platformUserId)
  })
})
