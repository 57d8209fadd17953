import { describe, expect, it } from 'vitest'
import { useBridge } from '../support/bridge-harness.ts'
import { runOnDiscord, runOnSlack } from '../support/run-command.ts'

/**
 * `/moderators`: moderators appoint and remove moderators from either platform, audited; rights
 * follow at once. The sandbox's configuration names mark (Discord) and alex (Slack).
 */
describe('appointing moderators (real clients, sandbox, real database)', () => {
  const t = useBridge()

  it('appoints on Slack, where the appointed moderator can act at once, and removes them again', async () => {
    const { alex, sam } = t.sandbox.slackSeed.users
    expect(await runOnSlack(t, sam, 'audit')).toBe(
      'Only moderators of Lightbulb Moment can run /threadbridge audit.',
    )
    // Typed as in Slack's composer: with should_escape, Slack sends the mention as <@U…|sam>.
    expect(await runOnSlack(t, alex, 'moderators add @sam')).toBe(
      `sam (Slack ${sam}) is now a moderator of Lightbulb Moment, from that account (an account linked to it does not moderate through it).`,
    )
    expect(await runOnSlack(t, alex, `moderators add <@${sam}>`)).toBe(
      `sam (Slack ${sam}) is already a moderator of Lightbulb Moment.`,
    )
    const { jo } = t.sandbox.discordSeed.users
    expect(await runOnSlack(t, sam, 'ban jo spam')).toBe(
      `Banned jo (Discord ${jo}) from Lightbulb Moment: what they post is no longer mirrored. They are no longer a member: lifting the ban lets them join again.`,
    )
    const list = (await runOnSlack(t, sam, 'moderators')) ?? ''
    expect(list.split('\n')).toEqual([
      'Moderators of Lightbulb Moment:',
      '- alex (Slack; named in the configuration)',
      '- mark (Discord; named in the configuration)',
      '- sam (Slack)',
      'On Discord, anyone with Manage Messages or Manage Threads in the bridged channel.',
      '/threadbridge moderators add @person appoints one; /threadbridge moderators remove @person removes one.',
    ])

    expect(await runOnSlack(t, alex, `moderators remove <@${sam}>`)).toBe(
      `sam (Slack ${sam}) is no longer a moderator of Lightbulb Moment; they remain a member.`,
    )
    expect(await runOnSlack(t, sam, 'unban jo')).toBe(
      'Only moderators of Lightbulb Moment can run /threadbridge unban.',
    )
    expect(await runOnSlack(t, alex, `moderators remove <@${sam}>`)).toBe(
      `sam (Slack ${sam}) is not an appointed moderator of Lightbulb Moment.`,
    )
    // A configured moderator would be one again at the next start: the command says so instead.
    expect(await runOnSlack(t, sam, 'moderators remove alex')).toBe(
      'Only moderators of Lightbulb Moment can run /threadbridge moderators.',
    )
    expect(await runOnSlack(t, alex, `moderators remove <@${alex}>`)).toBe(
      'They are a moderator by the configuration, which makes them one again at every start: take them out of its moderators instead.',
    )
    // A banned person cannot be appointed.
    expect(await runOnSlack(t, alex, 'moderators add jo')).toBe(
      'They are banned from Lightbulb Moment: lift the ban first if they are to moderate.',
    )

    const log = ((await runOnSlack(t, alex, 'audit')) ?? '')
      .split('\n')
      .map((line) => line.replace(/^.* UTC · /, ''))
    expect(log).toEqual([
      'Moderator actions in Lightbulb Moment, newest first:',
      'refused: `sam` (Slack) tried /threadbridge moderators',
      'refused: `sam` (Slack) tried /threadbridge unban',
      '`alex`: removed moderator: `sam`',
      '`sam`: banned `jo` (`spam`)',
      '`alex`: appointed moderator: `sam`',
      'refused: `sam` (Slack) tried /threadbridge audit',
    ])
  })

  it('appoints on Discord, and an account linked to a moderator’s does not moderate through it', async () => {
    const { mark, visitor } = t.sandbox.discordSeed.users
    const { guest, sam } = t.sandbox.slackSeed.users
    // visitor: a member without any Discord right in the bridged channel.
    expect(await runOnDiscord(t, visitor, 'moderators')).toBe(
      'Only moderators of Lightbulb Moment can run /moderators.',
    )
    expect(await runOnDiscord(t, mark, 'moderators', { action: 'add', user: visitor })).toBe(
      `visitor (Discord ${visitor}) is now a moderator of Lightbulb Moment, from that account (an account linked to it does not moderate through it).`,
    )
    const membership = await t.database.db
      .selectFrom('memberships as m')
      .innerJoin('identities as i', 'i.member_id', 'm.member_id')
      .select(['m.status', 'm.role'])
      .where('i.platform_user_id', '=', visitor)
      .executeTakeFirstOrThrow()
    expect(membership).toEqual({ status: 'joined', role: 'moderator' })
    expect(await runOnDiscord(t, mark, 'moderators', { action: 'add' })).toBe(
      'Who? Mention them: /moderators action: add user: @person (or account: slack:<id>).',
    )

    // guest enters mark's link code: guest gains no right from it (the link itself, confirmed,
    // is pinned in test/adversarial/link-rights.test.ts).
    const code = /link code is ([A-Z0-9]+)\./.exec((await runOnDiscord(t, mark, 'link')) ?? '')?.[1]
    expect(await runOnSlack(t, guest, `link ${code}`)).toMatch(/^Code accepted/)
    expect(await runOnSlack(t, guest, `moderators add <@${sam}>`)).toBe(
      'Only moderators of Lightbulb Moment can run /threadbridge moderators.',
    )
  })

  it('refuses to ban or appoint the bridge’s own account, on either platform, from either', async () => {
    const { mark } = t.sandbox.discordSeed.users
    const { alex } = t.sandbox.slackSeed.users
    const slackBot = t.sandbox.slack.state.botUser.id
    const discordBot = t.sandbox.discord.state.botUser.id
    // Named by the id when the bridge never saw the bot's name.
    const refused =
      /^\S+ \((Slack|Discord) \w+\) is Threadbridge's own account: moderators' commands do not act on it, so nothing was done\.$/
    expect(await runOnSlack(t, alex, `ban <@${slackBot}>`)).toMatch(refused)
    expect(await runOnSlack(t, alex, `moderators add <@${slackBot}>`)).toMatch(refused)
    expect(await runOnSlack(t, alex, `ban discord:${discordBot}`)).toMatch(refused)
    expect(await runOnDiscord(t, mark, 'ban', { user: discordBot })).toMatch(refused)
    expect(
      await runOnDiscord(t, mark, 'moderators', { action: 'add', account: `slack:${slackBot}` }),
    ).toMatch(refused)
    const touched = await t.database.db
      .selectFrom('moderation_actions')
      .select('action')
      .where('outcome', '=', 'done')
      .execute()
    expect(touched).toEqual([])
  })
})
