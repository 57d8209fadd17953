import { describe, expect, it } from 'vitest'
import { eventually, useBridge } from '../support/bridge-harness.ts'
import { control } from '../support/control.ts'
import { runOnDiscord, runOnSlack } from '../support/run-command.ts'

/**
 * Rights that come from the platforms, as configured, checked when the command runs and never
 * only at start: a Discord role, Manage Messages in the bridged channel, a Slack workspace role.
 * Real discord.js and Bolt against the sandbox, on the real database.
 */
describe('moderator rights from the platforms, checked when the command runs', () => {
  describe('on Discord, by role', () => {
    // mark moderates by his Discord role alone: the configuration names the role, not him.
    const t = useBridge({
      community: (seeded, sandbox) => ({
        ...seeded,
        discord: {
          guildId: sandbox.discordSeed.guildId,
          channelId: sandbox.discordSeed.forumId,
          moderatorRoles: [sandbox.discordSeed.moderatorRoleId, 'Community Team'],
        },
        moderators: [{ platform: 'slack', userId: sandbox.slackSeed.users.alex }],
      }),
    })
    const refused = (command: string) => `Only moderators of Lightbulb Moment can run /${command}.`

    it('refuses a moderator whose role was removed after start-up, and audits the attempt', async () => {
      const { mark, jo } = t.sandbox.discordSeed.users
      const { guildId } = t.sandbox.discordSeed
      expect(await runOnDiscord(t, mark, 'ban', { user: jo, reason: 'spam' })).toBe(
        `Banned jo (Discord ${jo}) from Lightbulb Moment: what they post is no longer mirrored. They are no longer a member: lifting the ban lets them join again.`,
      )
      // An admin takes mark's Moderators role away while the bot runs.
      await control(t.discordUrl, 'PATCH', `/guilds/${guildId}/members/${mark}`, { roles: [] })
      expect(await runOnDiscord(t, mark, 'unban', { user: jo })).toBe(refused('unban'))
      expect(await runOnDiscord(t, mark, 'lock', { discussion: '1' })).toBe(refused('lock'))

      const log = (await runOnSlack(t, t.sandbox.slackSeed.users.alex, 'audit')) ?? ''
      expect(log.split('\n')).toEqual([
        'Moderator actions in Lightbulb Moment, newest first:',
        expect.stringMatching(
          /^\d{4}-\d\d-\d\d \d\d:\d\d UTC · refused: `mark` \(Discord\) tried the lock command$/,
        ),
        expect.stringMatching(/ · refused: `mark` \(Discord\) tried the unban command$/),
        expect.stringMatching(/ · `mark`: banned `jo` \(`spam`\)$/),
      ])
    })

    it('counts a configured role without any Manage right, by name, while it is held', async () => {
      const { visitor, jo } = t.sandbox.discordSeed.users
      const { guildId } = t.sandbox.discordSeed
      expect(await runOnDiscord(t, visitor, 'ban', { user: jo })).toBe(refused('ban'))
      const team = await control(t.discordUrl, 'POST', `/guilds/${guildId}/roles`, {
        name: 'Community Team',
        permissions: '0',
      })
      await control(t.discordUrl, 'PATCH', `/guilds/${guildId}/members/${visitor}`, { roles: [team.id] })
      // The role reaches the bot's cache by the gateway; the interaction names it by id.
      await eventually(
        () => runOnDiscord(t, visitor, 'ban', { user: jo }),
        (answer) =>
          answer ===
          `Banned jo (Discord ${jo}) from Lightbulb Moment: what they post is no longer mirrored. They are no longer a member: lifting the ban lets them join again.`,
      )
      await control(t.discordUrl, 'PATCH', `/guilds/${guildId}/members/${visitor}`, { roles: [] })
      expect(await runOnDiscord(t, visitor, 'unban', { user: jo })).toBe(refused('unban'))
    })
  })

  describe('on Slack, workspace admins and owners where configured', () => {
    const t = useBridge({
      community: (seeded, sandbox) => ({
        ...seeded,
        slack: {
          teamId: sandbox.slackSeed.teamId,
          channelId: sandbox.slackSeed.channelId,
          workspaceAdminsModerate: true,
        },
        moderators: [{ platform: 'discord', userId: sandbox.discordSeed.users.mark }],
      }),
    })

    it('lets an admin moderate while Slack says they are one, and the owner', async () => {
      const { guest, alex, sam } = t.sandbox.slackSeed.users
      const refused = 'Only moderators of Lightbulb Moment can run /threadbridge ban.'
      expect(await runOnSlack(t, guest, 'ban sam')).toBe(refused)
      await control(t.slackUrl, 'PATCH', `/users/${guest}`, { is_admin: true })
      expect(await runOnSlack(t, guest, 'ban sam')).toBe(
        `Banned sam (Slack ${sam}) from Lightbulb Moment: what they post is no longer mirrored. They are no longer a member: lifting the ban lets them join again.`,
      )
      await control(t.slackUrl, 'PATCH', `/users/${guest}`, { is_admin: false })
      expect(await runOnSlack(t, guest, `unban <@${sam}>`)).toBe(
        'Only moderators of Lightbulb Moment can run /threadbridge unban.',
      )
      // alex owns the workspace: an owner moderates, without being named anywhere.
      expect(await runOnSlack(t, alex, `unban <@${sam}>`)).toBe(
        `Lifted the ban on sam (Slack ${sam}): they may join Lightbulb Moment again.`,
      )
    })
  })
})
