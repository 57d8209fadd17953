import { sql } from 'kysely'
import { describe, expect, it } from 'vitest'
import { ERASED_MEMBER_NAME } from '../../src/members/erase-member.ts'
import type { PlatformActor } from '../../src/platform/platform.ts'
import { outboxEvents, useCore } from '../support/core-fixture.ts'
import { jo, lightbulb, mark, sam } from '../support/people.ts'
import { targetName } from '../support/test-database.ts'

/** The person to erase, on both platforms, with names and ids found nowhere else. */
const onDiscord: PlatformActor = {
  platform: 'discord',
  platformUserId: '100000000000000777',
  displayName: 'Zephyrine',
  avatarUrl: 'https://cdn.example/avatars/zephyrine.png',
}
const onSlack: PlatformActor = { platform: 'slack', platformUserId: 'U0QUILLON', displayName: 'Quillonius' }
/** Everything that identifies them: their words, names and platform ids. */
const MARKERS = [
  'Zephyrine',
  'Quillonius',
  '100000000000000777',
  'U0QUILLON',
  'xylophonic',
  'quizzacious',
  'marmalade',
  'zanzibarine',
]

describe(`erasing a member (${targetName})`, () => {
  const t = useCore()

  /** Every row of every table, read as text (`row::text`), that holds any marker. */
  async function rowsHolding(markers: readonly string[]) {
    const tables = await sql<{ table_name: string }>`
      select table_name from information_schema.tables
      where table_schema = current_schema() and table_type = 'BASE TABLE'`.execute(t.handle.db)
    expect(tables.rows.length).toBeGreaterThan(20)
    const found: { table: string; row: string }[] = []
    for (const { table_name } of tables.rows) {
      const rows = await sql<{ row: string }>`
        select r::text as row from ${sql.table(table_name)} as r
        where r::text ilike any(${sql.val(markers.map((m) => `%${m}%`))})`.execute(t.handle.db)
      for (const { row } of rows.rows) found.push({ table: table_name, row })
    }
    return found
  }

  /** A person with everything Threadbridge can hold about them, and others' things around them. */
  async function everythingAbout() {
    const { code } = await t.core.accountLinks.createCode(onDiscord)
    await t.core.accountLinks.enter(onSlack, code)
    await t.core.accountLinks.confirm(onDiscord, onSlack, lightbulb.id)
    await t.core.memberships.join(lightbulb.id, onDiscord)
    await t.core.memberships.join(lightbulb.id, jo)
    await t.core.memberships.grantModerator(lightbulb.id, onDiscord)
    await t.core.subscriptions.setPreferences(onSlack, {
      digestFrequency: 'weekly',
      timezone: 'Europe/Paris',
    })
    const theirs = await t.core.discussions.start({
      communityId: lightbulb.id,
      author: onDiscord,
      title: 'Marmalade matters',
      body: 'A xylophonic opening',
      format: 'discord',
      attachments: [
        { fileName: 'zanzibarine.png', url: 'https://cdn.example/zanzibarine.png', sizeBytes: 10 },
      ],
      source: { platform: 'discord', channelId: '900000000000000050', messageId: '900000000000000050' },
    })
    const fromSlack = await t.core.replies.post({
      discussionId: theirs.id,
      author: onSlack,
      body: 'quizzacious thoughts',
      format: 'slack',
      source: {
        platform: 'slack',
        channelId: 'C0LIGHT',
        messageId: '1700000000.000100',
        threadId: '1700000000.000001',
      },
    })
    const markAnswers = await t.core.replies.post({
      discussionId: theirs.id,
      parentReplyId: fromSlack.id,
      author: mark,
      body: 'Mark keeps his words',
      format: 'discord',
    })
    const joStarts = await t.core.discussions.start({
      communityId: lightbulb.id,
      author: jo,
      title: 'Jo asks',
      body: 'Jo keeps this',
      format: 'discord',
    })
    await t.core.replies.post({
      discussionId: joStarts.id,
      author: onDiscord,
      body: 'xylophonic too',
      format: 'plain',
    })
    const regretted = await t.core.replies.post({
      discussionId: joStarts.id,
      author: onDiscord,
      body: 'marmalade, removed by mark',
      format: 'plain',
    })
    await t.core.replies.delete({ replyId: regretted.id, actor: mark, reason: 'Zephyrine was rude' })
    t.clock.advance(60_000)
    await t.core.discussions.setLocked({
      discussionId: joStarts.id,
      actor: onDiscord,
      locked: true,
      reason: 'zanzibarine cooling off',
    })
    await t.core.subscriptions.subscribe(onDiscord, { communityId: lightbulb.id })
    await t.core.react({
      discussionId: joStarts.id,
      replyId: null,
      emoji: '👍',
      platform: 'slack',
      platformUserId: onSlack.platformUserId,
      added: true,
    })
    await t.core.firstRefusalNotice({
      platform: 'slack',
      platformUserId: onSlack.platformUserId,
      discussionId: joStarts.id,
      reason: 'not_a_member',
    })
    // A moderators' command they were refused, a minute after the lock: the audit names who tried.
    t.clock.advance(60_000)
    await t.core.recordRefusal(lightbulb.id, onSlack, 'ban')
    const memberId = (
      await t.handle.db
        .selectFrom('identities')
        .select('member_id')
        .where('platform_user_id', '=', onDiscord.platformUserId)
        .executeTakeFirstOrThrow()
    ).member_id
    await t.handle.db
      .insertInto('digest_cursors')
      .values({ member_id: memberId, last_slot_at: t.clock.now(), updated_at: t.clock.now() })
      .execute()
    await t.handle.db
      .insertInto('digests')
      .values({
        member_id: memberId,
        slot_at: t.clock.now(),
        frequency: 'weekly',
        reply_seq_after: '0',
        reply_seq_upto: '1',
        discussion_seq_after: '0',
        discussion_seq_upto: '1',
        platform: 'slack',
      })
      .execute()
    return { theirs, fromSlack, markAnswers, joStarts, memberId }
  }

  it('holds all of them before: the scan can find what it looks for', async () => {
    await everythingAbout()
    const tables = new Set((await rowsHolding(MARKERS)).map((f) => f.table))
    for (const table of [
      'members',
      'identities',
      'discussions',
      'replies',
      'attachments',
      'moderation_actions',
      'reactions',
      'non_member_notices',
      'link_codes',
      'account_links',
    ])
      expect(tables).toContain(table)
  })

  it('leaves no row in any table holding their words, names or platform ids', async () => {
    await everythingAbout()
    const preview = await t.core.erasurePreview(onSlack)
    expect(preview).toEqual({
      discussions: 1,
      replies: 2,
      accounts: [
        { platform: 'discord', displayName: 'Zephyrine' },
        { platform: 'slack', displayName: 'Quillonius' },
      ],
    })

    const outcome = await t.core.eraseMember(onSlack, lightbulb.id)

    expect(outcome).toEqual({ discussions: 1, replies: 2, accounts: ['discord', 'slack'] })
    expect(await rowsHolding(MARKERS)).toEqual([])
  })

  it('turns their content into tombstones and tells the mirrors, leaving what others wrote', async () => {
    const { theirs, fromSlack, markAnswers, joStarts, memberId } = await everythingAbout()
    const before = (await outboxEvents(t.handle)).length

    await t.core.eraseMember(onDiscord, lightbulb.id)

    const discussion = await t.core.discussions.get(theirs.id)
    expect(discussion).toMatchObject({ title: null, body: null, author_platform_user_id: null })
    expect(discussion.deleted_at).not.toBeNull()
    const replies = await t.handle.db.selectFrom('replies').selectAll().orderBy('seq').execute()
    expect(replies.find((r) => r.id === fromSlack.id)).toMatchObject({ body: null, author_platform: null })
    expect(replies.find((r) => r.id === markAnswers.id)?.body).toBe('Mark keeps his words')
    expect((await t.core.discussions.get(joStarts.id)).body).toBe('Jo keeps this')

    const events = (await outboxEvents(t.handle)).slice(before)
    // Every platform is told, the one it was written on included: there the engine removes the
    // person's own message where it may.
    expect(events).toContainEqual({
      type: 'discussion.deleted',
      discussionId: theirs.id,
      sourcePlatform: null,
    })
    expect(events).toContainEqual({
      type: 'reply.deleted',
      discussionId: theirs.id,
      replyId: fromSlack.id,
      sourcePlatform: null,
    })
    expect(events.filter((e) => e.type === 'reply.deleted' && e.sourcePlatform === null)).toHaveLength(2)
    // Mark's answer quoted their words on the other platform: it is shown again, quoting a tombstone.
    expect(events).toContainEqual(expect.objectContaining({ type: 'reply.edited', replyId: markAnswers.id }))
    expect(events).toContainEqual(
      expect.objectContaining({
        type: 'reaction.changed',
        discussionId: joStarts.id,
        sourcePlatform: 'slack',
      }),
    )

    const member = await t.handle.db
      .selectFrom('members')
      .selectAll()
      .where('id', '=', memberId)
      .executeTakeFirst()
    expect(member?.display_name).toBe(ERASED_MEMBER_NAME)
    for (const table of [
      'memberships',
      'member_preferences',
      'subscriptions',
      'digest_cursors',
      'digests',
    ] as const)
      expect(
        await t.handle.db.selectFrom(table).selectAll().where('member_id', '=', memberId).execute(),
      ).toEqual([])
  })

  it('keeps in the audit only that an erasure happened, and who did what, without reasons', async () => {
    await everythingAbout()
    t.clock.advance(60_000)
    await t.core.eraseMember(onDiscord, lightbulb.id)

    const { entries } = await t.core.auditLog(lightbulb.id, 1, 10)
    // Their link, without the accounts it named (at the same moment as others: its place may vary).
    expect(
      entries.filter((e) => e.action === 'link_accounts').map((e) => [e.moderator, e.member, e.reason]),
    ).toEqual([[ERASED_MEMBER_NAME, ERASED_MEMBER_NAME, null]])
    const others = entries.filter((e) => e.action !== 'link_accounts')
    expect(others.map((e) => [e.moderator, e.action, e.member, e.reason])).toEqual([
      [ERASED_MEMBER_NAME, 'erasure', ERASED_MEMBER_NAME, null],
      // Their refused attempt: by the anonymous member, no longer by the name they tried under.
      [ERASED_MEMBER_NAME, 'ban', null, null],
      [ERASED_MEMBER_NAME, 'lock', null, null],
      ['mark', 'delete_reply', ERASED_MEMBER_NAME, null],
    ])
  })

  it('changes nothing for someone it holds nothing of, and a second erasure finds nothing', async () => {
    expect(await t.core.erasurePreview(onDiscord)).toBeUndefined()
    expect(await t.core.eraseMember(onDiscord, lightbulb.id)).toBeUndefined()
    expect(
      await t.handle.db.selectFrom('members').select('id').where('display_name', '=', 'Zephyrine').execute(),
    ).toEqual([])

    await t.core.memberships.join(lightbulb.id, sam)
    expect(await t.core.eraseMember(sam, lightbulb.id)).toEqual({
      discussions: 0,
      replies: 0,
      accounts: ['slack'],
    })
    expect(await t.core.eraseMember(sam, lightbulb.id)).toBeUndefined()
    expect(await t.core.erasurePreview(sam)).toBeUndefined()
  })
})
