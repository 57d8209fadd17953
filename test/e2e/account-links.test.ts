import { describe, expect, it } from 'vitest'
import { eventually, useBridge } from '../support/bridge-harness.ts'
import { control, controlAnswer } from '../support/control.ts'
import { runOnDiscord, runOnSlack } from '../support/run-command.ts'

/**
 * `/link` and `/unlink` as people run them, through the real discord.js client and Bolt app, the
 * sandbox and the real database: once linked, a mention of that person crosses as a real mention
 * of their account on the other side, and notifies them; everyone else stays a plain `@name`.
 */
describe('account links (real clients, sandbox, real database)', () => {
  const t = useBridge()

  const onDiscord = async (user: string, name: string, options: Record<string, string> = {}) =>
    (await runOnDiscord(t, user, name, options)) ?? ''
  const onSlack = async (user: string, text: string) => (await runOnSlack(t, user, text)) ?? ''
  const slackThread = (ts: string) =>
    control<any[]>(t.slackUrl, 'GET', `/conversations/${t.sandbox.slackSeed.channelId}/replies/${ts}`)
  const discordThread = (id: string) => control<any[]>(t.discordUrl, 'GET', `/channels/${id}/messages`)

  /**
   * jo links their Discord account to sam's Slack account: a code from /link, entered on Slack,
   * then confirmed on Discord by jo with the button that names sam's account.
   */
  const linkJoAndSam = async () => {
    const { jo } = t.sandbox.discordSeed.users
    const { sam } = t.sandbox.slackSeed.users
    const answer = await onDiscord(jo, 'link')
    const code = /link code is ([A-Z0-9]+)\./.exec(answer)?.[1]
    expect(code, answer).toMatch(/^[A-HJ-NP-Z2-9]{6,8}$/)
    expect(await onSlack(sam, `link ${code}`)).toMatch(/^Code accepted\. Nothing is linked yet/)
    // jo asks again, in the text channel (discord.js ignores components in a forum channel).
    await control<any>(t.discordUrl, 'POST', '/interactions', {
      user_id: jo,
      channel_id: t.sandbox.discordSeed.generalId,
      name: 'link',
    })
    const asked = (await control<any[]>(t.discordUrl, 'GET', `/shown/${jo}`)).at(-1)
    expect(asked.content).toContain(`Slack sam (${sam}) entered your link code.`)
    const [confirm] = asked.components.flatMap((row: any) => row.components)
    expect(confirm.label).toBe(`Link sam (Slack ${sam})`)
    const pressed = await controlAnswer<any>(
      t.discordUrl,
      'POST',
      `/channels/${asked.channel_id}/messages/${asked.message_id}/click`,
      { user_id: jo, custom_id: confirm.custom_id },
    )
    expect(pressed.status).toBe(200)
    const edits = await eventually(
      async () =>
        (await control<any[]>(t.discordUrl, 'GET', `/shown/${jo}`)).filter(
          (shown) => shown.message_id === asked.message_id && shown.kind === 'edit',
        ),
      (found) => found.at(-1)?.components.length === 0,
    )
    expect(edits.at(-1).content).toMatch(
      new RegExp(`^Linked: you and Slack sam \\(${sam}\\) are now one person here`),
    )
    return code as string
  }

  it('turns a mention of a linked person into a real mention that notifies them, both ways', async () => {
    const discord = t.sandbox.discordSeed
    const slack = t.sandbox.slackSeed
    await linkJoAndSam()

    const thread = await control(t.discordUrl, 'POST', `/channels/${discord.forumId}/threads`, {
      author_id: discord.users.mark,
      name: 'Who is coming?',
      content: 'Friday plans.',
    })
    const [root] = await eventually(
      () => control<any[]>(t.slackUrl, 'GET', `/conversations/${slack.channelId}/history`),
      (m) => m.length === 1,
    )
    await control(t.discordUrl, 'POST', `/channels/${thread.id}/messages`, {
      author_id: discord.users.mark,
      content: `<@${discord.users.jo}> and <@${discord.users.visitor}>, @everyone?`,
    })
    const onSlackSide = await eventually(
      () => slackThread(root.ts),
      (m) => m.length === 2,
    )
    expect(onSlackSide[1].text).toBe(`<@${slack.users.sam}> and @visitor, @\u2060everyone?`)
    expect(onSlackSide[1].pinged).toEqual([slack.users.sam])

    await control(t.slackUrl, 'POST', '/messages', {
      user: slack.users.alex,
      channel: slack.channelId,
      thread_ts: root.ts,
      text: `<!channel> <@${slack.users.sam}> is in, <@${slack.users.guest}> maybe`,
    })
    const onDiscordSide = await eventually(
      () => discordThread(thread.id),
      (m) => m.length === 3,
    )
    expect(onDiscordSide[2].content).toBe(`@\u2060channel <@${discord.users.jo}> is in, @guest maybe`)
    expect(onDiscordSide[2].pinged).toEqual([discord.users.jo])
  })

  it('refuses a reused code and a code from the same platform, in one line saying what to do', async () => {
    const code = await linkJoAndSam()
    expect(await onSlack(t.sandbox.slackSeed.users.alex, `link ${code}`)).toBe(
      'That link code was already used: run link without a code on Discord for a new one.',
    )
    const fresh = /link code is ([A-Z0-9]+)\./.exec(
      await onDiscord(t.sandbox.discordSeed.users.mark, 'link'),
    )?.[1]
    expect(await onDiscord(t.sandbox.discordSeed.users.visitor, 'link', { code: fresh ?? '' })).toBe(
      'That code was made on Discord: enter it on Slack, with the link command there.',
    )
  })

  it('after /unlink, the mention is a plain name again and notifies nobody', async () => {
    const discord = t.sandbox.discordSeed
    const slack = t.sandbox.slackSeed
    await linkJoAndSam()
    expect(await onDiscord(discord.users.jo, 'unlink')).toBe(
      `Unlinked: this account and Slack sam (${slack.users.sam}) are separate again, each keeping your memberships and settings.`,
    )
    expect(await onSlack(slack.users.sam, 'unlink')).toBe(
      'Your account is not linked to another: there is nothing to unlink.',
    )
    const thread = await control(t.discordUrl, 'POST', `/channels/${discord.forumId}/threads`, {
      author_id: discord.users.mark,
      name: 'Unlinked',
      content: `Over to <@${discord.users.jo}>`,
    })
    const [root] = await eventually(
      () => control<any[]>(t.slackUrl, 'GET', `/conversations/${slack.channelId}/history`),
      (m) => m.length === 1,
    )
    expect(thread.id).toBeDefined()
    expect(root.text).toBe('*Unlinked*\nOver to @jo')
    expect(root.pinged).toEqual([])
  })
})
