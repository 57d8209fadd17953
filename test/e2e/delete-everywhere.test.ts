import { PermissionFlagsBits } from 'discord.js'
import { describe, expect, it } from 'vitest'
import { eventually, useBridge } from '../support/bridge-harness.ts'
import { control } from '../support/control.ts'
import { runOnDiscord, runOnSlack } from '../support/run-command.ts'

/**
 * Deleting everywhere, from either platform: a moderator (or the author) deletes a reply or a
 * discussion; its mirrors become tombstones, the author's own message is removed where the bot
 * may (Discord with Manage Messages; never Slack, which says so), its words are purged.
 */
describe('delete everywhere (real clients, sandbox, real database)', () => {
  const t = useBridge()
  const channel = () => t.sandbox.slackSeed.channelId
  const slackRoots = () => control<any[]>(t.slackUrl, 'GET', `/conversations/${channel()}/history`)
  const slackThread = (ts: string) =>
    control<any[]>(t.slackUrl, 'GET', `/conversations/${channel()}/replies/${ts}`)
  const discordThread = (id: string) => control<any[]>(t.discordUrl, 'GET', `/channels/${id}/messages`)
  const permalink = (ts: string, threadTs?: string) =>
    `https://lightbulb-moment.slack.com/archives/${channel()}/p${ts.replace('.', '')}${threadTs ? `?thread_ts=${threadTs}&cid=${channel()}` : ''}`
  const discordLink = (channelId: string, messageId: string) =>
    `https://discord.com/channels/${t.sandbox.discordSeed.guildId}/${channelId}/${messageId}`
  const bodies = async () =>
    (await t.database.db.selectFrom('replies').select('body').orderBy('created_at').execute()).map(
      (r) => r.body,
    )

  /** jo's forum post with jo's reply on Discord and sam's on Slack, all mirrored. */
  const conversation = async () => {
    const { jo } = t.sandbox.discordSeed.users
    const thread = await control(t.discordUrl, 'POST', `/channels/${t.sandbox.discordSeed.forumId}/threads`, {
      author_id: jo,
      name: 'Open-plan offices',
      content: 'Do they help us talk?',
    })
    const [root] = await eventually(slackRoots, (roots) => roots.length === 1)
    const joReply = await control(t.discordUrl, 'POST', `/channels/${thread.id}/messages`, {
      author_id: jo,
      content: 'periwinkle marmalade',
    })
    const samReply = await control(t.slackUrl, 'POST', '/messages', {
      user: t.sandbox.slackSeed.users.sam,
      channel: channel(),
      text: 'tangerine hovercraft',
      thread_ts: root.ts,
    })
    await eventually(
      () => slackThread(root.ts),
      (m) => m.some((r) => r.text === 'periwinkle marmalade'),
    )
    await eventually(
      () => discordThread(thread.id),
      (m) => m.some((r) => r.content === 'tangerine hovercraft'),
    )
    const number = (await t.database.db.selectFrom('discussions').select('number').executeTakeFirstOrThrow())
      .number
    return { thread, root, joReply, samReply, number }
  }

  it('a Discord moderator deletes a Discord reply with the message command: gone there, a tombstone on Slack', async () => {
    const { thread, root, joReply, number } = await conversation()
    const answer = await control<any>(t.discordUrl, 'POST', '/interactions', {
      user_id: t.sandbox.discordSeed.users.mark,
      channel_id: thread.id,
      name: 'Delete everywhere',
      target_id: joReply.id,
    })
    expect(answer.responses.every((r: any) => r.ephemeral)).toBe(true)
    expect(answer.responses.at(-1).content).toBe(
      `Deleted the reply in #${number} on both platforms: its copies now read “This reply was deleted.” and its words are gone from Threadbridge. The author's own message on Discord is removed too.`,
    )
    await eventually(
      () => slackThread(root.ts),
      (m) => m.some((r) => r.text === 'This reply was deleted.'),
    )
    await eventually(
      () => discordThread(thread.id),
      (m) => !m.some((r) => r.id === joReply.id),
    )
    expect(await bodies()).toEqual([null, 'tangerine hovercraft'])
    const audit = await t.database.db.selectFrom('moderation_actions').select(['action', 'reason']).execute()
    expect(audit).toEqual([{ action: 'delete_reply', reason: null }])
    const log = await runOnDiscord(t, t.sandbox.discordSeed.users.mark, 'audit', {}, thread.id)
    expect(log?.split('\n')[1]).toMatch(
      new RegExp(` UTC · \`mark\`: deleted a reply of \`jo\` in #${number} \`Open-plan offices\`$`),
    )
  })

  it('a Slack moderator deletes a Slack reply by its link: a tombstone on Discord, and Slack’s original stays, said so', async () => {
    const { thread, root, samReply, number } = await conversation()
    const answer = await runOnSlack(
      t,
      t.sandbox.slackSeed.users.alex,
      `delete ${permalink(samReply.ts, root.ts)} off topic`,
    )
    expect(answer).toBe(
      `Deleted the reply in #${number} on both platforms: its copies now read “This reply was deleted.” and its words are gone from Threadbridge. The author's own message stays on Slack: Slack lets apps delete only their own messages, so its author or a workspace admin must delete it there.`,
    )
    await eventually(
      () => discordThread(thread.id),
      (m) => m.some((r) => r.content === 'This reply was deleted.'),
    )
    expect(await bodies()).toEqual(['periwinkle marmalade', null])
    const audit = await t.database.db.selectFrom('moderation_actions').select(['action', 'reason']).execute()
    expect(audit).toEqual([{ action: 'delete_reply', reason: 'off topic' }])
    expect(
      await runOnSlack(t, t.sandbox.slackSeed.users.alex, `delete ${permalink(samReply.ts, root.ts)}`),
    ).toBe(`That reply in #${number} was already deleted.`)
  })

  it('refuses someone who is neither author nor moderator, and lets an author delete their own with the shortcut', async () => {
    const { thread, samReply } = await conversation()
    // visitor moderates nothing (owner owns the server, so has every right), and sam wrote this one.
    const { visitor } = t.sandbox.discordSeed.users
    const samMirror = (await discordThread(thread.id)).find((m) => m.content === 'tangerine hovercraft')
    expect(
      await runOnDiscord(t, visitor, 'delete', { message: discordLink(thread.id, samMirror.id) }, thread.id),
    ).toBe('You are not allowed to delete this reply.')
    expect(await bodies()).toEqual(['periwinkle marmalade', 'tangerine hovercraft'])

    // sam deletes their own from Slack's message menu.
    const shortcut = await control<any>(t.slackUrl, 'POST', '/shortcuts', {
      user: t.sandbox.slackSeed.users.sam,
      callback_id: 'delete',
      channel: channel(),
      message_ts: samReply.ts,
    })
    expect(shortcut.responses.at(-1)).toMatchObject({
      response_type: 'ephemeral',
      text: expect.stringMatching(/^Deleted the reply in #\d+ on both platforms/),
    })
    expect(await bodies()).toEqual(['periwinkle marmalade', null])
    // visitor's attempt is in the audit; an author's own deletion is not a moderator action.
    expect(
      await t.database.db
        .selectFrom('moderation_actions')
        .select(['action', 'outcome', 'actor_name'])
        .execute(),
    ).toEqual([{ action: 'delete', outcome: 'refused', actor_name: 'visitor' }])
    // Not a link at all, and a link to nothing of ours, are one-line answers.
    expect(await runOnDiscord(t, visitor, 'delete', { message: 'that one' }, thread.id)).toBe(
      '"that one" is not a link to a message: use the message\'s Copy Message Link, or Delete everywhere in its Apps menu.',
    )
    expect(
      await runOnSlack(t, t.sandbox.slackSeed.users.sam, `delete ${permalink('1700000000.000100')}`),
    ).toBe(
      'That link is to a message Threadbridge does not know: not part of a discussion in Lightbulb Moment.',
    )
    // From a message's own menu nobody gave a link: the answer speaks of the message.
    const { generalId } = t.sandbox.discordSeed
    const unbridged = await control<any>(t.discordUrl, 'POST', `/channels/${generalId}/messages`, {
      author_id: visitor,
      content: 'never mirrored',
    })
    const fromMenu = await control<any>(t.discordUrl, 'POST', '/interactions', {
      user_id: visitor,
      channel_id: generalId,
      name: 'Delete everywhere',
      target_id: unbridged.id,
    })
    expect(fromMenu.responses.at(-1).content).toBe(
      'Threadbridge does not know that message: it was never bridged.',
    )
    // guest has not joined: their message opens no discussion, and is never mirrored.
    const guestSays = await control<any>(t.slackUrl, 'POST', '/messages', {
      user: t.sandbox.slackSeed.users.guest,
      channel: channel(),
      text: 'not a member yet',
    })
    const shortcutOnUnknown = await control<any>(t.slackUrl, 'POST', '/shortcuts', {
      user: t.sandbox.slackSeed.users.sam,
      callback_id: 'delete',
      channel: channel(),
      message_ts: guestSays.ts,
    })
    expect(shortcutOnUnknown.responses.at(-1)?.text).toBe(
      'Threadbridge does not know that message: it was never bridged.',
    )
  })

  it('deletes a whole discussion from its opening post: renamed and locked on Discord, a tombstone on Slack', async () => {
    const { thread, root, number } = await conversation()
    const answer = await runOnDiscord(
      t,
      t.sandbox.discordSeed.users.mark,
      'delete',
      // A NUL, which PostgreSQL's text cannot hold, is dropped at the edge rather than failing.
      { message: discordLink(thread.id, thread.id), reason: 'dupli\u0000cate' },
      thread.id,
    )
    expect(answer).toMatch(new RegExp(`^Deleted the discussion #${number} on both platforms`))
    await eventually(slackRoots, (roots) =>
      roots.some((r) => r.ts === root.ts && r.text === 'This discussion was deleted.'),
    )
    const state = await eventually(
      () => control<any>(t.discordUrl, 'GET', '/state'),
      (s) => s.channels.find((c: any) => c.id === thread.id)?.name === 'This discussion was deleted.',
    )
    expect(state.channels.find((c: any) => c.id === thread.id).thread_metadata.locked).toBe(true)
    await eventually(
      () => discordThread(thread.id),
      (m) => !m.some((r) => r.id === thread.id),
    )
    const audit = await t.database.db.selectFrom('moderation_actions').select(['action', 'reason']).execute()
    expect(audit).toEqual([{ action: 'delete_discussion', reason: 'duplicate' }])
    const discussion = await t.database.db
      .selectFrom('discussions')
      .select(['title', 'body'])
      .executeTakeFirstOrThrow()
    expect(discussion).toEqual({ title: null, body: null })
  })

  it('says when the bot may not remove a Discord original, and removes it once allowed and retried', async () => {
    const { thread, joReply } = await conversation()
    const { botRoleId, forumId } = t.sandbox.discordSeed
    await control(t.discordUrl, 'PUT', `/channels/${forumId}/permissions/${botRoleId}`, {
      type: 0,
      allow: '0',
      deny: PermissionFlagsBits.ManageMessages.toString(),
    })
    const { alex } = t.sandbox.slackSeed.users
    const answer = await runOnSlack(t, alex, `delete ${discordLink(thread.id, joReply.id)}`)
    expect(answer).toMatch(
      /The author's own message stays on Discord: Threadbridge lacks Manage Messages in the bridged channel there\. Once a server admin grants it, \/threadbridge bridge retry removes it\.$/,
    )
    await eventually(
      () => runOnSlack(t, alex, 'bridge'),
      (status) => /lacks Manage Messages/.test(status ?? ''),
    )
    expect((await discordThread(thread.id)).some((m) => m.id === joReply.id)).toBe(true)
    await control(t.discordUrl, 'DELETE', `/channels/${forumId}/permissions/${botRoleId}`)
    expect(await runOnSlack(t, alex, 'bridge retry')).toMatch(/^Put 1 failed delivery back in the queue\./)
    await eventually(
      () => discordThread(thread.id),
      (m) => !m.some((r) => r.id === joReply.id),
    )
  })
})
