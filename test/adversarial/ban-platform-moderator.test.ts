import { describe, expect, it } from 'vitest'
import { useBridge } from '../support/bridge-harness.ts'
import { control } from '../support/control.ts'
import { runOnDiscord, runOnSlack } from '../support/run-command.ts'

/**
 * Attack: a moderator bans another moderator whose rights come from a platform, not our records.
 * A Slack workspace admin's `ban` locked the Discord server's owner out of the bridge, and a
 * Discord role moderator could ban another holder of the same role. A moderator is not banned
 * while a moderator, whatever kind: the ban asks the target's platform, through the adapter.
 */
describe('a moderator by platform right or role is not banned', () => {
  const t = useBridge({
    community: (seeded, sandbox) => ({
      ...seeded,
      discord: {
        guildId: sandbox.discordSeed.guildId,
        channelId: sandbox.discordSeed.forumId,
        moderatorRoles: ['Community Team'],
      },
      slack: {
        teamId: sandbox.slackSeed.teamId,
        channelId: sandbox.slackSeed.channelId,
        workspaceAdminsModerate: true,
      },
      moderators: [],
    }),
  })
  const isMember = async (platformUserId: string) =>
    (
      await t.database.db
        .selectFrom('memberships')
        .innerJoin('identities', 'identities.member_id', 'memberships.member_id')
        .select('memberships.status')
        .where('identities.platform_user_id', '=', platformUserId)
        .executeTakeFirst()
    )?.status

  it('refuses a Slack workspace admin banning the Discord server’s owner', async () => {
    const { owner } = t.sandbox.discordSeed.users
    const { alex } = t.sandbox.slackSeed.users
    // The owner has acted on Discord, so the bridge knows them by name.
    expect(await runOnDiscord(t, owner, 'join', {}, t.sandbox.discordSeed.generalId)).toContain('member')
    const answer = await runOnSlack(t, alex, 'ban owner')
    expect(answer).toMatch(
      new RegExp(
        `^You are not allowed to ban owner \\(Discord ${owner}\\): they moderate Lightbulb Moment on Discord`,
      ),
    )
    expect(await isMember(owner)).toBe('joined')
  })

  it('names the Discord server’s owner the bridge never saw as Discord shows them, with the platform and id', async () => {
    const { owner } = t.sandbox.discordSeed.users
    const { alex } = t.sandbox.slackSeed.users
    // The owner never acted where the bridge sees: only Discord knows their name.
    expect(await runOnSlack(t, alex, `ban discord:${owner}`)).toMatch(
      new RegExp(
        `^You are not allowed to ban owner \\(Discord ${owner}\\): they moderate Lightbulb Moment on Discord`,
      ),
    )
    expect(await isMember(owner)).toBeUndefined()
  })

  it('refuses a Discord role moderator banning another holder of the role, and allows it once the role is gone', async () => {
    const { visitor, mark } = t.sandbox.discordSeed.users
    const { guildId, generalId } = t.sandbox.discordSeed
    const team = await control<any>(t.discordUrl, 'POST', `/guilds/${guildId}/roles`, {
      name: 'Community Team',
      permissions: '0',
    })
    for (const user of [visitor, mark])
      await control(t.discordUrl, 'PATCH', `/guilds/${guildId}/members/${user}`, { roles: [team.id] })
    expect(await runOnDiscord(t, visitor, 'join', {}, generalId)).toContain('member')
    expect(await runOnDiscord(t, mark, 'ban', { user: visitor }, generalId)).toMatch(
      new RegExp(
        `^You are not allowed to ban visitor \\(Discord ${visitor}\\): they moderate Lightbulb Moment on Discord`,
      ),
    )
    expect(await isMember(visitor)).toBe('joined')
    // The refusal is audited.
    const audit = await runOnDiscord(t, mark, 'audit', {}, generalId)
    expect(audit).toMatch(/refused: `mark` \(Discord\) tried \/ban/)

    await control(t.discordUrl, 'PATCH', `/guilds/${guildId}/members/${visitor}`, { roles: [] })
    expect(await runOnDiscord(t, mark, 'ban', { user: visitor }, generalId)).toMatch(/^Banned visitor/)
  })

  it('refuses a Slack workspace admin banning another admin', async () => {
    const { alex, guest } = t.sandbox.slackSeed.users
    await control(t.slackUrl, 'PATCH', `/users/${guest}`, { is_admin: true })
    expect(await runOnSlack(t, guest, 'join')).toContain('member')
    expect(await runOnSlack(t, alex, `ban <@${guest}>`)).toMatch(
      new RegExp(
        `^You are not allowed to ban guest \\(Slack ${guest}\\): they moderate Lightbulb Moment on Slack`,
      ),
    )
    expect(await isMember(guest)).toBe('joined')
  })
})
