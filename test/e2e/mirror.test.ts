// CI: also on the current Node LTS (the mirror smoke test: real clients, fetch and sockets on that Node).
import { describe, expect, it } from 'vitest'
import { eventually, useBridge } from '../support/bridge-harness.ts'
import { control } from '../support/control.ts'

describe('mirroring between Discord and Slack (real clients, sandbox, real database)', () => {
  const t = useBridge()

  const discordPost = (name: string, content: string, author = t.sandbox.discordSeed.users.jo) =>
    control(t.discordUrl, 'POST', `/channels/${t.sandbox.discordSeed.forumId}/threads`, {
      author_id: author,
      name,
      content,
    })
  const slackChannel = () => t.sandbox.slackSeed.channelId
  const slackTopLevel = () => control<any[]>(t.slackUrl, 'GET', `/conversations/${slackChannel()}/history`)
  const slackThread = (ts: string) =>
    control<any[]>(t.slackUrl, 'GET', `/conversations/${slackChannel()}/replies/${ts}`)
  const discordThread = (id: string) => control<any[]>(t.discordUrl, 'GET', `/channels/${id}/messages`)
  const botUserId = async () =>
    (await control<{ bot: { user: { id: string } } }>(t.discordUrl, 'GET', '/state')).bot.user.id
  /**
   * A Discord forum post with one reply from Slack (sam), once both are mirrored and the reply's
   * mirror is recorded as ours: the start of the archived- and locked-thread tests.
   */
  const postWithSlackReply = async (name: string, content: string, reply: string) => {
    const thread = await discordPost(name, content)
    const [root] = await eventually(slackTopLevel, (m) => m.length === 1)
    const slackReply = await control(t.slackUrl, 'POST', '/messages', {
      user: t.sandbox.slackSeed.users.sam,
      channel: slackChannel(),
      text: reply,
      thread_ts: root.ts,
    })
    const [, mirror] = await eventually(
      () => discordThread(thread.id),
      (m) => m.length === 2,
    )
    await eventually(
      () => t.core.linkedContent({ platform: 'discord', channelId: thread.id, messageId: mirror.id }),
      (link) => link !== undefined,
    )
    return { thread, root, slackReply }
  }
  const discordThreads = () =>
    control<any[]>(t.discordUrl, 'GET', `/channels/${t.sandbox.discordSeed.forumId}/threads`)

  it('mirrors a forum post to a Slack thread, then replies, a nested reply, an edit and a deletion both ways', async () => {
    const { users } = t.sandbox.discordSeed
    const { users: slackUsers } = t.sandbox.slackSeed
    const thread = await discordPost('Who are we, really?', "You can't fix what you can't see.")
    const [root] = await eventually(slackTopLevel, (m) => m.length === 1)
    expect(root).toMatchObject({
      username: 'jo (Discord)',
      text: "*Who are we, really?*\nYou can't fix what you can't see.",
    })

    // A reply on Discord, one on Slack, and a Discord reply to the Slack one (nested).
    const markReply = await control(t.discordUrl, 'POST', `/channels/${thread.id}/messages`, {
      author_id: users.mark,
      content: 'Great aspiration.',
    })
    await eventually(
      () => slackThread(root.ts),
      (m) => m.length === 2,
    )
    const samReply = await control(t.slackUrl, 'POST', '/messages', {
      user: slackUsers.sam,
      channel: slackChannel(),
      text: 'Loads to say :-)',
      thread_ts: root.ts,
    })
    const mirroredSam = await eventually(
      () => discordThread(thread.id),
      (m) => m.length === 3,
    )
    const samOnDiscord = mirroredSam[2]
    expect(samOnDiscord).toMatchObject({ username: 'sam (Slack)', content: 'Loads to say :-)' })
    await control(t.discordUrl, 'POST', `/channels/${thread.id}/messages`, {
      author_id: users.jo,
      content: 'Tell us more, Sam',
      reply_to: samOnDiscord.id,
    })

    const slackSide = await eventually(
      () => slackThread(root.ts),
      (m) => m.length === 4,
    )
    expect(slackSide.map((m) => [m.username ?? m.user, m.text])).toEqual([
      ['jo (Discord)', "*Who are we, really?*\nYou can't fix what you can't see."],
      ['mark (Discord)', 'Great aspiration.'],
      [slackUsers.sam, 'Loads to say :-)'],
      ['jo (Discord)', '> sam: Loads to say :-)\nTell us more, Sam'],
    ])

    // An edit on Slack edits the same Discord message; a deletion on Discord leaves the tombstone on Slack.
    await control(t.slackUrl, 'PATCH', '/messages', {
      channel: slackChannel(),
      ts: samReply.ts,
      text: 'Loads and loads to say',
    })
    await eventually(
      () => discordThread(thread.id),
      (m) => m.find((x) => x.id === samOnDiscord.id)?.content === 'Loads and loads to say',
    )
    await control(t.discordUrl, 'DELETE', `/channels/${thread.id}/messages/${markReply.id}`)
    const afterDelete = await eventually(
      () => slackThread(root.ts),
      (m) => m[1]?.text === 'This reply was deleted.',
    )
    expect(afterDelete).toHaveLength(4)

    // The database kept the thread's shape and purged the words.
    const discussion = await t.core.linkedContent({
      platform: 'discord',
      channelId: thread.id,
      messageId: thread.id,
    })
    const stored = await t.core.readThread(discussion?.discussionId ?? '')
    expect(stored.replies.map((r) => [r.authorName, r.text, r.parentReplyId !== null])).toEqual([
      ['mark', 'This reply was deleted.', false],
      ['sam', 'Loads and loads to say', false],
      ['jo', 'Tell us more, Sam', true],
    ])
  })

  it('shows a reaction on the mirror once, until the last person on the other side removes theirs', async () => {
    const { users } = t.sandbox.discordSeed
    const thread = await discordPost('Reactions', 'React to this.')
    const [root] = await eventually(slackTopLevel, (m) => m.length === 1)
    const react = (method: 'POST' | 'DELETE', user: string) =>
      control(t.discordUrl, method, `/channels/${thread.id}/messages/${thread.id}/reactions`, {
        user_id: user,
        emoji: '👍',
      })
    const slackReactions = async () => (await slackTopLevel())[0]?.reactions ?? []

    await react('POST', users.mark)
    await react('POST', users.jo)
    await eventually(slackReactions, (r) => r.length === 1)
    expect(await slackReactions()).toEqual([
      { name: '+1', users: [t.sandbox.slack.state.botUser.id], count: 1 },
    ])
    await react('DELETE', users.mark)
    // Once the bridge has taken the removal in and done all it was going to do about it, the
    // mirror still shows: jo still has theirs.
    await eventually(
      () => t.database.db.selectFrom('reactions').select('platform_user_id').execute(),
      (rows) => rows.length === 1 && rows[0]?.platform_user_id === users.jo,
    )
    await t.bridge.worker.idle()
    expect(await slackReactions()).toHaveLength(1)
    await react('DELETE', users.jo)
    await eventually(slackReactions, (r) => r.length === 0)

    // And the other way: a Slack reaction on the mirrored post shows on the Discord original.
    await control(t.slackUrl, 'POST', '/reactions', {
      user: t.sandbox.slackSeed.users.sam,
      channel: slackChannel(),
      ts: root.ts,
      name: 'tada',
    })
    const onDiscord = await eventually(
      () => control<any[]>(t.discordUrl, 'GET', `/messages/${thread.id}/reactions`),
      (r) => r.length === 1,
    )
    expect(onDiscord).toEqual([{ emoji: '🎉', user_ids: [t.sandbox.discord.state.botUser.id] }])
  })

  it('stops mirroring into a Discord thread that was deleted there, and tells the moderators once', async () => {
    const { users } = t.sandbox.discordSeed
    const root = await control(t.slackUrl, 'POST', '/messages', {
      user: t.sandbox.slackSeed.users.alex,
      channel: slackChannel(),
      text: 'Gone soon\nThis thread will be deleted on Discord.',
    })
    const [thread] = await eventually(discordThreads, (threads) => threads.length === 1)
    // Wait for the mirror to be recorded too: the thread exists on Discord a moment before we
    // have written down that it is ours. (A thread deleted in that moment is caught later: the
    // next delivery into it fails permanently, and moderators hear of the dead letter.)
    await eventually(
      () => t.core.linkedContent({ platform: 'discord', channelId: thread.id, messageId: thread.id }),
      (link) => link !== undefined,
    )
    await control(t.discordUrl, 'DELETE', `/channels/${thread.id}`)
    const dms = await eventually(
      () => control<any[]>(t.discordUrl, 'GET', `/dms/${users.mark}`),
      (m) => m.length === 1,
    )
    expect(dms[0].content).toBe(
      'The Discord thread "Gone soon" was deleted, so Threadbridge no longer mirrors that discussion to Discord. It continues on the other platforms.',
    )

    // The conversation goes on in Slack; nothing is retried into the deleted thread.
    await control(t.slackUrl, 'POST', '/messages', {
      user: t.sandbox.slackSeed.users.sam,
      channel: slackChannel(),
      text: 'Still talking here',
      thread_ts: root.ts,
    })
    const jobs = await eventually(
      () =>
        t.database.db
          .selectFrom('outbox')
          .select(['event_type', 'status'])
          .where('event_type', '=', 'reply.created')
          .execute(),
      (rows) => rows.length === 1 && rows[0]?.status !== 'pending',
    )
    expect(jobs).toEqual([{ event_type: 'reply.created', status: 'done' }])
    expect(await control<any[]>(t.discordUrl, 'GET', `/dms/${users.mark}`)).toHaveLength(1)
  })

  it('edits a mirror inside an archived Discord thread by reopening it, and archives it again', async () => {
    const {
      thread,
      root,
      slackReply: samReply,
    } = await postWithSlackReply('Archived', 'Old news', 'First thought')
    // Threads archive themselves after a quiet day; Discord then refuses edits in them (50083).
    await control(t.discordUrl, 'PATCH', `/channels/${thread.id}`, { archived: true })
    await control(t.slackUrl, 'PATCH', '/messages', {
      channel: slackChannel(),
      ts: samReply.ts,
      text: 'Second thought',
    })
    await eventually(
      () => discordThread(thread.id),
      (m) => m[1]?.content === 'Second thought',
    )
    const threadState = async () =>
      (await discordThreads()).find((c) => c.id === thread.id)?.thread_metadata as { archived: boolean }
    await eventually(threadState, (meta) => meta.archived === true)

    // Posting reopens an archived thread by itself, as on Discord.
    await control(t.slackUrl, 'POST', '/messages', {
      user: t.sandbox.slackSeed.users.sam,
      channel: slackChannel(),
      text: 'One more',
      thread_ts: root.ts,
    })
    const after = await eventually(
      () => discordThread(thread.id),
      (m) => m.length === 3,
    )
    expect(after.map((m) => m.content)).toEqual(['Old news', 'Second thought', 'One more'])
    expect((await threadState()).archived).toBe(false)
  })

  it('tells the moderators why an archived Discord thread cannot take an edit, instead of retrying', async () => {
    const { users, guildId } = t.sandbox.discordSeed
    const { thread, slackReply: first } = await postWithSlackReply(
      'Archived on Discord',
      'A Discord moderator will archive this.',
      'Before',
    )
    await control(t.discordUrl, 'PATCH', `/channels/${thread.id}`, { archived: true })

    // Without Manage Threads the bot cannot reopen the thread to edit its own mirror: the job is
    // dead-lettered at once with the reason, and the moderators hear it. (A thread *locked* on
    // Discord locks the discussion itself: see platform-locks.test.ts.)
    await control(t.discordUrl, 'PATCH', `/guilds/${guildId}/members/${await botUserId()}`, { roles: [] })
    await control(t.slackUrl, 'PATCH', '/messages', { channel: slackChannel(), ts: first.ts, text: 'Edited' })
    const dms = await eventually(
      () => control<any[]>(t.discordUrl, 'GET', `/dms/${users.mark}`),
      (m) => m.length === 1,
    )
    expect(dms[0].content).toMatch(
      /the Discord thread is archived and the bot lacks Manage Threads to reopen it/,
    )
    expect((await discordThread(thread.id)).map((m) => m.content)).toEqual([
      'A Discord moderator will archive this.',
      'Before',
    ])
    const dead = await t.database.db
      .selectFrom('outbox')
      .select(['event_type', 'attempts'])
      .where('status', '=', 'dead')
      .orderBy('id')
      .execute()
    expect(dead).toEqual([{ event_type: 'reply.edited', attempts: 1 }])
  })

  it('deletes a discussion whose Slack opening post was deleted, keeping its replies (Slack leaves a tombstone)', async () => {
    const { sam, alex } = t.sandbox.slackSeed.users
    const root = await control(t.slackUrl, 'POST', '/messages', {
      user: sam,
      channel: slackChannel(),
      text: 'Second thoughts\nI may take this back.',
    })
    await control(t.slackUrl, 'POST', '/messages', {
      user: alex,
      channel: slackChannel(),
      text: 'Too late, I saw it',
      thread_ts: root.ts,
    })
    const [thread] = await eventually(discordThreads, (threads) => threads.length === 1)
    await eventually(
      () => discordThread(thread.id),
      (m) => m.length === 2,
    )
    await control(t.slackUrl, 'DELETE', '/messages', { channel: slackChannel(), ts: root.ts })

    // Deleted words are purged everywhere, the title (Discord's thread name) too; alex's reply stays.
    const after = await eventually(
      () => discordThread(thread.id),
      (m) => m[0]?.content === 'This discussion was deleted.',
    )
    expect(after.map((m) => m.content)).toEqual(['This discussion was deleted.', 'Too late, I saw it'])
    const [renamed] = await eventually(discordThreads, ([c]) => c?.thread_metadata?.locked === true)
    expect(renamed.name).toBe('This discussion was deleted.')
    const rows = await t.database.db.selectFrom('discussions').select(['title', 'body']).execute()
    expect(rows).toEqual([{ title: null, body: null }])
  })

  it('stops mirroring into a Slack thread deleted there, and tells the moderators once', async () => {
    const { users } = t.sandbox.discordSeed
    const thread = await discordPost('Deleted on Slack', 'An admin will delete the Slack copy.')
    const [root] = await eventually(slackTopLevel, (m) => m.length === 1)
    await eventually(
      () => t.core.linkedContent({ platform: 'slack', channelId: slackChannel(), messageId: root.ts }),
      (link) => link !== undefined,
    )
    await control(t.slackUrl, 'DELETE', '/messages', {
      channel: slackChannel(),
      ts: root.ts,
      user: t.sandbox.slackSeed.users.sam,
    })
    const dms = await eventually(
      () => control<any[]>(t.discordUrl, 'GET', `/dms/${users.mark}`),
      (m) => m.length === 1,
    )
    expect(dms[0].content).toBe(
      'The Slack thread of "Deleted on Slack" was deleted, so Threadbridge no longer mirrors that discussion to Slack. It continues on the other platforms.',
    )
    await control(t.discordUrl, 'POST', `/channels/${thread.id}/messages`, {
      author_id: users.mark,
      content: 'Still talking on Discord',
    })
    await eventually(
      () =>
        t.database.db
          .selectFrom('outbox')
          .select('status')
          .where('event_type', '=', 'reply.created')
          .execute(),
      (rows) => rows.length === 1 && rows[0]?.status === 'done',
    )
    expect(await slackTopLevel()).toEqual([])
    expect(await control<any[]>(t.discordUrl, 'GET', `/dms/${users.mark}`)).toHaveLength(1)
  })

  it('tells the moderators once when the Slack channel is archived, keeps what fails, and delivers it once unarchived', async () => {
    const { users } = t.sandbox.discordSeed
    await control(t.slackUrl, 'POST', `/conversations/${slackChannel()}/archive`, {
      user: t.sandbox.slackSeed.users.sam,
    })
    const dms = await eventually(
      () => control<any[]>(t.discordUrl, 'GET', `/dms/${users.mark}`),
      (m) => m.length === 1,
    )
    expect(dms[0].content).toMatch(/^The Slack channel bridged to this community was archived/)
    await discordPost('First while archived', 'one')
    await discordPost('Second while archived', 'two')
    const dead = await eventually(
      () => t.database.db.selectFrom('outbox').select(['last_error']).where('status', '=', 'dead').execute(),
      (rows) => rows.length === 2,
    )
    expect(dead.map((r) => r.last_error)).toEqual([
      expect.stringMatching(/is_archived/),
      expect.stringMatching(/is_archived/),
    ])
    // Two failures for one cause: one more message to the moderators, not two.
    const more = await eventually(
      () => control<any[]>(t.discordUrl, 'GET', `/dms/${users.mark}`),
      (m) => m.length >= 2,
    )
    expect(more[1].content).toMatch(/has stopped trying: slack: is_archived/)
    await t.bridge.worker.idle()
    expect(await control<any[]>(t.discordUrl, 'GET', `/dms/${users.mark}`)).toHaveLength(2)

    // Unarchived: what failed meanwhile is delivered (each discussion in its own order; two
    // discussions go side by side), and the moderators hear so.
    await control(t.slackUrl, 'DELETE', `/conversations/${slackChannel()}/archive`, {
      user: t.sandbox.slackSeed.users.sam,
    })
    const roots = await eventually(slackTopLevel, (m) => m.length === 2)
    expect(roots.map((m) => m.text).sort()).toEqual([
      '*First while archived*\none',
      '*Second while archived*\ntwo',
    ])
    const last = await eventually(
      () => control<any[]>(t.discordUrl, 'GET', `/dms/${users.mark}`),
      (m) => m.length === 3,
    )
    expect(last[2].content).toBe(
      'The Slack channel bridged to this community was unarchived, so Threadbridge posts there again; 2 deliveries that failed meanwhile are being retried.',
    )
  })

  it('bridges a Discord text channel: threads from a message or of their own, and Slack posts as starter and thread', async () => {
    const { users, guildId, generalId } = t.sandbox.discordSeed
    const { sam, alex } = t.sandbox.slackSeed.users
    await t.core.applyConfig([{ ...t.sandbox.community, discord: { guildId, channelId: generalId } }])
    const general = () => control<any[]>(t.discordUrl, 'GET', `/channels/${generalId}/messages`)

    // A thread started from a message: the message is the opening post, the thread's name its title.
    const starter = await control(t.discordUrl, 'POST', `/channels/${generalId}/messages`, {
      author_id: users.jo,
      content: 'Text channels too?',
    })
    await control(t.discordUrl, 'POST', `/channels/${generalId}/messages/${starter.id}/threads`, {
      author_id: users.jo,
      name: 'From a message',
    })
    const [root] = await eventually(slackTopLevel, (m) => m.length === 1)
    expect(root).toMatchObject({ username: 'jo (Discord)', text: '*From a message*\nText channels too?' })
    await control(t.discordUrl, 'POST', `/channels/${starter.id}/messages`, {
      author_id: users.mark,
      content: 'Yes, threads in text channels',
    })
    await control(t.slackUrl, 'POST', '/messages', {
      user: sam,
      channel: slackChannel(),
      text: 'Seen from Slack',
      thread_ts: root.ts,
    })
    const inThread = await eventually(
      () => discordThread(starter.id),
      (m) => m.length === 2,
    )
    expect(inThread.map((m) => [m.username ?? 'mark', m.content])).toEqual([
      ['mark', 'Yes, threads in text channels'],
      ['sam (Slack)', 'Seen from Slack'],
    ])
    await eventually(
      () => slackThread(root.ts),
      (m) => m.length === 3,
    )
    await control(t.discordUrl, 'PATCH', `/channels/${generalId}/messages/${starter.id}`, {
      content: 'Text channels too, please',
    })
    await eventually(slackTopLevel, (m) => m[0]?.text === '*From a message*\nText channels too, please')

    // A thread of its own: its first message opens the discussion.
    const own = await control(t.discordUrl, 'POST', `/channels/${generalId}/threads`, {
      author_id: users.jo,
      name: 'A thread of its own',
      content: 'First words',
    })
    const roots = await eventually(slackTopLevel, (m) => m.length === 2)
    expect(roots[1].text).toBe('*A thread of its own*\nFirst words')

    // From Slack: a starter message in the channel, titled in bold, and a thread started from it.
    const fromSlack = await control(t.slackUrl, 'POST', '/messages', {
      user: alex,
      channel: slackChannel(),
      text: 'From Slack\nHello, text channel',
    })
    const channelMessages = await eventually(general, (m) => m.some((x) => x.username === 'alex (Slack)'))
    const mirror = channelMessages.find((x) => x.username === 'alex (Slack)')
    expect(mirror.content).toBe('**From Slack**\nHello, text channel')
    // The thread is started from the message a moment after the message is posted.
    const threads = await eventually(
      () => control<any[]>(t.discordUrl, 'GET', `/channels/${generalId}/threads`),
      (c) => c.some((x) => x.id === mirror.id),
    )
    expect(threads.find((c) => c.id === mirror.id)?.name).toBe('From Slack')
    await eventually(
      () => t.core.linkedContent({ platform: 'discord', channelId: generalId, messageId: mirror.id }),
      (link) => link !== undefined,
    )
    await control(t.discordUrl, 'POST', `/channels/${mirror.id}/messages`, {
      author_id: users.mark,
      content: 'Welcome over',
    })
    await eventually(
      () => slackThread(fromSlack.ts),
      (m) => m.some((x) => x.username === 'mark (Discord)' && x.text === 'Welcome over'),
    )
    expect(own.id).not.toBe(mirror.id)

    // Deleted on Slack: the starter beside the thread shows the tombstone; the thread is renamed and locked.
    await control(t.slackUrl, 'DELETE', '/messages', { channel: slackChannel(), ts: fromSlack.ts })
    await eventually(
      general,
      (m) => m.find((x) => x.id === mirror.id)?.content === 'This discussion was deleted.',
    )
    const renamed = await eventually(
      () => control<any[]>(t.discordUrl, 'GET', `/channels/${generalId}/threads`),
      (c) => c.find((x) => x.id === mirror.id)?.thread_metadata?.locked === true,
    )
    expect(renamed.find((x) => x.id === mirror.id)?.name).toBe('This discussion was deleted.')
  })

  it('tells the moderators once when the bridged Discord channel is deleted, and keeps what fails as dead letters', async () => {
    const { users, forumId } = t.sandbox.discordSeed
    await discordPost('Before the channel goes', 'still here')
    await eventually(slackTopLevel, (m) => m.length === 1)
    await control(t.discordUrl, 'DELETE', `/channels/${forumId}`)
    const dms = await eventually(
      () => control<any[]>(t.discordUrl, 'GET', `/dms/${users.mark}`),
      (m) => m.length === 1,
    )
    expect(dms[0].content).toBe(
      'The Discord channel #discussions bridged to this community was deleted, so Threadbridge can no longer mirror to Discord. Bridge the community to another Discord channel in its configuration.',
    )
    await control(t.slackUrl, 'POST', '/messages', {
      user: t.sandbox.slackSeed.users.sam,
      channel: slackChannel(),
      text: 'Anyone on Discord?\nThe channel is gone.',
    })
    const dead = await eventually(
      () =>
        t.database.db
          .selectFrom('outbox')
          .select(['event_type', 'last_error'])
          .where('status', '=', 'dead')
          .execute(),
      (rows) => rows.length === 1,
    )
    expect(dead[0]).toMatchObject({
      event_type: 'discussion.created',
      last_error: expect.stringMatching(/^discord: 404 (10003 Unknown Channel|10015 Unknown Webhook)/),
    })
  })

  it('carries attachments across as links with file name and size, both ways', async () => {
    const thread = await discordPost('Files', 'See the attached plan.')
    const [root] = await eventually(slackTopLevel, (m) => m.length === 1)
    await control(t.discordUrl, 'POST', `/channels/${thread.id}/messages`, {
      author_id: t.sandbox.discordSeed.users.mark,
      content: 'Here it is',
      attachments: [{ filename: 'plan.pdf', size: 2048, url: 'https://cdn.example/plan.pdf' }],
    })
    await control(t.slackUrl, 'POST', '/messages', {
      user: t.sandbox.slackSeed.users.sam,
      channel: slackChannel(),
      text: 'And the slides',
      thread_ts: root.ts,
      files: [{ name: 'slides.key', size: 3 * 1024 * 1024, url: 'https://files.example/slides.key' }],
    })
    const onSlack = await eventually(
      () => slackThread(root.ts),
      (m) => m.some((x) => x.username === 'mark (Discord)'),
    )
    expect(onSlack.find((x) => x.username === 'mark (Discord)')?.text).toBe(
      'Here it is\n📎 plan.pdf (2.0 KB): https://cdn.example/plan.pdf',
    )
    const onDiscord = await eventually(
      () => discordThread(thread.id),
      (m) => m.some((x) => x.username === 'sam (Slack)'),
    )
    expect(onDiscord.find((x) => x.username === 'sam (Slack)')?.content).toBe(
      'And the slides\n📎 slides.key (3.0 MB): https://files.example/slides.key',
    )
  })

  it('mirrors a Slack top-level message to a Discord forum post titled by its first line', async () => {
    await control(t.slackUrl, 'POST', '/messages', {
      user: t.sandbox.slackSeed.users.alex,
      channel: slackChannel(),
      text: '*Our thesis*\nSocial tools show an organisation who it really is.',
    })
    const [thread] = await eventually(discordThreads, (threads) => threads.length === 1)
    expect(thread.name).toBe('Our thesis')
    const [starter] = await eventually(
      () => discordThread(thread.id),
      (m) => m.length === 1,
    )
    expect(starter).toMatchObject({
      username: 'alex (Slack)',
      content: 'Social tools show an organisation who it really is.',
    })
  })

  it('never lets @everyone, @here, <!channel> or <!here> ping anyone on the other side', async () => {
    const thread = await discordPost('Pings', '@everyone and @here, look!')
    const [root] = await eventually(slackTopLevel, (m) => m.length === 1)
    expect(root.pinged).toEqual([])
    await control(t.slackUrl, 'POST', '/messages', {
      user: t.sandbox.slackSeed.users.sam,
      channel: slackChannel(),
      text: '<!channel> <!here> <!everyone> hello',
      thread_ts: root.ts,
    })
    await control(t.discordUrl, 'POST', `/channels/${thread.id}/messages`, {
      author_id: t.sandbox.discordSeed.users.mark,
      content: '@everyone again',
    })
    const discordSide = await eventually(
      () => discordThread(thread.id),
      (m) => m.length === 3,
    )
    const slackSide = await eventually(
      () => slackThread(root.ts),
      (m) => m.length === 3,
    )
    // People's own posts ping on their own platform (that is each platform's business); every
    // mirror, on either side, pinged nobody.
    const mirrorsOnDiscord = discordSide.filter((m) => m.webhook_id !== undefined)
    const mirrorsOnSlack = slackSide.filter((m) => m.bot_id !== undefined)
    expect(mirrorsOnDiscord.map((m) => [m.username, m.pinged])).toEqual([['sam (Slack)', []]])
    expect(mirrorsOnSlack.map((m) => [m.username, m.pinged])).toEqual([
      ['jo (Discord)', []],
      ['mark (Discord)', []],
    ])
    expect(slackSide.find((m) => m.bot_id === undefined)?.pinged).toEqual(['channel', 'here', 'everyone'])
  })

  it('splits a 5,000-character Slack message into three ordered Discord messages', async () => {
    const thread = await discordPost('Long reads', 'Post something long.')
    const [root] = await eventually(slackTopLevel, (m) => m.length === 1)
    const paragraphs = Array.from({ length: 10 }, (_, i) => `Paragraph ${i}: ${'words '.repeat(80).trim()}.`)
    const text = paragraphs.join('\n\n')
    expect(text.length).toBeGreaterThanOrEqual(4900)
    await control(t.slackUrl, 'POST', '/messages', {
      user: t.sandbox.slackSeed.users.sam,
      channel: slackChannel(),
      text,
      thread_ts: root.ts,
    })
    const messages = await eventually(
      () => discordThread(thread.id),
      (m) => m.length === 4,
    )
    const parts = messages.slice(1)
    expect(parts.every((m) => m.username === 'sam (Slack)' && m.content.length <= 2000)).toBe(true)
    expect(parts.map((m) => m.content).join('\n\n')).toBe(text)
  })

  it('tells a non-member how to join, privately and once per discussion, and mirrors nothing of theirs', async () => {
    const thread = await discordPost('Members only', 'Only members may comment.')
    const [root] = await eventually(slackTopLevel, (m) => m.length === 1)
    const visitor = t.sandbox.discordSeed.users.visitor
    await control(t.discordUrl, 'POST', `/channels/${thread.id}/messages`, {
      author_id: visitor,
      content: 'Me too!',
    })
    await control(t.discordUrl, 'POST', `/channels/${thread.id}/messages`, {
      author_id: visitor,
      content: 'Hello?',
    })
    const dms = await eventually(
      () => control<any[]>(t.discordUrl, 'GET', `/dms/${visitor}`),
      (m) => m.length >= 1,
    )
    expect(dms[0].content).toBe(
      'You need to be a member of Lightbulb Moment to add comments! Join Lightbulb Moment with /join, then try again.',
    )
    await control(t.slackUrl, 'POST', '/messages', {
      user: t.sandbox.slackSeed.users.guest,
      channel: slackChannel(),
      text: 'guest here',
      thread_ts: root.ts,
    })
    const ephemeral = await eventually(
      () => control<any[]>(t.slackUrl, 'GET', `/ephemeral/${t.sandbox.slackSeed.users.guest}`),
      (m) => m.length === 1,
    )
    expect(ephemeral[0].text).toMatch(/^You need to be a member of Lightbulb Moment/)
    // A member's reply after them still arrives, and theirs never did; one DM only.
    await control(t.discordUrl, 'POST', `/channels/${thread.id}/messages`, {
      author_id: t.sandbox.discordSeed.users.mark,
      content: 'Welcome, do join.',
    })
    const slackSide = await eventually(
      () => slackThread(root.ts),
      (m) => m.length === 3,
    )
    expect(slackSide.map((m) => m.text)).toEqual([
      '*Members only*\nOnly members may comment.',
      'guest here',
      'Welcome, do join.',
    ])
    const discordSide = await discordThread(thread.id)
    expect(discordSide.map((m) => m.content)).toEqual([
      'Only members may comment.',
      'Me too!',
      'Hello?',
      'Welcome, do join.',
    ])
    expect(await control<any[]>(t.discordUrl, 'GET', `/dms/${visitor}`)).toHaveLength(1)
  })

  it('delivers exactly once through 500s and then a call that landed but timed out', async () => {
    const thread = await discordPost('Outage', 'Slack is having a bad day.')
    const [root] = await eventually(slackTopLevel, (m) => m.length === 1)
    await control(t.slackUrl, 'POST', '/faults', {
      route: 'chat.postMessage',
      mode: 'error',
      status: 500,
      count: 2,
    })
    await control(t.slackUrl, 'POST', '/faults', { route: 'chat.postMessage', mode: 'timeout', count: 1 })
    await control(t.discordUrl, 'POST', `/channels/${thread.id}/messages`, {
      author_id: t.sandbox.discordSeed.users.mark,
      content: 'Still here?',
    })
    await eventually(
      () => slackThread(root.ts),
      (m) => m.length === 2,
    )
    await t.bridge.worker.idle()
    const replies = await slackThread(root.ts)
    expect(replies.map((m) => m.text)).toEqual(['*Outage*\nSlack is having a bad day.', 'Still here?'])
    const stats = await control(t.slackUrl, 'GET', '/stats')
    expect(stats.by_route['chat.postMessage'].requests).toBeGreaterThanOrEqual(4)
  })
})
