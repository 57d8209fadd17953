import { describe, expect, it } from 'vitest'
import { eventually, useBridge } from '../support/bridge-harness.ts'
import { control } from '../support/control.ts'

/**
 * The platforms' own moderation counts: a Discord thread locked by Discord's moderators locks
 * the discussion, so a Slack reply to it is refused with a private notice instead of failing to
 * mirror into a thread that takes no posts; unlocked, replies cross again.
 */
describe('platform locks (real clients, sandbox, real database)', () => {
  const t = useBridge()

  it('locks the discussion when Discord locks its thread, and tells a Slack replier privately', async () => {
    const { users, forumId } = t.sandbox.discordSeed
    const { channelId } = t.sandbox.slackSeed
    const thread = await control<any>(t.discordUrl, 'POST', `/channels/${forumId}/threads`, {
      author_id: users.jo,
      name: 'Heated topic',
      content: 'Let us keep it civil.',
    })
    const [root] = await eventually(
      () => control<any[]>(t.slackUrl, 'GET', `/conversations/${channelId}/history`),
      (roots) => roots.length === 1,
    )
    const lockedAt = () =>
      t.database.db.selectFrom('discussions').select('locked_at').executeTakeFirstOrThrow()

    // A Discord moderator locks the thread on Discord.
    await control(t.discordUrl, 'PATCH', `/channels/${thread.id}`, { locked: true })
    await eventually(lockedAt, (row) => row.locked_at !== null)

    const { sam } = t.sandbox.slackSeed.users
    await control(t.slackUrl, 'POST', '/messages', {
      user: sam,
      channel: channelId,
      text: 'But…',
      thread_ts: root.ts,
    })
    const [notice] = await eventually(
      () => control<any[]>(t.slackUrl, 'GET', `/ephemeral/${sam}`),
      (notes) => notes.length > 0,
    )
    expect(notice.text).toBe('This discussion is locked: no more replies can be added.')
    expect(await t.database.db.selectFrom('replies').select('id').execute()).toEqual([])
    expect(
      await t.database.db.selectFrom('outbox').select('id').where('status', '=', 'dead').execute(),
    ).toEqual([])

    // Unlocked on Discord, the discussion takes replies again and they cross.
    await control(t.discordUrl, 'PATCH', `/channels/${thread.id}`, { locked: false })
    await eventually(lockedAt, (row) => row.locked_at === null)
    await control(t.slackUrl, 'POST', '/messages', {
      user: sam,
      channel: channelId,
      text: 'Thanks.',
      thread_ts: root.ts,
    })
    await eventually(
      () => control<any[]>(t.discordUrl, 'GET', `/channels/${thread.id}/messages`),
      (messages) => messages.some((m) => m.content === 'Thanks.'),
    )
    // Both are moderator actions in the audit, said to be Discord's (the platform names no one).
    const audit = await t.database.db
      .selectFrom('moderation_actions')
      .select(['action', 'actor_name', 'actor_platform', 'outcome'])
      .orderBy('created_at')
      .execute()
    expect(audit).toEqual([
      { action: 'lock', actor_name: 'a Discord moderator', actor_platform: 'discord', outcome: 'done' },
      { action: 'unlock', actor_name: 'a Discord moderator', actor_platform: 'discord', outcome: 'done' },
    ])
  })
})
