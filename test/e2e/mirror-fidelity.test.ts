import { describe, expect, it } from 'vitest'
import { eventually, useBridge } from '../support/bridge-harness.ts'
import { control } from '../support/control.ts'

/**
 * What a person writes arrives as a person on the other side should see it: emoji of every shape,
 * Slack's emoji names, quotes, long code, ansi blocks, spoilers, mentions and reactions. Real
 * discord.js and Bolt clients against the sandbox, on the real database.
 */
describe('mirror fidelity (real clients, sandbox, real database)', () => {
  const t = useBridge()

  const slackChannel = () => t.sandbox.slackSeed.channelId
  const slackTopLevel = () => control<any[]>(t.slackUrl, 'GET', `/conversations/${slackChannel()}/history`)
  const slackThread = (ts: string) =>
    control<any[]>(t.slackUrl, 'GET', `/conversations/${slackChannel()}/replies/${ts}`)
  const discordThread = (id: string) => control<any[]>(t.discordUrl, 'GET', `/channels/${id}/messages`)

  /** A forum post by jo, once its Slack mirror exists. */
  const discussion = async (name = 'Fidelity', content = 'Say it your way.') => {
    const thread = await control(t.discordUrl, 'POST', `/channels/${t.sandbox.discordSeed.forumId}/threads`, {
      author_id: t.sandbox.discordSeed.users.jo,
      name,
      content,
    })
    const [root] = await eventually(slackTopLevel, (m) => m.length === 1)
    return { thread, root }
  }
  const onDiscord = (threadId: string, content: string, author = t.sandbox.discordSeed.users.mark) =>
    control(t.discordUrl, 'POST', `/channels/${threadId}/messages`, { author_id: author, content })
  const onSlack = (rootTs: string, text: string, user = t.sandbox.slackSeed.users.sam) =>
    control(t.slackUrl, 'POST', '/messages', { user, channel: slackChannel(), text, thread_ts: rootTs })

  it('carries emoji of every shape from Discord to Slack under Slack’s names, an emoji-only reply too', async () => {
    const { thread, root } = await discussion()
    await onDiscord(thread.id, '👍')
    await onDiscord(thread.id, 'café 👋 数据 👌🏾 🇯🇵 1️⃣ 👨‍👩‍👧‍👦 🏳️‍🌈 ❤️ 🫠 🥲')
    const replies = await eventually(
      () => slackThread(root.ts),
      (m) => m.length === 3,
    )
    expect(replies.slice(1).map((m) => m.text)).toEqual([
      ':+1:',
      'café :wave: 数据 :ok_hand::skin-tone-5: :flag-jp: :one: :man-woman-girl-boy: :rainbow-flag: :heart: :melting_face: :smiling_face_with_tear:',
    ])
  })

  it('shows Slack emoji names, quotes and long code on Discord as Discord writes them', async () => {
    const { thread, root } = await discussion()
    await onSlack(root.ts, ':thinking_face: :ok_hand::skin-tone-5: :flag-jp: :partyparrot:')
    await onSlack(root.ts, '&gt; You can’t fix\n&gt; what you can’t see.\nSo let’s look.')
    const code = Array.from({ length: 110 }, (_, i) => `    step(${i}) // keep the indentation`)
    await onSlack(root.ts, `The script:\n\`\`\`${code.join('\n')}\`\`\``)

    const messages = await eventually(
      () => discordThread(thread.id),
      (m) => m.length >= 5 && m.some((x) => x.content.includes('step(109)')),
    )
    const mirrored = messages.slice(1).map((m) => m.content)
    expect(mirrored[0]).toBe('🤔 👌🏾 🇯🇵 :partyparrot:')
    expect(mirrored[1]).toBe('> You can’t fix\n> what you can’t see.\nSo let’s look.')
    const codeParts = mirrored.slice(2)
    expect(codeParts.length).toBeGreaterThanOrEqual(3)
    for (const part of codeParts) {
      expect(part.length).toBeLessThanOrEqual(2000)
      expect((part.match(/```/g)?.length ?? 0) % 2).toBe(0) // every part is whole code, never markdown
    }
    const lines = codeParts.join('\n').split('\n')
    for (let i = 0; i < 110; i++) expect(lines).toContain(`    step(${i}) // keep the indentation`)
  })

  it('keeps a title’s asterisks from ending Slack’s bold early', async () => {
    const { root } = await discussion('Is 2*3*4 = 24?', 'Check my *maths*.')
    expect(root.text).toBe('*Is 2∗3∗4 = 24?*\nCheck my _maths_.')
  })

  it('strips an ansi block’s escape codes and keeps a spoiler hidden on Slack', async () => {
    const { thread, root } = await discussion()
    await onDiscord(thread.id, '```ansi\n\u001b[1;31mfailed\u001b[0m: 3 tests\n```')
    await onDiscord(thread.id, 'The ending: ||they were friends all along||')
    const replies = await eventually(
      () => slackThread(root.ts),
      (m) => m.length === 3,
    )
    expect(replies[1].text).toBe('```\nfailed: 3 tests\n```')
    const original = (await discordThread(thread.id)).at(-1)
    expect(replies[2].text).toBe(
      `The ending: _(spoiler hidden: <https://discord.com/channels/${t.sandbox.discordSeed.guildId}/${thread.id}/${original.id}|read it on Discord>)_`,
    )
    expect(replies[2].text).not.toContain('friends')
  })

  it('names the people, channels and roles a message mentions, both ways, and pings nobody', async () => {
    const { users, forumId, moderatorRoleId } = t.sandbox.discordSeed
    const { thread, root } = await discussion()
    await onDiscord(thread.id, `<@${users.jo}> see <#${forumId}>, or ask <@&${moderatorRoleId}>`)
    const slackSide = await eventually(
      () => slackThread(root.ts),
      (m) => m.length === 2,
    )
    expect(slackSide[1].text).toBe('@jo see #discussions, or ask @Moderators')
    expect(slackSide[1].pinged).toEqual([])

    await onSlack(root.ts, `thanks <@${t.sandbox.slackSeed.users.alex}>, more in <#${slackChannel()}>`)
    const discordSide = await eventually(
      () => discordThread(thread.id),
      (m) => m.length === 3,
    )
    expect(discordSide[2].content).toBe('thanks @alex, more in #lightbulb-moment')
    expect(discordSide[2].pinged).toEqual([])
  })

  it('pings nobody on Slack through a masked link to a broadcast, a user group or a person', async () => {
    const { thread, root } = await discussion()
    const alex = t.sandbox.slackSeed.users.alex
    await onDiscord(thread.id, `[](!channel) [x](!here) [docs](!subteam^S0123) [you](@${alex})`)
    const slackSide = await eventually(
      () => slackThread(root.ts),
      (m) => m.length === 2,
    )
    expect(slackSide[1].pinged).toEqual([])
    expect(slackSide[1].text).not.toMatch(/<[!@]/)
  })

  it('titles a discussion started on Slack by its first line, with names, and loses none of it', async () => {
    const { slackSeed } = t.sandbox
    const long = `A first line far too long to be a Discord thread’s name, ${'which keeps going '.repeat(4)}to the end`
    await control(t.slackUrl, 'POST', '/messages', {
      user: slackSeed.users.sam,
      channel: slackChannel(),
      text: `<!channel> Plans for Friday with <@${slackSeed.users.alex}>\nWho is in?`,
    })
    await control(t.slackUrl, 'POST', '/messages', {
      user: slackSeed.users.sam,
      channel: slackChannel(),
      text: long,
    })
    const threads = await eventually(
      () => control<any[]>(t.discordUrl, 'GET', `/channels/${t.sandbox.discordSeed.forumId}/threads`),
      (found) => found.length === 2,
    )
    const [plans, longOne] = [...threads].sort((a, b) => (BigInt(a.id) < BigInt(b.id) ? -1 : 1))
    expect(plans.name).toBe('@\u2060channel Plans for Friday with @alex')
    expect((await discordThread(plans.id))[0].content).toBe('Who is in?')
    expect(longOne.name.endsWith('…')).toBe(true)
    expect((await discordThread(longOne.id))[0].content).toBe(long)
  })

  it('quotes an answered message as plain words: no ping, no spoiler, and no words once it is deleted', async () => {
    const { users } = t.sandbox.discordSeed
    const { thread, root } = await discussion()
    const samReply = await onSlack(root.ts, `<!channel> meeting now <@${t.sandbox.slackSeed.users.alex}>`)
    const spoiler = await onDiscord(thread.id, 'The ending: ||they were friends|| all along', users.jo)
    const isSam = (m: { username?: string }) => m.username === 'sam (Slack)'
    const samMirror = (
      await eventually(
        () => discordThread(thread.id),
        (m) => m.some(isSam),
      )
    ).find(isSam)
    // Answered once the mirror is ours (its link written), as a person would a moment later.
    await eventually(
      () => t.core.linkedContent({ platform: 'discord', channelId: thread.id, messageId: samMirror.id }),
      (link) => link !== undefined,
    )
    const answer = (to: string, content: string) =>
      control(t.discordUrl, 'POST', `/channels/${thread.id}/messages`, {
        author_id: users.mark,
        content,
        reply_to: to,
      })
    await answer(samMirror.id, 'coming')
    await answer(spoiler.id, 'no spoilers please')
    const slackSide = await eventually(
      () => slackThread(root.ts),
      (m) => m.length === 5,
    )
    const quoted = slackSide.filter((m) => m.username === 'mark (Discord)')
    expect(quoted.map((m) => m.text)).toEqual([
      '> sam: @\u2060channel meeting now @alex\ncoming',
      '> jo: The ending: (spoiler hidden: read it on Discord) all along\nno spoilers please',
    ])
    expect(quoted.flatMap((m) => m.pinged)).toEqual([])

    // sam deletes what mark answered: the answer's mirror no longer quotes it.
    await control(t.slackUrl, 'DELETE', '/messages', { channel: slackChannel(), ts: samReply.ts })
    const afterDelete = await eventually(
      () => slackThread(root.ts),
      (m) => m.some((x) => x.text === '> sam: This reply was deleted.\ncoming'),
    )
    expect(JSON.stringify(afterDelete)).not.toContain('meeting now')
  })

  it('crosses reactions both ways under the other platform’s name, skin tones included', async () => {
    const { thread, root } = await discussion()
    const reactOnDiscord = (emoji: string) =>
      control(t.discordUrl, 'POST', `/channels/${thread.id}/messages/${thread.id}/reactions`, {
        user_id: t.sandbox.discordSeed.users.mark,
        emoji,
      })
    await reactOnDiscord('🤔')
    await reactOnDiscord('👍🏽')
    await reactOnDiscord('🫠')
    const names = async () =>
      ((await slackTopLevel())[0]?.reactions ?? []).map((r: { name: string }) => r.name)
    expect(await eventually(names, (n) => n.length === 3)).toEqual([
      'thinking_face',
      '+1::skin-tone-4',
      'melting_face',
    ])

    await control(t.slackUrl, 'POST', '/reactions', {
      user: t.sandbox.slackSeed.users.sam,
      channel: slackChannel(),
      ts: root.ts,
      name: 'ok_hand::skin-tone-5',
    })
    const discordReactions = await eventually(
      () => control<any[]>(t.discordUrl, 'GET', `/messages/${thread.id}/reactions`),
      (r) => r.some((x) => x.emoji === '👌🏾'),
    )
    expect(discordReactions.map((r) => r.emoji)).toContain('👌🏾')
  })
})
