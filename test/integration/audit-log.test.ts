import { describe, expect, it } from 'vitest'
import { useCore } from '../support/core-fixture.ts'
import { jo, lightbulb, mark, visitor } from '../support/people.ts'
import { targetName } from '../support/test-database.ts'

describe(`the audit log (${targetName})`, () => {
  const t = useCore()

  it('lists actions newest first, a page at a time, and never the words of what was deleted', async () => {
    await t.core.memberships.join(lightbulb.id, jo)
    const discussion = await t.core.discussions.start({
      communityId: lightbulb.id,
      author: jo,
      title: 'Secret plans',
      body: 'Nobody should read this later.',
      format: 'plain',
    })
    for (let i = 0; i < 6; i++) {
      t.clock.advance(1000)
      await t.core.discussions.setLocked({ discussionId: discussion.id, actor: mark, locked: i % 2 === 0 })
    }
    t.clock.advance(1000)
    await t.core.memberships.ban(lightbulb.id, mark, visitor, 'spam')
    t.clock.advance(1000)
    await t.core.discussions.delete({ discussionId: discussion.id, actor: mark, reason: 'off topic' })

    const first = await t.core.auditLog(lightbulb.id, 1, 5)
    expect(first.total).toBe(8)
    expect(first.entries.map((e) => [e.action, e.member, e.discussion, e.reason])).toEqual([
      ['delete_discussion', 'jo', { number: 1, title: null }, 'off topic'],
      ['ban', 'visitor', null, 'spam'],
      ['unlock', null, { number: 1, title: null }, null],
      ['lock', null, { number: 1, title: null }, null],
      ['unlock', null, { number: 1, title: null }, null],
    ])
    const second = await t.core.auditLog(lightbulb.id, 2, 5)
    expect(second.entries.map((e) => e.action)).toEqual(['lock', 'unlock', 'lock'])
    expect(JSON.stringify([first, second])).not.toMatch(/Secret plans|Nobody should read/)
  })

  it('keeps refused attempts, by people we know and by people we have never seen', async () => {
    await t.core.memberships.join(lightbulb.id, jo)
    await t.core.recordRefusal(lightbulb.id, jo, 'ban')
    t.clock.advance(1000)
    // A visitor never seen before: no member record is made for them, the row names them.
    const stranger = { platform: 'slack' as const, platformUserId: 'U0NEVERSEEN', displayName: 'drifter' }
    await t.core.recordRefusal(lightbulb.id, stranger, 'audit')
    t.clock.advance(1000)
    await t.core.memberships.ban(lightbulb.id, mark, visitor, 'spam')

    const { entries, total } = await t.core.auditLog(lightbulb.id, 1, 10)
    expect(total).toBe(3)
    expect(entries.map((e) => [e.outcome, e.moderator, e.platform, e.action, e.member])).toEqual([
      ['done', 'mark', null, 'ban', 'visitor'],
      ['refused', 'drifter', 'slack', 'audit', null],
      ['refused', 'jo', 'discord', 'ban', null],
    ])
    const strangers = await t.handle.db
      .selectFrom('identities')
      .select('member_id')
      .where('platform_user_id', '=', stranger.platformUserId)
      .execute()
    expect(strangers).toEqual([])
  })
})
