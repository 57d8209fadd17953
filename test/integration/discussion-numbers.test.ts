import { sql } from 'kysely'
import { beforeEach, describe, expect, it } from 'vitest'
import { migrateTo, migrateToLatest } from '../../src/db/migrate.ts'
import { useCore } from '../support/core-fixture.ts'
import { jo, lightbulb, sam } from '../support/people.ts'
import { createTestDatabase, targetName } from '../support/test-database.ts'

describe(`discussion numbers (${targetName})`, () => {
  const t = useCore()
  beforeEach(async () => {
    await t.core.memberships.join(lightbulb.id, jo)
    await t.core.memberships.join(lightbulb.id, sam)
  })
  const start = (title: string, author = jo) =>
    t.core.discussions.start({ communityId: lightbulb.id, author, title, body: 'Body', format: 'plain' })

  it('numbers each community’s discussions 1, 2, 3… even when they are started at once', async () => {
    const started = await Promise.all(
      Array.from({ length: 12 }, (_, i) => start(`Topic ${i}`, i % 2 ? jo : sam)),
    )
    expect(started.map((d) => d.number).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 12 }, (_, i) => i + 1),
    )

    await t.core.applyConfig([
      lightbulb,
      {
        id: 'other',
        name: 'Other',
        discord: { guildId: '900000000000000009', channelId: '900000000000000010' },
        slack: { teamId: 'T0OTHER', channelId: 'C0OTHER' },
        moderators: [],
      },
    ])
    await t.core.memberships.join('other', jo)
    const elsewhere = await t.core.discussions.start({
      communityId: 'other',
      author: jo,
      title: 'First there',
      body: 'Body',
      format: 'plain',
    })
    expect(elsewhere.number).toBe(1)
  })

  it('finds a discussion by number, by a link to its messages, or by its thread, only in its community', async () => {
    const first = await start('First')
    const second = await t.core.discussions.start({
      communityId: lightbulb.id,
      author: sam,
      title: 'Second',
      body: 'From Slack',
      format: 'slack',
      source: {
        platform: 'slack',
        channelId: 'C0LIGHT',
        messageId: '1700000000.000100',
        threadId: '1700000000.000100',
      },
    })
    expect(await t.core.findDiscussion(lightbulb.id, { kind: 'number', number: first.number })).toMatchObject(
      {
        id: first.id,
        number: 1,
        title: 'First',
        locked: false,
        deleted: false,
      },
    )
    const bySlackLink = await t.core.findDiscussion(lightbulb.id, {
      kind: 'message',
      platform: 'slack',
      channelId: 'C0LIGHT',
      messageId: '1700000000.000100',
    })
    expect(bySlackLink?.id).toBe(second.id)
    // A reply's permalink names its thread: the discussion is found by it even when the reply is not ours.
    const byReplyLink = await t.core.findDiscussion(lightbulb.id, {
      kind: 'message',
      platform: 'slack',
      channelId: 'C0LIGHT',
      messageId: '1700000001.000200',
      threadId: '1700000000.000100',
    })
    expect(byReplyLink?.id).toBe(second.id)
    expect(await t.core.findDiscussion(lightbulb.id, { kind: 'number', number: 3 })).toBeUndefined()
    expect(await t.core.findDiscussion('other', { kind: 'number', number: 1 })).toBeUndefined()
  })

  it('normalises a time zone to its IANA spelling and refuses offsets, which ignore daylight saving', async () => {
    expect((await t.core.subscriptions.setPreferences(jo, { timezone: 'europe/paris' })).timezone).toBe(
      'Europe/Paris',
    )
    // As the database's tz data spells it, which is what times the digests: not the runtime's
    // older aliases (Node 20 answers Asia/Calcutta for Asia/Kolkata).
    expect((await t.core.subscriptions.setPreferences(jo, { timezone: 'asia/kolkata' })).timezone).toBe(
      'Asia/Kolkata',
    )
    expect(await t.core.timeZones('')).toContain('Europe/London')
    expect(await t.core.timeZones('kyiv')).toEqual(['Europe/Kyiv'])
    await expect(t.core.subscriptions.setPreferences(jo, { timezone: '+05:00' })).rejects.toThrow(
      /is a UTC offset, which ignores daylight saving/,
    )
  })
})

describe(`the discussion-number migration (${targetName})`, () => {
  it('numbers existing discussions in the order they were started, per community', async () => {
    const handle = await createTestDatabase({ migrate: false })
    try {
      await migrateTo(handle.db, '2026-11-26T0200_thread-lookup') // the step before numbers
      await sql`insert into communities (id, name) values ('a', 'A'), ('b', 'B')`.execute(handle.db)
      const member = await sql<{
        id: string
      }>`insert into members (display_name) values ('x') returning id`.execute(handle.db)
      const by = member.rows[0]?.id
      for (const [community, title, at] of [
        ['a', 'a-second', '2026-01-02'],
        ['b', 'b-first', '2026-01-03'],
        ['a', 'a-first', '2026-01-01'],
      ])
        await sql`insert into discussions (community_id, author_member_id, title, body, body_format, created_at)
          values (${community}, ${by}, ${title}, 'body', 'plain', ${at})`.execute(handle.db)
      await migrateToLatest(handle.db)
      const rows = await sql<{ title: string; number: number }>`
        select title, number from discussions order by title`.execute(handle.db)
      expect(rows.rows).toEqual([
        { title: 'a-first', number: 1 },
        { title: 'a-second', number: 2 },
        { title: 'b-first', number: 1 },
      ])
      const counters = await sql<{ id: string; last_discussion_number: number }>`
        select id, last_discussion_number from communities order by id`.execute(handle.db)
      expect(counters.rows).toEqual([
        { id: 'a', last_discussion_number: 2 },
        { id: 'b', last_discussion_number: 1 },
      ])
    } finally {
      await handle.close()
    }
  })
})
