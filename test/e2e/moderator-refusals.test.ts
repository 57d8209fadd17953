import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { COMMANDS } from '../../commands/registry.ts'
import { useBridge } from '../support/bridge-harness.ts'
import { control } from '../support/control.ts'
import { runOnDiscord, runOnSlack } from '../support/run-command.ts'

/**
 * Every moderators' command, whatever it is and whatever comes after it, is refused to someone
 * who moderates nothing, on both platforms, before anything else happens; and each refusal is in
 * the audit. The list comes from the registry, so a command added later is covered too.
 */
describe('moderators’ commands refused to everyone else (real clients, sandbox, real database)', () => {
  const t = useBridge()
  const moderatorsOnly = COMMANDS.filter((c) => c.who === 'moderators').map((c) => c.name)
  /** Discord's client insists on required options: a value of the right kind for each. */
  const requiredOptions = (name: string, person: string) => {
    const shape = COMMANDS.find((c) => c.name === name)?.args.shape ?? {}
    return Object.fromEntries(
      Object.entries(shape)
        .filter(([, schema]) => !(schema as z.ZodType).safeParse(undefined).success)
        .map(([option, schema]) => {
          const kind = ((schema as z.ZodType).meta() as { kind?: string } | undefined)?.kind
          if (kind === 'person') return [option, person]
          return [option, schema instanceof z.ZodEnum ? String(schema.options[0]) : '1']
        }),
    )
  }

  it('refuses each of them on Discord and on Slack, privately, and audits every attempt', async () => {
    expect(moderatorsOnly).toEqual(
      expect.arrayContaining(['lock', 'unlock', 'ban', 'unban', 'audit', 'bridge']),
    )
    // visitor: a member without any Discord right in the bridged channel.
    const { visitor } = t.sandbox.discordSeed.users
    const { sam } = t.sandbox.slackSeed.users
    for (const name of moderatorsOnly) {
      expect(
        await runOnDiscord(t, visitor, name, requiredOptions(name, t.sandbox.discordSeed.users.jo)),
      ).toBe(`Only moderators of Lightbulb Moment can run /${name}.`)
      expect(await runOnSlack(t, sam, `${name} 1 because`)).toBe(
        `Only moderators of Lightbulb Moment can run /threadbridge ${name}.`,
      )
    }
    const refusals = await t.database.db
      .selectFrom('moderation_actions')
      .select(['action', 'actor_platform', 'outcome'])
      .orderBy('created_at')
      .orderBy('id')
      .execute()
    expect(refusals).toHaveLength(moderatorsOnly.length * 2)
    expect(new Set(refusals.map((r) => r.outcome))).toEqual(new Set(['refused']))
    expect(refusals.map((r) => r.action).sort()).toEqual([...moderatorsOnly, ...moderatorsOnly].sort())
  })

  it('refuses a banned person every moderators’ command, whatever rights their platform gives them', async () => {
    const { jo, mark } = t.sandbox.discordSeed.users
    const { alex } = t.sandbox.slackSeed.users
    // A moderator is not banned while a moderator: mark is one by the configuration, and by
    // Discord's Moderators role, which the ban asks Discord about.
    expect(await runOnSlack(t, alex, 'ban mark')).toMatch(
      new RegExp(
        `^You are not allowed to ban mark \\(Discord ${mark}\\): they moderate Lightbulb Moment on Discord`,
      ),
    )
    expect(await runOnDiscord(t, mark, 'ban', { user: jo, reason: 'testing' })).toMatch(
      /^Banned jo \(Discord \d+\) from Lightbulb Moment/,
    )
    expect(await runOnDiscord(t, mark, 'ban', { user: jo })).toBe(
      `jo (Discord ${jo}) is already banned from Lightbulb Moment.`,
    )
    // Banned, then given Discord's Moderators role (Manage Messages): Discord says she moderates; she may not.
    const { guildId, moderatorRoleId } = t.sandbox.discordSeed
    await control(t.discordUrl, 'PATCH', `/guilds/${guildId}/members/${jo}`, { roles: [moderatorRoleId] })
    expect(await runOnDiscord(t, jo, 'unban', { user: jo })).toBe(
      'You are banned from Lightbulb Moment, so you cannot run /unban.',
    )
    expect(await runOnDiscord(t, jo, 'lock', { discussion: '1' })).toBe(
      'You are banned from Lightbulb Moment, so you cannot run /lock.',
    )
    expect(
      (
        await t.core.memberships.get(t.sandbox.community.id, {
          platform: 'discord',
          platformUserId: jo,
          displayName: 'jo',
        })
      )?.status,
    ).toBe('banned')
  })
})
