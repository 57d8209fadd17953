import { randomBytes } from 'node:crypto'
import { sql } from 'kysely'
import { describe, expect, it } from 'vitest'
import { eventually, useBridge } from '../support/bridge-harness.ts'
import { control } from '../support/control.ts'
import { databaseFilesDir, filesHolding, tablesHolding } from '../support/find-text.ts'

describe('a deletion erases the words from disk (real database on disk, bridge, sandbox)', () => {
  const t = useBridge({ onDisk: true })

  const slackChannel = () => t.sandbox.slackSeed.channelId
  const slackThread = (ts: string) =>
    control<any[]>(t.slackUrl, 'GET', `/conversations/${slackChannel()}/replies/${ts}`)
  /** A word no test data or software could hold by chance. */
  const marker = (what: string) => `zq${what}${randomBytes(6).toString('hex')}`

  /**
   * Where the words could still be: rows, the database's files, the spool, the logs. A
   * checkpoint first, so pages changed only in the server's memory are in the files we read.
   */
  const traces = async (word: string) => {
    await sql`checkpoint`.execute(t.database.db)
    return {
      tables: await tablesHolding(t.database, word),
      files: filesHolding(await databaseFilesDir(t.database, t.dataDir), word),
      spool: filesHolding(t.spoolDir, word),
      logs: t.logs.filter((line) => line.includes(word)),
    }
  }
  const nowhere = { tables: [], files: [], spool: [], logs: [] }

  /**
   * Runs the vacuum job until no request waits, and names every table it rewrote. A run may
   * leave a table for later: a query of the bridge's own (a claim, a lease renewal) can hold a
   * snapshot that began before the purge, and the job serves no request such a snapshot sees.
   */
  const vacuumAll = async () => {
    const tables = new Set<string>()
    await eventually(
      async () => {
        for (const table of (await t.bridge.runVacuum())?.tables ?? []) tables.add(table)
        return t.database.db.selectFrom('vacuum_requests').select('id').execute()
      },
      (waiting) => waiting.length === 0,
    )
    return [...tables]
  }

  it('leaves a deleted reply, a reply deleted on Slack and an edit’s old words nowhere once vacuumed', async () => {
    const samUser = t.sandbox.slackSeed.users.sam
    const sam = t.sandbox.members.find((m) => m.platform === 'slack' && m.platformUserId === samUser)
    if (sam === undefined) throw new Error('the sandbox has no sam on Slack')
    const root = await control(t.slackUrl, 'POST', '/messages', {
      user: samUser,
      channel: slackChannel(),
      text: 'Erasure\nA discussion whose replies will be deleted.',
    })
    const discussion = await eventually(
      () => t.core.linkedContent({ platform: 'slack', channelId: slackChannel(), messageId: root.ts }),
      (link) => link !== undefined,
    )
    const discussionId = discussion?.discussionId as string

    // 1. Written through the core (a command), mirrored to both platforms, deleted by its author.
    const byCore = marker('core')
    const reply = await t.core.replies.post({
      discussionId,
      author: sam,
      body: `Written by command: ${byCore} is my secret`,
      format: 'plain',
    })
    // 2. Written on Slack, so its event (with its words) went through the spool; deleted on Slack.
    const onSlack = marker('slack')
    const slackReply = await control(t.slackUrl, 'POST', '/messages', {
      user: samUser,
      channel: slackChannel(),
      thread_ts: root.ts,
      text: `Written on Slack: ${onSlack} should not have been said`,
    })
    // 3. Written on Slack, then edited: the words it had before are gone as well.
    const beforeEdit = marker('edit')
    const edited = await control(t.slackUrl, 'POST', '/messages', {
      user: samUser,
      channel: slackChannel(),
      thread_ts: root.ts,
      text: `My number is ${beforeEdit}`,
    })
    const mirrored = await eventually(
      () => slackThread(root.ts),
      (messages) => messages.some((m) => m.text?.includes(byCore)),
    )
    expect(mirrored.length).toBeGreaterThan(1)
    for (const word of [byCore, onSlack, beforeEdit]) {
      const before = await traces(word)
      expect(before.tables, 'the words are stored before they are deleted').toContain('replies')
      expect(before.files, 'the search reads the files that hold them').not.toEqual([])
    }

    await t.core.replies.delete({ replyId: reply.id, actor: sam })
    await control(t.slackUrl, 'DELETE', '/messages', { channel: slackChannel(), ts: slackReply.ts })
    await control(t.slackUrl, 'PATCH', '/messages', {
      channel: slackChannel(),
      ts: edited.ts,
      text: 'My number is none of your business',
    })
    // Every deletion and the edit applied and mirrored: nothing waits in the queue or the spool.
    await eventually(
      () => t.core.readThread(discussionId),
      (after) =>
        after.replies.filter((r) => r.deleted).length === 2 &&
        after.replies.some((r) => r.text === 'My number is none of your business'),
    )
    await eventually(
      () => t.bridge.queue.waiting(t.sandbox.community.id),
      (waiting) => waiting.pending === 0,
    )

    expect(await vacuumAll()).toEqual(expect.arrayContaining(['attachments', 'replies']))
    for (const word of [byCore, onSlack, beforeEdit]) expect(await traces(word)).toEqual(nowhere)
    // Served: a second run has nothing to do.
    expect(await t.bridge.runVacuum()).toBeUndefined()
  })

  it('leaves no deleted words in a table of thousands of replies, where a plain VACUUM leaves many', async () => {
    // Page layout decides what a plain VACUUM leaves: a dead row that no later row on its page
    // is moved over keeps its bytes. Hundreds of deletions among thousands of rows of varied
    // lengths make that certain (measured: a plain VACUUM leaves about 45% of them readable).
    const word = marker('bulk')
    const sam = t.sandbox.members.find((m) => m.platform === 'slack')
    if (sam === undefined) throw new Error('the sandbox has no member on Slack')
    const discussion = await t.core.discussions.start({
      communityId: t.sandbox.community.id,
      author: sam,
      title: 'Many replies',
      body: 'A busy discussion.',
      format: 'plain',
    })
    await sql`
      insert into replies (discussion_id, author_member_id, author_platform, author_platform_user_id, body, body_format)
      select ${discussion.id}, ${discussion.author_member_id}, ${sam.platform}, ${sam.platformUserId},
        case when g % 7 = 0 then ${word} || ' ' || repeat(md5(g::text), g % 5 * 20 + 1)
             else 'filler ' || repeat('x', g % 300) end,
        'plain'
      from generate_series(1, 3000) g`.execute(t.database.db)
    const doomed = await t.database.db
      .selectFrom('replies')
      .select('id')
      .where('body', 'like', `${word}%`)
      .execute()
    expect(doomed).toHaveLength(428)
    expect((await traces(word)).files, 'the search reads the files that hold them').not.toEqual([])
    for (const { id } of doomed) await t.core.replies.delete({ replyId: id, actor: sam })

    expect(await vacuumAll()).toContain('replies')
    expect(await traces(word)).toEqual(nowhere)
  })

  it('leaves nothing of an erased person once vacuumed: not their words, their name or their account', async () => {
    const name = marker('name')
    const account = { platform: 'slack' as const, platformUserId: `U${marker('id').toUpperCase()}` }
    const person = { ...account, displayName: name, avatarUrl: null }
    await t.core.memberships.join(t.sandbox.community.id, person)
    const words = marker('words')
    const discussion = await t.core.discussions.start({
      communityId: t.sandbox.community.id,
      author: person,
      title: `Thoughts of ${name}`,
      body: `I said ${words}`,
      format: 'plain',
    })
    await t.core.replies.post({
      discussionId: discussion.id,
      author: person,
      body: `and ${words} again`,
      format: 'plain',
    })
    await t.core.subscriptions.subscribe(person, { communityId: t.sandbox.community.id })
    await eventually(
      () => t.bridge.queue.waiting(t.sandbox.community.id),
      (waiting) => waiting.pending === 0,
    )
    for (const word of [name, account.platformUserId, words])
      expect((await traces(word)).tables, `${word} is stored before the erasure`).not.toEqual([])

    expect(await t.core.eraseMember(account, t.sandbox.community.id)).toMatchObject({
      discussions: 1,
      replies: 1,
    })
    await eventually(
      () => t.bridge.queue.waiting(t.sandbox.community.id),
      (waiting) => waiting.pending === 0,
    )
    expect(await vacuumAll()).toEqual(
      expect.arrayContaining(['identities', 'members', 'replies', 'discussions']),
    )
    for (const word of [name, account.platformUserId, words]) expect(await traces(word)).toEqual(nowhere)
  })
})
