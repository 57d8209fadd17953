import { describe, expect, it } from 'vitest'
import { eventually, useBridge } from '../support/bridge-harness.ts'
import { control } from '../support/control.ts'
import { runOnSlack } from '../support/run-command.ts'

/**
 * A Discord forum with "Require people to select tags when posting" refuses the bridge's untagged
 * posts (error 40067). No retry can change that, so a discussion started on Slack is given up on
 * at once, and the moderators hear what to do, once however many discussions it stops.
 */
describe('a bridged Discord forum that requires tags (real clients, sandbox, real database)', () => {
  const t = useBridge()
  const deadLettered = async () => t.logs.filter((line) => line.includes('mirror job dead-lettered')).length
  const startOnSlack = (text: string) =>
    control(t.slackUrl, 'POST', '/messages', {
      user: t.sandbox.slackSeed.users.sam,
      channel: t.sandbox.slackSeed.channelId,
      text,
    })

  it('gives up on a Slack-started discussion at once and tells the moderators how to fix it, once', async () => {
    const { forumId, users } = t.sandbox.discordSeed
    const { alex } = t.sandbox.slackSeed.users
    await control(t.discordUrl, 'PATCH', `/channels/${forumId}`, {
      flags: 16,
      available_tags: [{ name: 'Question' }],
    })

    await startOnSlack('Better coffee\nWhich beans?')
    await eventually(deadLettered, (n) => n === 1)
    const dead = await t.database.db
      .selectFrom('outbox')
      .select(['event_type', 'attempts', 'last_error'])
      .where('status', '=', 'dead')
      .execute()
    expect(dead).toEqual([
      {
        event_type: 'discussion.created',
        attempts: 1,
        last_error: 'discord: 400 40067 A tag is required to create a forum post in this channel',
      },
    ])
    const told = (dms: any[]) => dms.map((dm) => dm.content ?? dm.text)
    const markHeard = await eventually(
      async () => told(await control<any[]>(t.discordUrl, 'GET', `/dms/${users.mark}`)),
      (texts) => texts.length > 0,
    )
    expect(markHeard).toEqual([expect.stringMatching(/40067 A tag is required .*Require tags/)])
    expect(markHeard[0]).toMatch(/turn Require tags off in the forum’s settings/)

    // The same cause again, within the hour: a dead letter of its own, and no second message.
    await startOnSlack('Better tea\nWhich leaves?')
    await eventually(deadLettered, (n) => n === 2)
    expect(told(await control<any[]>(t.discordUrl, 'GET', `/dms/${users.mark}`))).toHaveLength(1)
    expect(told(await control<any[]>(t.slackUrl, 'GET', `/dms/${alex}`))).toHaveLength(1)
    // /bridge says the same, beside Discord's own words.
    expect(await runOnSlack(t, alex, 'bridge')).toMatch(
      /2 deliveries failed for good:\n- a discussion created \(job \d+\), after 1 try: discord: 400 40067 A tag is required to create a forum post in this channel\. The bridged Discord forum requires a tag/,
    )
  })
})
