import { PermissionFlagsBits } from 'discord.js'
import { describe, expect, it } from 'vitest'
import { eventually, useBridge } from '../support/bridge-harness.ts'
import { control } from '../support/control.ts'
import { runOnDiscord, runOnSlack } from '../support/run-command.ts'

/**
 * /lock and /unlock as moderators and others run them on each platform, with rights checked when
 * the command runs: our records, or Discord's permissions computed for the bridged channel.
 */
describe('moderation commands (real clients, sandbox, real database)', () => {
  const t = useBridge()

  const startDiscussion = async () => {
    const answer = await runOnSlack(t, t.sandbox.slackSeed.users.sam, 'discuss Noisy neighbours\nThoughts?')
    const number = Number(/#(\d+)/.exec(answer ?? '')?.[1])
    const [thread] = await eventually(
      () => control<any[]>(t.discordUrl, 'GET', `/channels/${t.sandbox.discordSeed.forumId}/threads`),
      (threads) => threads.length === 1,
    )
    return { number, thread }
  }
  const lockedAt = async () =>
    (await t.database.db.selectFrom('discussions').select('locked_at').executeTakeFirstOrThrow()).locked_at

  it('lets a moderator on each platform lock and unlock, visible on Discord and in the audit', async () => {
    const { number, thread } = await startDiscussion()
    const { mark } = t.sandbox.discordSeed.users
    expect(await runOnDiscord(t, mark, 'lock', { reason: 'cooling off' }, thread.id)).toBe(
      `Locked #${number} “Noisy neighbours”: no more replies on either platform.`,
    )
    expect(await lockedAt()).not.toBeNull()
    await eventually(
      () => control<any>(t.discordUrl, 'GET', '/state'),
      (state) => state.channels.find((c: any) => c.id === thread.id)?.thread_metadata?.locked === true,
    )
    const audit = await t.database.db.selectFrom('moderation_actions').select(['action', 'reason']).execute()
    expect(audit).toEqual([{ action: 'lock', reason: 'cooling off' }])

    // A Slack reply is refused privately, not mirrored.
    const [root] = await eventually(
      () => control<any[]>(t.slackUrl, 'GET', `/conversations/${t.sandbox.slackSeed.channelId}/history`),
      (roots) => roots.length === 1,
    )
    const slackThread = () =>
      control<any[]>(t.slackUrl, 'GET', `/conversations/${t.sandbox.slackSeed.channelId}/replies/${root.ts}`)
    // Slack threads cannot be locked: the thread gets a note, once.
    await eventually(slackThread, (messages) =>
      messages.some(
        (m) => m.text === ':lock: This discussion is locked: replies are not taken on Slack or Discord.',
      ),
    )
    const { sam, alex } = t.sandbox.slackSeed.users
    await control(t.slackUrl, 'POST', '/messages', {
      user: sam,
      channel: t.sandbox.slackSeed.channelId,
      text: 'Hello?',
      thread_ts: root.ts,
    })
    await eventually(
      () => control<any[]>(t.slackUrl, 'GET', `/ephemeral/${sam}`),
      (notes) => notes.some((n) => n.text === 'This discussion is locked: no more replies can be added.'),
    )

    // alex moderates from Slack.
    expect(await runOnSlack(t, alex, `unlock ${number}`)).toBe(
      `Unlocked #${number} “Noisy neighbours”: replies are welcome again.`,
    )
    expect(await lockedAt()).toBeNull()
    const notes = await eventually(slackThread, (messages) =>
      messages.some((m) => m.text.startsWith(':unlock: This discussion is open again')),
    )
    expect(notes.filter((m) => m.text.startsWith(':lock:'))).toHaveLength(1)
    expect(await runOnSlack(t, alex, `unlock ${number}`)).toBe(
      `#${number} “Noisy neighbours” is already unlocked.`,
    )

    // The audit: who, what, when and why, newest first; moderators only.
    const log = (await runOnDiscord(t, mark, 'audit')) ?? ''
    expect(log.split('\n')).toEqual([
      'Moderator actions in Lightbulb Moment, newest first:',
      expect.stringMatching(/^\d{4}-\d\d-\d\d \d\d:\d\d UTC · `alex`: unlocked #\d+ `Noisy neighbours`$/),
      expect.stringMatching(
        /^\d{4}-\d\d-\d\d \d\d:\d\d UTC · `mark`: locked #\d+ `Noisy neighbours` \(`cooling off`\)$/,
      ),
    ])
    expect(await runOnSlack(t, sam, 'audit')).toBe(
      'Only moderators of Lightbulb Moment can run /threadbridge audit.',
    )
  })

  it('refuses everyone else on both platforms, Discord rights counting only in the bridged channel', async () => {
    const { number, thread } = await startDiscussion()
    // visitor: a member without any Discord right in the bridged channel.
    const { visitor } = t.sandbox.discordSeed.users
    expect(await runOnDiscord(t, visitor, 'lock', {}, thread.id)).toBe(
      'Only moderators of Lightbulb Moment can run /lock.',
    )
    expect(await runOnSlack(t, t.sandbox.slackSeed.users.sam, `lock ${number}`)).toBe(
      'Only moderators of Lightbulb Moment can run /threadbridge lock.',
    )

    // Manage Messages granted to visitor in another channel is not a right in the bridged one…
    const manageMessages = String(PermissionFlagsBits.ManageMessages)
    const { generalId, forumId } = t.sandbox.discordSeed
    await control(t.discordUrl, 'PUT', `/channels/${generalId}/permissions/${visitor}`, {
      type: 1,
      allow: manageMessages,
      deny: '0',
    })
    expect(await runOnDiscord(t, visitor, 'lock', { discussion: String(number) }, generalId)).toBe(
      'Only moderators of Lightbulb Moment can run /lock.',
    )
    // …granted in the bridged forum, it is, at once, and taken away, it is not.
    await control(t.discordUrl, 'PUT', `/channels/${forumId}/permissions/${visitor}`, {
      type: 1,
      allow: manageMessages,
      deny: '0',
    })
    await eventually(
      () => runOnDiscord(t, visitor, 'lock', { discussion: String(number) }, generalId),
      (answer) => answer?.startsWith('Locked') === true,
    )
    await control(t.discordUrl, 'DELETE', `/channels/${forumId}/permissions/${visitor}`)
    await eventually(
      () => runOnDiscord(t, visitor, 'unlock', { discussion: String(number) }, generalId),
      (answer) => answer === 'Only moderators of Lightbulb Moment can run /unlock.',
    )
    expect(await lockedAt()).not.toBeNull()
  })

  it('bans and unbans from either platform: a ban outlasts /join, and only moderators may', async () => {
    const { mark, jo } = t.sandbox.discordSeed.users
    const { sam, alex } = t.sandbox.slackSeed.users
    expect(await runOnDiscord(t, mark, 'ban', { user: jo, reason: 'spam' })).toBe(
      `Banned jo (Discord ${jo}) from Lightbulb Moment: what they post is no longer mirrored. They are no longer a member: lifting the ban lets them join again.`,
    )
    const status = async () =>
      (
        await t.database.db
          .selectFrom('memberships as m')
          .innerJoin('identities as i', 'i.member_id', 'm.member_id')
          .select('m.status')
          .where('i.platform_user_id', '=', jo)
          .executeTakeFirstOrThrow()
      ).status
    expect(await status()).toBe('banned')
    expect(await runOnDiscord(t, jo, 'join')).toBe('You have been banned from Lightbulb Moment.')
    expect(
      await t.database.db.selectFrom('moderation_actions').select(['action', 'reason']).execute(),
    ).toEqual([{ action: 'ban', reason: 'spam' }])

    expect(await runOnSlack(t, sam, 'ban jo')).toBe(
      'Only moderators of Lightbulb Moment can run /threadbridge ban.',
    )
    expect(await runOnSlack(t, alex, 'ban nobody-at-all')).toBe(
      'No member of Lightbulb Moment is called "nobody-at-all": mention them, or write slack:<id> or discord:<id>.',
    )
    // alex, on Slack, lifts the ban on a Discord person by name.
    expect(await runOnSlack(t, alex, 'unban jo')).toBe(
      `Lifted the ban on jo (Discord ${jo}): they may join Lightbulb Moment again.`,
    )
    expect(await status()).toBe('left')
    expect(await runOnSlack(t, alex, 'unban jo')).toBe(
      `jo (Discord ${jo}) is not banned from Lightbulb Moment.`,
    )
    // And bans a Slack person by mention, as Slack escapes it (the command's should_escape).
    expect(await runOnSlack(t, alex, 'ban @sam')).toBe(
      `Banned sam (Slack ${sam}) from Lightbulb Moment: what they post is no longer mirrored. They are no longer a member: lifting the ban lets them join again.`,
    )
  })

  it('shows moderators where the community is bridged, what waits and what failed, and retries it', async () => {
    const { mark } = t.sandbox.discordSeed.users
    const { alex, sam } = t.sandbox.slackSeed.users
    const { channelId } = t.sandbox.slackSeed
    const healthy = (await runOnSlack(t, alex, 'bridge')) ?? ''
    expect(healthy.split('\n')).toEqual([
      // Each channel by the name its platform gives it, with the id an admin needs.
      `Lightbulb Moment is bridged to the Discord channel #discussions (${t.sandbox.discordSeed.forumId}) and the Slack channel #lightbulb-moment (${channelId}).`,
      'Nothing waits to be mirrored.',
      'Nothing failed for good.',
    ])

    // The Slack channel is archived: what is posted on Discord meanwhile fails for good.
    await control(t.slackUrl, 'POST', `/conversations/${channelId}/archive`, { user: sam })
    await control(t.discordUrl, 'POST', `/channels/${t.sandbox.discordSeed.forumId}/threads`, {
      author_id: mark,
      name: 'While archived',
      content: 'Nobody on Slack sees this yet.',
    })
    await eventually(
      () => t.database.db.selectFrom('outbox').select('id').where('status', '=', 'dead').execute(),
      (rows) => rows.length === 1,
    )
    const status = (await runOnDiscord(t, mark, 'bridge')) ?? ''
    // On Discord its own channel is a mention, which Discord shows as the channel's name.
    expect(status).toContain(
      `bridged to the Discord channel <#${t.sandbox.discordSeed.forumId}> and the Slack channel #lightbulb-moment (${channelId}).`,
    )
    expect(status).toMatch(
      /1 delivery failed for good:\n- a discussion created \(job \d+\), after 1 try: slack: is_archived\. /,
    )
    expect(status).toContain('Once the cause is fixed, /bridge action: retry puts them back in the queue.')
    expect(await runOnSlack(t, sam, 'bridge')).toBe(
      'Only moderators of Lightbulb Moment can run /threadbridge bridge.',
    )

    // Retried while the cause remains, it fails again, and waits for good once more.
    expect(await runOnSlack(t, alex, 'bridge retry')).toBe('Put 1 failed delivery back in the queue.')
    // A moderator's action like any other: in the audit, with who did it.
    expect(await runOnDiscord(t, mark, 'audit')).toMatch(
      /\n\d{4}-\d\d-\d\d \d\d:\d\d UTC · `alex`: put the failed deliveries back in the queue(\n|$)/,
    )
    await eventually(
      () =>
        t.database.db
          .selectFrom('outbox')
          .select(['status', 'attempts'])
          .where('event_type', '=', 'discussion.created')
          .execute(),
      (rows) => rows.length === 1 && rows[0]?.status === 'dead' && rows[0]?.attempts === 1,
    )

    // Unarchiving retries by itself; an explicit retry of nothing says so.
    await control(t.slackUrl, 'DELETE', `/conversations/${channelId}/archive`, { user: sam })
    await eventually(
      () => control<any[]>(t.slackUrl, 'GET', `/conversations/${channelId}/history`),
      (roots) => roots.length === 1,
    )
    expect(await runOnSlack(t, alex, 'bridge retry')).toBe(
      'Nothing failed for good: there is nothing to retry.',
    )
  })
})
