import { describe, expect, it } from 'vitest'
import { eventually, useBridge } from '../support/bridge-harness.ts'
import { control } from '../support/control.ts'
import { runOnDiscord, runOnSlack } from '../support/run-command.ts'

/**
 * The slash commands as people run them: Discord guild commands and Slack's one /threadbridge
 * command, through the real discord.js client and Bolt app, the sandbox and the real database.
 */
describe('slash commands (real clients, sandbox, real database)', () => {
  const t = useBridge()

  const onDiscord = (user: string, name: string) => runOnDiscord(t, user, name)
  const onSlack = (user: string, text: string) => runOnSlack(t, user, text)

  it('lets a newcomer on Discord join with /join, after which what they post is mirrored', async () => {
    const { users, forumId } = t.sandbox.discordSeed
    expect(await onDiscord(users.visitor, 'join')).toBe(
      'You are now a member of Lightbulb Moment: what you write in its discussions crosses to the other side.',
    )
    expect(await onDiscord(users.visitor, 'join')).toBe('You are already a member of Lightbulb Moment.')
    await control(t.discordUrl, 'POST', `/channels/${forumId}/threads`, {
      author_id: users.visitor,
      name: 'Hello from a newcomer',
      content: 'I just joined.',
    })
    const [root] = await eventually(
      () => control<any[]>(t.slackUrl, 'GET', `/conversations/${t.sandbox.slackSeed.channelId}/history`),
      (m) => m.length === 1,
    )
    expect(root).toMatchObject({
      username: 'visitor (Discord)',
      text: '*Hello from a newcomer*\nI just joined.',
    })
  })

  it('lets a newcomer on Slack join with /threadbridge join, and anyone leave with /threadbridge leave', async () => {
    const { users, channelId } = t.sandbox.slackSeed
    expect(await onSlack(users.guest, 'join')).toBe(
      'You are now a member of Lightbulb Moment: what you write in its discussions crosses to the other side.',
    )
    await control(t.slackUrl, 'POST', '/messages', {
      user: users.guest,
      channel: channelId,
      text: 'Guest here\nHi all.',
    })
    await eventually(
      () => control<any[]>(t.discordUrl, 'GET', `/channels/${t.sandbox.discordSeed.forumId}/threads`),
      (threads) => threads.some((thread) => thread.name === 'Guest here'),
    )

    expect(await onSlack(users.sam, 'leave')).toBe(
      'You have left Lightbulb Moment. Rejoin any time with /threadbridge join.',
    )
    await control(t.slackUrl, 'POST', '/messages', {
      user: users.sam,
      channel: channelId,
      text: 'Still here?',
    })
    const told = await eventually(
      () => control<any[]>(t.slackUrl, 'GET', `/ephemeral/${users.sam}`),
      (notes) => notes.length > 0,
    )
    expect(told[0].text).toBe(
      'You need to be a member of Lightbulb Moment to add comments! Join Lightbulb Moment with /threadbridge join, then try again.',
    )
  })

  it('lets a Discord member leave with /leave, and never lets a banned person back in by /join', async () => {
    const { users, forumId } = t.sandbox.discordSeed
    expect(await onDiscord(users.jo, 'leave')).toBe(
      'You have left Lightbulb Moment. Rejoin any time with /join.',
    )
    const membership = () =>
      t.database.db
        .selectFrom('memberships as m')
        .innerJoin('identities as i', 'i.member_id', 'm.member_id')
        .select('m.status')
        .where('i.platform_user_id', '=', users.jo)
        .executeTakeFirstOrThrow()
    expect(await membership()).toEqual({ status: 'left' })

    const person = (id: string, name: string) => ({
      platform: 'discord' as const,
      platformUserId: id,
      displayName: name,
    })
    await t.core.memberships.ban(t.sandbox.community.id, person(users.mark, 'mark'), person(users.jo, 'jo'))
    expect(await onDiscord(users.jo, 'join')).toBe('You have been banned from Lightbulb Moment.')
    expect(await membership()).toEqual({ status: 'banned' })
    // Nor can they start a discussion by command.
    expect(await runOnDiscord(t, users.jo, 'discuss', { title: 'Let me back' }, forumId)).toBe(
      'You have been banned from Lightbulb Moment.',
    )
  })

  it('answers /help, an unknown subcommand, or none, with what can be run there', async () => {
    expect(await onDiscord(t.sandbox.discordSeed.users.owner, 'help')).toBe(
      [
        'What you can do here:',
        '/join: Become a member of this community, so your posts are mirrored',
        '/discuss: Start a discussion, on Discord and Slack at once',
        '/reply: Reply to a discussion from anywhere',
        '/subscribe: Be notified when people reply to a discussion, or of new discussions',
        '/unsubscribe: Stop being notified of a discussion, or of new discussions',
        '/digest: Choose how often you hear of replies: off, immediate, daily or weekly',
        '/link: Link your Discord and Slack accounts: get a code here, enter it on the other side',
        '/unlink: Undo link: your Discord and Slack accounts become separate again',
        '/leave: Leave this community: what you write is no longer mirrored',
        '/delete: Delete a reply or discussion on both platforms: yours, or any as a moderator',
        '/forget-me: Erase yourself: what you wrote becomes a tombstone, your accounts and settings go',
        // owner owns the server, so Discord makes them a moderator: they see moderators' commands.
        '/lock: Lock a discussion: no more replies on either platform',
        '/unlock: Unlock a discussion so people can reply again',
        '/ban: Ban someone: their posts are no longer mirrored and they cannot rejoin',
        '/unban: Lift a ban: the person may join again',
        '/audit: Recent moderator actions: who did what, when and why',
        '/moderators: Who moderates here; appoint or remove a moderator',
        '/bridge: Where this community is bridged, what waits, what failed; retry the failures',
        '/help: What you can do with Threadbridge here',
      ].join('\n'),
    )
    const help = [
      'What you can do here:',
      '/threadbridge join: Become a member of this community, so your posts are mirrored',
      '/threadbridge discuss <title>, then the body on the next lines: Start a discussion, on Discord and Slack at once',
      '/threadbridge reply <discussion> <text>: Reply to a discussion from anywhere',
      '/threadbridge subscribe [discussion]: Be notified when people reply to a discussion, or of new discussions',
      '/threadbridge unsubscribe [discussion]: Stop being notified of a discussion, or of new discussions',
      '/threadbridge digest [off|immediate|daily|weekly] [hour] [time zone] [day] [discord|slack|latest], in any order: Choose how often you hear of replies: off, immediate, daily or weekly',
      '/threadbridge link [code]: Link your Discord and Slack accounts: get a code here, enter it on the other side',
      '/threadbridge unlink: Undo link: your Discord and Slack accounts become separate again',
      '/threadbridge leave: Leave this community: what you write is no longer mirrored',
      '/threadbridge delete <message link> [reason]: Delete a reply or discussion on both platforms: yours, or any as a moderator',
      '/threadbridge forget-me: Erase yourself: what you wrote becomes a tombstone, your accounts and settings go',
      '/threadbridge help: What you can do with Threadbridge here',
    ].join('\n')
    expect(await onSlack(t.sandbox.slackSeed.users.sam, 'fly me to the moon')).toBe(
      `There is no fly command. ${help}`,
    )
    expect(await onSlack(t.sandbox.slackSeed.users.sam, '')).toBe(help)
  })
})
