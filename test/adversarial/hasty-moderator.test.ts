import { describe, expect, it } from 'vitest'
import { commandSet } from '../../commands/registry.ts'
import type { CommandContext } from '../../src/command/command.ts'
import type { PlatformActor } from '../../src/platform/platform.ts'
import { useCore } from '../support/core-fixture.ts'
import { alex, jo, lightbulb, mark, sam } from '../support/people.ts'
import { targetName } from '../support/test-database.ts'

/**
 * Traps a hasty moderator falls into: `/threadbridge ban <@Ubot>` banned the bridge's own Slack
 * account (and `moderators add` after an unban made it a moderator); `/ban user: account:` acted
 * on the user and silently dropped the account; `/discuss title: "\u200b"` made a discussion
 * nobody can see the title of; on a deleted discussion `/lock` said "already locked" while
 * `/unlock` said "deleted". Each is refused, or answered alike, in one line.
 */
describe(`a hasty moderator is stopped in one line (${targetName})`, () => {
  const t = useCore()

  const BOT = {
    slack: { platform: 'slack', platformUserId: 'U0BRIDGEBOT', displayName: 'Threadbridge' },
    discord: { platform: 'discord', platformUserId: '100000000000000900', displayName: 'Threadbridge' },
  } as const satisfies Record<string, PlatformActor>

  const ctx = (actor: PlatformActor): CommandContext => ({
    core: t.core,
    community: { id: lightbulb.id, name: lightbulb.name },
    actor,
    platform: actor.platform,
    commandLine: (name) => (actor.platform === 'discord' ? `/${name}` : `/threadbridge ${name}`),
    platformModerator: actor === alex,
    isBridgeAccount: async (account) =>
      Object.values(BOT).some(
        (bot) => bot.platform === account.platform && bot.platformUserId === account.platformUserId,
      ),
  })
  const run = async (actor: PlatformActor, name: string, args: Record<string, unknown>) =>
    (await commandSet.run(name, args, ctx(actor))).text
  const oneLine = (text: string) => expect(text).not.toMatch(/\n|Error|\bat /)
  const status = async (actor: PlatformActor) => (await t.core.memberships.get(lightbulb.id, actor))?.status

  it.each([
    ['Slack', alex, { user: `<@${BOT.slack.platformUserId}>` }, BOT.slack],
    ['Slack', alex, { user: `discord:${BOT.discord.platformUserId}` }, BOT.discord],
    ['Discord', mark, { user: `<@${BOT.discord.platformUserId}>` }, BOT.discord],
    ['Discord', mark, { account: `slack:${BOT.slack.platformUserId}` }, BOT.slack],
  ] as const)(
    'on %s, ban, unban and moderators refuse the bridge’s own account',
    async (_, moderator, who, bot) => {
      await t.core.memberships.join(lightbulb.id, bot)
      for (const [command, args] of [
        ['ban', who],
        ['unban', who],
        ['moderators', { action: 'add', ...who }],
        ['moderators', { action: 'remove', ...who }],
      ] as const) {
        const answer = await run(moderator, command, args)
        expect(answer).toMatch(/Threadbridge's own account/)
        oneLine(answer)
      }
      expect(await status(bot)).toBe('joined')
      expect(await t.core.moderators.moderates(lightbulb.id, bot)).toBe(false)
    },
  )

  it('refuses a person given both as user: and as account:, acting on neither', async () => {
    await t.core.memberships.join(lightbulb.id, jo)
    await t.core.memberships.join(lightbulb.id, sam)
    const both = { user: `<@${jo.platformUserId}>`, account: `slack:${sam.platformUserId}` }
    for (const [command, args] of [
      ['ban', both],
      ['unban', both],
      ['moderators', { action: 'add', ...both }],
    ] as const) {
      const answer = await run(mark, command, args)
      expect(answer).toMatch(/not both/)
      oneLine(answer)
    }
    expect(await status(jo)).toBe('joined')
    expect(await status(sam)).toBe('joined')
    expect(await t.core.moderators.moderates(lightbulb.id, jo)).toBe(false)
    expect(await t.core.moderators.moderates(lightbulb.id, sam)).toBe(false)
  })

  it.each(['\u200b', '\u200b\u200d\u2060', '\u3164', ' \u115f\u1160 ', '\ufeff', '\u2800', '\u00ad'])(
    'refuses a title that shows nothing (%j) on either platform',
    async (title) => {
      await t.core.memberships.join(lightbulb.id, jo)
      await t.core.memberships.join(lightbulb.id, sam)
      for (const author of [jo, sam]) {
        const answer = await run(author, 'discuss', { title, body: 'hello' })
        expect(answer).toMatch(/title/i)
        expect(answer).not.toMatch(/^Started/)
        oneLine(answer)
      }
      expect(await t.handle.db.selectFrom('discussions').select('id').execute()).toEqual([])
    },
  )

  it('says a deleted discussion was deleted, to lock and to unlock alike', async () => {
    await t.core.memberships.join(lightbulb.id, jo)
    const discussion = await t.core.discussions.start({
      communityId: lightbulb.id,
      author: jo,
      title: 'Gone soon',
      body: 'hello',
      format: 'plain',
    })
    await t.core.discussions.delete({ discussionId: discussion.id, actor: mark })
    for (const command of ['lock', 'unlock']) {
      const answer = await run(mark, command, { discussion: String(discussion.number) })
      expect(answer, command).toMatch(/deleted/)
      expect(answer, command).not.toMatch(/already/)
      oneLine(answer)
    }
  })
})
