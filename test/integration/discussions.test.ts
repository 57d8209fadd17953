import { sql } from 'kysely'
import { beforeEach, describe, expect, it } from 'vitest'
import { DELETED_REPLY_TEXT } from '../../src/discussions/content-rules.ts'
import {
  ContentDeletedError,
  DiscussionLockedError,
  NotAMemberError,
  NotFoundError,
  PermissionDeniedError,
  ValidationError,
} from '../../src/errors.ts'
import { outboxEvents, useCore } from '../support/core-fixture.ts'
import { alex, jo, lightbulb, mark, sam, visitor } from '../support/people.ts'
import { targetName } from '../support/test-database.ts'

const POST = 'The biggest upside of enterprise social tech is in exposing who your organization really is.'

describe(`discussions and replies (${targetName})`, () => {
  const t = useCore()
  beforeEach(async () => {
    await t.core.memberships.join(lightbulb.id, jo)
    await t.core.memberships.join(lightbulb.id, sam)
  })

  const start = (author = jo) =>
    t.core.discussions.start({
      communityId: lightbulb.id,
      author,
      title: 'Mark Britz on social tech',
      body: POST,
      format: 'discord',
    })

  it('keeps words with a NUL in them, without the NUL, which PostgreSQL text cannot hold', async () => {
    const nul = '\u0000'
    const discussion = await t.core.discussions.start({
      communityId: lightbulb.id,
      author: { ...jo, displayName: `j${nul}o` },
      title: `Null${nul} island`,
      body: `Where${nul} is it?`,
      format: 'slack',
    })
    const reply = await t.core.replies.post({
      discussionId: discussion.id,
      author: sam,
      body: `Off${nul} the map`,
      format: 'slack',
    })
    await t.core.replies.edit({ replyId: reply.id, editor: sam, body: `Off the map${nul}, still` })
    const stored = await t.handle.db
      .selectFrom('discussions')
      .innerJoin('replies', 'replies.discussion_id', 'discussions.id')
      .innerJoin('members', 'members.id', 'discussions.author_member_id')
      .select(['discussions.title', 'discussions.body as opening', 'replies.body', 'members.display_name'])
      .where('discussions.id', '=', discussion.id)
      .executeTakeFirst()
    expect(stored).toEqual({
      title: 'Null island',
      opening: 'Where is it?',
      body: 'Off the map, still',
      display_name: 'jo',
    })
  })

  it('refuses a reply from a non-member, with the community name and how to join', async () => {
    const discussion = await start()
    const attempt = t.core.replies.post({
      discussionId: discussion.id,
      author: visitor,
      body: 'Me too!',
      format: 'discord',
    })
    await expect(attempt).rejects.toBeInstanceOf(NotAMemberError)
    await expect(attempt).rejects.toMatchObject({
      code: 'not_a_member',
      communityName: 'Lightbulb Moment',
      message:
        'You need to be a member of Lightbulb Moment to add comments! Join Lightbulb Moment with /join, then try again.',
    })
    expect((await t.core.readThread(discussion.id)).replies).toEqual([])
  })

  it('refuses a discussion from a non-member, and from someone who left', async () => {
    await expect(
      t.core.discussions.start({
        communityId: lightbulb.id,
        author: visitor,
        title: 'Hi',
        body: 'x',
        format: 'plain',
      }),
    ).rejects.toBeInstanceOf(NotAMemberError)
    await t.core.memberships.leave(lightbulb.id, jo)
    await expect(start(jo)).rejects.toBeInstanceOf(NotAMemberError)
  })

  it('keeps replies and nested replies in order, attributed to their authors', async () => {
    const discussion = await start()
    const first = await t.core.replies.post({
      discussionId: discussion.id,
      author: sam,
      body: 'Great aspiration.',
      format: 'slack',
    })
    t.clock.advance(1000)
    const nested = await t.core.replies.post({
      discussionId: discussion.id,
      parentReplyId: first.id,
      author: jo,
      body: 'Agreed, Sam.',
      format: 'discord',
    })
    const thread = await t.core.readThread(discussion.id)
    expect(thread.replies.map((r) => [r.authorName, r.text, r.parentReplyId])).toEqual([
      ['sam', 'Great aspiration.', null],
      ['jo', 'Agreed, Sam.', first.id],
    ])
    expect(nested.parent_reply_id).toBe(first.id)
  })

  it('refuses a nested reply whose parent is in another discussion', async () => {
    const one = await start()
    const other = await start()
    const reply = await t.core.replies.post({
      discussionId: one.id,
      author: sam,
      body: 'here',
      format: 'slack',
    })
    await expect(
      t.core.replies.post({
        discussionId: other.id,
        parentReplyId: reply.id,
        author: jo,
        body: 'x',
        format: 'discord',
      }),
    ).rejects.toBeInstanceOf(NotFoundError)
  })

  it('refuses replies to a locked discussion, and accepts them again once unlocked', async () => {
    const discussion = await start()
    await t.core.discussions.setLocked({ discussionId: discussion.id, actor: mark, locked: true })
    await expect(
      t.core.replies.post({ discussionId: discussion.id, author: sam, body: 'late', format: 'slack' }),
    ).rejects.toBeInstanceOf(DiscussionLockedError)
    await t.core.discussions.setLocked({ discussionId: discussion.id, actor: mark, locked: false })
    await t.core.replies.post({ discussionId: discussion.id, author: sam, body: 'now', format: 'slack' })
    expect((await t.core.readThread(discussion.id)).replies).toHaveLength(1)
  })

  it('lets only the author or a moderator lock', async () => {
    const discussion = await start(jo)
    await expect(
      t.core.discussions.setLocked({ discussionId: discussion.id, actor: sam, locked: true }),
    ).rejects.toBeInstanceOf(PermissionDeniedError)
    await t.core.discussions.setLocked({ discussionId: discussion.id, actor: jo, locked: true })
    expect((await t.core.readThread(discussion.id)).locked).toBe(true)
  })

  it('an edit keeps the time it was made; only the author may edit', async () => {
    const discussion = await start()
    const reply = await t.core.replies.post({
      discussionId: discussion.id,
      author: sam,
      body: 'typo',
      format: 'slack',
    })
    expect(reply.edited_at).toBeNull()
    t.clock.advance(60_000)
    const edited = await t.core.replies.edit({ replyId: reply.id, editor: sam, body: 'fixed' })
    expect(edited.body).toBe('fixed')
    expect(edited.edited_at?.toISOString()).toBe(t.clock.now().toISOString())
    expect(edited.created_at.toISOString()).toBe(reply.created_at.toISOString())
    await expect(
      t.core.replies.edit({ replyId: reply.id, editor: mark, body: 'moderated' }),
    ).rejects.toBeInstanceOf(PermissionDeniedError)
  })

  it('deleting a reply purges its body and attachments and leaves a tombstone that keeps its children', async () => {
    const discussion = await start()
    const parent = await t.core.replies.post({
      discussionId: discussion.id,
      author: sam,
      body: 'a secret only sam should be able to take back',
      format: 'slack',
      attachments: [{ fileName: 'plan.pdf', url: 'https://files.example/plan.pdf', sizeBytes: 2048 }],
    })
    const child = await t.core.replies.post({
      discussionId: discussion.id,
      parentReplyId: parent.id,
      author: jo,
      body: 'replying to the secret',
      format: 'discord',
    })

    await t.core.replies.delete({ replyId: parent.id, actor: sam })

    // Read the row itself, not through the service: the words must be gone from storage.
    const raw = await sql<{ body: string | null; deleted_at: Date | null }>`
      select body, deleted_at from replies where id = ${parent.id}`.execute(t.handle.db)
    expect(raw.rows).toEqual([{ body: null, deleted_at: expect.any(Date) }])
    const anywhere = await sql<{ n: number }>`
      select count(*)::int as n from replies r where r::text like '%secret only sam%'`.execute(t.handle.db)
    expect(anywhere.rows[0]?.n).toBe(0)
    const attachments = await t.handle.db.selectFrom('attachments').selectAll().execute()
    expect(attachments).toEqual([])
    const outboxText = await sql<{ n: number }>`
      select count(*)::int as n from outbox where payload::text like '%secret%'`.execute(t.handle.db)
    expect(outboxText.rows[0]?.n).toBe(0)

    const thread = await t.core.readThread(discussion.id)
    expect(thread.replies.map((r) => [r.id, r.text, r.deleted, r.parentReplyId])).toEqual([
      [parent.id, DELETED_REPLY_TEXT, true, null],
      [child.id, 'replying to the secret', false, parent.id],
    ])
    expect(DELETED_REPLY_TEXT).toBe('This reply was deleted.')
  })

  it('a deleted reply cannot be edited; deleting it twice is harmless', async () => {
    const discussion = await start()
    const reply = await t.core.replies.post({
      discussionId: discussion.id,
      author: sam,
      body: 'x',
      format: 'slack',
    })
    await t.core.replies.delete({ replyId: reply.id, actor: sam })
    await t.core.replies.delete({ replyId: reply.id, actor: sam })
    await expect(
      t.core.replies.edit({ replyId: reply.id, editor: sam, body: 'back' }),
    ).rejects.toBeInstanceOf(ContentDeletedError)
    const deletions = (await outboxEvents(t.handle)).filter((e) => e.type === 'reply.deleted')
    expect(deletions).toHaveLength(1)
  })

  it('moderators delete others’ replies (audited); other members cannot', async () => {
    const discussion = await start()
    const reply = await t.core.replies.post({
      discussionId: discussion.id,
      author: sam,
      body: 'off topic',
      format: 'slack',
    })
    await expect(t.core.replies.delete({ replyId: reply.id, actor: jo })).rejects.toBeInstanceOf(
      PermissionDeniedError,
    )
    await t.core.replies.delete({ replyId: reply.id, actor: mark, reason: 'off topic' })
    const audit = await t.handle.db.selectFrom('moderation_actions').select(['action', 'reason']).execute()
    expect(audit).toEqual([{ action: 'delete_reply', reason: 'off topic' }])
  })

  it('deleting a discussion purges its words, locks it, and keeps its replies', async () => {
    const discussion = await start()
    await t.core.replies.post({
      discussionId: discussion.id,
      author: sam,
      body: 'still here',
      format: 'slack',
    })
    await t.core.discussions.delete({ discussionId: discussion.id, actor: jo })
    const raw = await sql<{ title: string | null; body: string | null }>`
      select title, body from discussions where id = ${discussion.id}`.execute(t.handle.db)
    expect(raw.rows).toEqual([{ title: null, body: null }])
    const thread = await t.core.readThread(discussion.id)
    expect(thread).toMatchObject({ deleted: true, locked: true, replies: [{ text: 'still here' }] })
  })

  it('an opening post deleted on its platform is purged too; the discussion stays, locked, with its replies', async () => {
    const discussion = await t.core.discussions.start({
      communityId: lightbulb.id,
      author: jo,
      title: 'Mark Britz on social tech',
      body: POST,
      format: 'discord',
      attachments: [
        { fileName: 'plan.pdf', url: 'https://cdn.example/plan.pdf', sizeBytes: 10, contentType: null },
      ],
    })
    await t.core.replies.post({
      discussionId: discussion.id,
      author: sam,
      body: 'still here',
      format: 'slack',
    })
    await t.core.atSource('discord').openingPostDeleted(discussion.id)
    await t.core.atSource('discord').openingPostDeleted(discussion.id) // a redelivery changes nothing

    const raw = await sql<{ title: string | null; body: string | null; files: number }>`
      select title, body, (select count(*)::int from attachments where discussion_id = d.id) as files
      from discussions d where id = ${discussion.id}`.execute(t.handle.db)
    expect(raw.rows).toEqual([{ title: null, body: null, files: 0 }])
    expect(await t.core.readThread(discussion.id)).toMatchObject({
      deleted: true,
      locked: true,
      replies: [{ text: 'still here' }],
    })
    // Discord shows its own deletion; the other platforms are told once.
    const deletions = (await outboxEvents(t.handle)).filter((e) => e.type === 'discussion.deleted')
    expect(deletions).toEqual([
      { type: 'discussion.deleted', discussionId: discussion.id, sourcePlatform: 'discord' },
    ])
    await expect(
      t.core.replies.post({ discussionId: discussion.id, author: sam, body: 'too late', format: 'slack' }),
    ).rejects.toThrow(new ContentDeletedError('discussion', discussion.id))
  })

  it('subscribes authors to what they start or reply to', async () => {
    const discussion = await start(jo)
    await t.core.replies.post({ discussionId: discussion.id, author: sam, body: 'hi', format: 'slack' })
    expect(await memberNames(await t.core.subscriptions.watchers(discussion.id))).toEqual(['jo', 'sam'])
    // The author of a new reply is not told about their own reply.
    const samId = (await t.core.memberships.get(lightbulb.id, sam))?.member_id
    expect(await memberNames(await t.core.subscriptions.watchers(discussion.id, samId))).toEqual(['jo'])
  })

  it('does not subscribe someone who opted out, or re-subscribe someone who unsubscribed', async () => {
    await t.core.subscriptions.setPreferences(sam, { autoSubscribe: false })
    const discussion = await start(jo)
    await t.core.replies.post({ discussionId: discussion.id, author: sam, body: 'hi', format: 'slack' })
    await t.core.subscriptions.unsubscribe(jo, { discussionId: discussion.id })
    await t.core.replies.post({
      discussionId: discussion.id,
      author: jo,
      body: 'me again',
      format: 'discord',
    })
    expect(await t.core.subscriptions.watchers(discussion.id)).toEqual([])
  })

  it('community watchers hear about every discussion except the ones they muted', async () => {
    await t.core.memberships.join(lightbulb.id, alex)
    await t.core.subscriptions.subscribe(alex, { communityId: lightbulb.id })
    const one = await start(jo)
    const two = await start(jo)
    await t.core.subscriptions.unsubscribe(alex, { discussionId: two.id })
    expect(await memberNames(await t.core.subscriptions.watchers(one.id))).toEqual(['alex', 'jo'])
    expect(await memberNames(await t.core.subscriptions.watchers(two.id))).toEqual(['jo'])
  })

  it('validates digest preferences', async () => {
    await expect(
      t.core.subscriptions.setPreferences(jo, { timezone: 'Mars/Olympus' }),
    ).rejects.toBeInstanceOf(ValidationError)
    await expect(t.core.subscriptions.setPreferences(jo, { digestHour: 24 })).rejects.toBeInstanceOf(
      ValidationError,
    )
    const prefs = await t.core.subscriptions.setPreferences(jo, {
      digestFrequency: 'weekly',
      timezone: 'Europe/London',
      digestHour: 17,
    })
    expect(prefs).toMatchObject({
      digest_frequency: 'weekly',
      timezone: 'Europe/London',
      digest_hour: 17,
      auto_subscribe: true,
    })
  })

  it('refuses empty and oversized messages with a clear reason', async () => {
    const discussion = await start()
    await expect(
      t.core.replies.post({ discussionId: discussion.id, author: sam, body: '   ', format: 'slack' }),
    ).rejects.toThrow('a message needs text or an attachment')
    await expect(
      t.core.replies.post({
        discussionId: discussion.id,
        author: sam,
        body: 'x'.repeat(40_001),
        format: 'slack',
      }),
    ).rejects.toThrow(/at most 40000 characters/)
  })

  it('writes each change and its outbox event together, in order, carrying ids and no text', async () => {
    const discussion = await start()
    const reply = await t.core.replies.post({
      discussionId: discussion.id,
      author: sam,
      body: 'words',
      format: 'slack',
    })
    await t.core.replies.edit({ replyId: reply.id, editor: sam, body: 'other words' })
    await t.core.replies.delete({ replyId: reply.id, actor: sam })
    const events = (await outboxEvents(t.handle)).filter((e) => e.type !== 'membership.changed')
    expect(events).toEqual([
      { type: 'discussion.created', discussionId: discussion.id, sourcePlatform: null },
      { type: 'reply.created', discussionId: discussion.id, replyId: reply.id, sourcePlatform: null },
      { type: 'reply.edited', discussionId: discussion.id, replyId: reply.id, sourcePlatform: null },
      { type: 'reply.deleted', discussionId: discussion.id, replyId: reply.id, sourcePlatform: null },
    ])
  })

  it('a transaction that fails leaves no outbox row and no change behind', async () => {
    const before = await outboxEvents(t.handle)
    await expect(
      t.core.transaction(async (services) => {
        await services.discussions.start({
          communityId: lightbulb.id,
          author: jo,
          title: 'Doomed',
          body: 'x',
          format: 'plain',
        })
        throw new Error('the platform call after it failed')
      }),
    ).rejects.toThrow('the platform call after it failed')
    expect(await outboxEvents(t.handle)).toEqual(before)
    expect(await t.handle.db.selectFrom('discussions').selectAll().execute()).toEqual([])
  })

  it('a write that fails half-way (a clashing source message) rolls back its outbox row too', async () => {
    const source = { platform: 'discord' as const, channelId: '900000000000000002', messageId: '555' }
    const discussion = await t.core.discussions.start({
      communityId: lightbulb.id,
      author: jo,
      title: 'One',
      body: 'x',
      format: 'discord',
      source,
    })
    const before = await outboxEvents(t.handle)
    await expect(
      t.core.replies.post({ discussionId: discussion.id, author: sam, body: 'y', format: 'discord', source }),
    ).rejects.toThrow(/duplicate key/)
    expect(await outboxEvents(t.handle)).toEqual(before)
    expect((await t.core.readThread(discussion.id)).replies).toEqual([])
  })

  async function memberNames(ids: string[]): Promise<string[]> {
    if (ids.length === 0) return []
    const rows = await t.handle.db
      .selectFrom('members')
      .select('display_name')
      .where('id', 'in', ids)
      .execute()
    return rows.map((row) => row.display_name).sort()
  }
})
