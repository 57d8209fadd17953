import { describe, expect, it } from 'vitest'
import { claimDueDigests } from '../../src/digests/claim-due-digests.ts'
import { eventually, useBridge } from '../support/bridge-harness.ts'
import { control } from '../support/control.ts'
import { runOnDiscord, runOnSlack } from '../support/run-command.ts'

/**
 * Reply digests as people receive them: a subscriber on Discord and one on Slack each get an
 * immediate digest for replies from the other platform, in a DM, with links to the discussion on
 * both platforms and buttons that work from the DM.
 */
describe('reply digests (real clients, sandbox, real database)', () => {
  const t = useBridge()

  /** The app's DM with a person, as the bot finds it (conversations.open answers the existing one). */
  const imWith = async (user: string): Promise<string> => {
    const response = await fetch(`${t.sandbox.slack.apiUrl}conversations.open`, {
      method: 'POST',
      headers: { authorization: `Bearer ${t.sandbox.tokens.slackBot}`, 'content-type': 'application/json' },
      body: JSON.stringify({ users: user }),
    })
    return ((await response.json()) as { channel: { id: string } }).channel.id
  }

  it('DMs each subscriber the other platform’s replies, with working links and buttons', async () => {
    const { jo, mark } = t.sandbox.discordSeed.users
    const { sam, alex } = t.sandbox.slackSeed.users
    const { channelId } = t.sandbox.slackSeed
    expect(await runOnDiscord(t, jo, 'digest', { frequency: 'immediate' })).toMatch(/right away/)
    expect(await runOnSlack(t, sam, 'digest immediate')).toMatch(/right away/)
    const started = await runOnDiscord(t, jo, 'discuss', { title: 'Office plants', body: 'Who waters them?' })
    const number = Number(/#(\d+)/.exec(started ?? '')?.[1])
    expect(await runOnSlack(t, sam, `subscribe ${number}`)).toMatch(/^You are subscribed/)
    const [root] = await eventually(
      () => control<any[]>(t.slackUrl, 'GET', `/conversations/${channelId}/history`),
      (roots) => roots.length === 1,
    )
    const [thread] = await eventually(
      () => control<any[]>(t.discordUrl, 'GET', `/channels/${t.sandbox.discordSeed.forumId}/threads`),
      (threads) => threads.length === 1,
    )

    // alex answers on Slack, mark on Discord; each lands in the database before the digest run.
    await control(t.slackUrl, 'POST', '/messages', {
      user: alex,
      channel: channelId,
      text: 'I *do*, Mondays.',
      thread_ts: root.ts,
    })
    await control(t.discordUrl, 'POST', `/channels/${thread.id}/messages`, {
      author_id: mark,
      content: 'And I do **Thursdays**.',
    })
    await eventually(
      () => t.database.db.selectFrom('replies').select('id').execute(),
      (rows) => rows.length === 2,
    )
    await t.bridge.runDigests()

    const [toJo] = await eventually(
      () => control<any[]>(t.discordUrl, 'GET', `/dms/${jo}`),
      (dms) => dms.length === 1,
    )
    expect(toJo.content).toBe('2 new replies in 1 discussion')
    const [embed] = toJo.embeds
    expect(embed.title).toBe(`#${number} “Office plants” in Lightbulb Moment`)
    expect(embed.description).toContain('alex (Slack): I **do**, Mondays.')
    expect(embed.description).toContain('mark (Discord): And I do **Thursdays**.')
    expect(embed.description).toContain(
      `[Open on Discord](https://discord.com/channels/${t.sandbox.discordSeed.guildId}/${thread.id}/`,
    )
    expect(embed.description).toMatch(/\[Open on Slack\]\(https:\/\/[^)]+\/archives\/[A-Z0-9]+\/p\d{16}\)/)
    const buttons = toJo.components.flatMap((row: any) => row.components)
    expect(buttons.map((b: any) => b.label)).toEqual([
      `Unsubscribe from #${number}`,
      'Weekly instead',
      'Daily instead',
      'Stop all',
    ])

    const [toSam] = await eventually(
      () => control<any[]>(t.slackUrl, 'GET', `/dms/${sam}`),
      (dms) => dms.length === 1,
    )
    expect(toSam.text).toBe('2 new replies in 1 discussion')
    const section = toSam.blocks.find((b: any) => b.type === 'section')
    expect(section.text.text).toContain('alex (Slack): I *do*, Mondays.')
    expect(section.text.text).toContain('mark (Discord): And I do *Thursdays*.')
    expect(section.text.text).toContain('|Open on Discord>')

    // jo unsubscribes from the DM itself; sam stops everything from theirs.
    const clicked = await control<any>(
      t.discordUrl,
      'POST',
      `/channels/${toJo.channel_id}/messages/${toJo.id}/click`,
      {
        user_id: jo,
        custom_id: buttons[0].custom_id,
      },
    )
    expect(clicked.responses.at(-1)).toMatchObject({
      ephemeral: true,
      content: `You will no longer hear of replies in #${number} “Office plants”.`,
    })
    const stop = toSam.blocks.find((b: any) => b.type === 'actions').elements.at(-1)
    const pressed = await control<any>(t.slackUrl, 'POST', '/actions', {
      user: sam,
      channel: await imWith(sam),
      message_ts: toSam.ts,
      action_id: stop.action_id,
      value: stop.value,
    })
    expect(pressed.responses.at(-1)?.text).toBe(
      'Notifications are off: no more digests. Turn them on again with /threadbridge digest daily (or immediate, weekly).',
    )

    // The next replies reach neither of them.
    await control(t.slackUrl, 'POST', '/messages', {
      user: alex,
      channel: channelId,
      text: 'Plants love you.',
      thread_ts: root.ts,
    })
    await eventually(
      () => t.database.db.selectFrom('replies').select('id').execute(),
      (rows) => rows.length === 3,
    )
    await t.bridge.runDigests()
    // Decided in the database: no digest for either of them this time (others, who replied, get theirs).
    const theirs = await t.database.db
      .selectFrom('digests as d')
      .innerJoin('identities as i', 'i.member_id', 'd.member_id')
      .select(['i.platform_user_id', 'd.status'])
      .where('i.platform_user_id', 'in', [jo, sam])
      .execute()
    expect(theirs.map((d) => d.status)).toEqual(['sent', 'sent'])
    expect(await control<any[]>(t.discordUrl, 'GET', `/dms/${jo}`)).toHaveLength(1)
    expect(await control<any[]>(t.slackUrl, 'GET', `/dms/${sam}`)).toHaveLength(1)
  })

  it('tells someone whose DMs are closed, once, privately, how to get digests again', async () => {
    const { jo, mark } = t.sandbox.discordSeed.users
    await control(t.discordUrl, 'PUT', `/users/${jo}/dms`, { open: false })
    await runOnDiscord(t, jo, 'digest', { frequency: 'immediate' })
    await runOnDiscord(t, jo, 'discuss', { title: 'Bikes', body: 'Where do they go?' })
    const [thread] = await eventually(
      () => control<any[]>(t.discordUrl, 'GET', `/channels/${t.sandbox.discordSeed.forumId}/threads`),
      (threads) => threads.length === 1,
    )
    await control(t.discordUrl, 'POST', `/channels/${thread.id}/messages`, {
      author_id: mark,
      content: 'Basement.',
    })
    await eventually(
      () => t.database.db.selectFrom('replies').select('id').execute(),
      (rows) => rows.length === 1,
    )
    await t.bridge.runDigests()
    // Nobody to send to: the claim is withdrawn, and the reply waits for them.
    await eventually(
      () =>
        t.database.db
          .selectFrom('identities')
          .select('dms_closed_at')
          .where('platform_user_id', '=', jo)
          .executeTakeFirstOrThrow(),
      (identity) => identity.dms_closed_at !== null,
    )
    await eventually(
      () => t.database.db.selectFrom('digests').select('status').where('status', '=', 'pending').execute(),
      (rows) => rows.length === 0,
    )
    expect(await control<any[]>(t.discordUrl, 'GET', `/dms/${jo}`)).toEqual([])

    const told = await runOnDiscord(t, jo, 'help')
    expect(told).toContain('Your last digest could not reach you: Discord refused a direct message')
    expect(await runOnDiscord(t, jo, 'help')).not.toContain('could not reach you')
    // They open their DMs and ask (/digest alone): what was said meanwhile arrives, as one digest.
    await control(t.discordUrl, 'PUT', `/users/${jo}/dms`, { open: true })
    expect(await runOnDiscord(t, jo, 'digest')).toMatch(/^You hear of replies right away/)
    await t.bridge.runDigests()
    const [late] = await eventually(
      () => control<any[]>(t.discordUrl, 'GET', `/dms/${jo}`),
      (dms) => dms.length === 1,
    )
    expect(late.content).toBe('1 new reply in 1 discussion')
    expect(late.embeds[0].description).toContain('mark (Discord): Basement.')
  })

  it('sends each digest once when two schedulers decide at the same moment', async () => {
    const { jo, mark } = t.sandbox.discordSeed.users
    await runOnDiscord(t, jo, 'digest', { frequency: 'immediate' })
    await runOnDiscord(t, jo, 'discuss', { title: 'Parking', body: 'Any spaces?' })
    const [thread] = await eventually(
      () => control<any[]>(t.discordUrl, 'GET', `/channels/${t.sandbox.discordSeed.forumId}/threads`),
      (threads) => threads.length === 1,
    )
    await control(t.discordUrl, 'POST', `/channels/${thread.id}/messages`, {
      author_id: mark,
      content: 'None.',
    })
    await eventually(
      () => t.database.db.selectFrom('replies').select('id').execute(),
      (rows) => rows.length === 1,
    )
    // This bridge's scheduler and another process's, on the same database, at once.
    await Promise.all([
      t.bridge.runDigests(),
      claimDueDigests(t.database.db, new Date(), { burstMs: 0, settleMs: 0 }),
      t.bridge.runDigests(),
    ])
    await eventually(
      () => t.database.db.selectFrom('digests').select('status').where('status', '=', 'pending').execute(),
      (rows) => rows.length === 0,
    )
    expect(await control<any[]>(t.discordUrl, 'GET', `/dms/${jo}`)).toHaveLength(1)
  })
})
