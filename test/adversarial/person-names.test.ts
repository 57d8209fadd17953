import { describe, expect, it } from 'vitest'
import { commandSet } from '../../commands/registry.ts'
import type { CommandContext } from '../../src/command/command.ts'
import type { PlatformActor } from '../../src/platform/platform.ts'
import { useCore } from '../support/core-fixture.ts'
import { alex, jo, lightbulb, mark, sam } from '../support/people.ts'
import { targetName } from '../support/test-database.ts'

/**
 * Attack 5: moderators named people by display name, and the name found whoever last chose it, on
 * either platform; a Discord id typed on Slack named a phantom Slack account. A name now finds
 * only members of this community and asks when several match; ids are taken as `<@U…>`,
 * `slack:<id>` or `discord:<id>`, checked against the platform's id shape; every answer names
 * the platform and the id.
 */
describe(`moderators name people by id, and a name finds one member of this community (${targetName})`, () => {
  const t = useCore()

  /** A Slack workspace admin moderating by the platform's say-so, as the Slack adapter passes it. */
  const onSlack = (actor: PlatformActor): CommandContext => ({
    core: t.core,
    community: { id: lightbulb.id, name: lightbulb.name },
    actor,
    platform: 'slack',
    commandLine: (name) => `/threadbridge ${name}`,
    platformModerator: true,
  })
  const onDiscord = (actor: PlatformActor): CommandContext => ({
    core: t.core,
    community: { id: lightbulb.id, name: lightbulb.name },
    actor,
    platform: 'discord',
    commandLine: (name) => `/${name}`,
  })
  const status = async (actor: PlatformActor) => (await t.core.memberships.get(lightbulb.id, actor))?.status
  const accountExists = async (platform: string, id: string) =>
    (await t.handle.db
      .selectFrom('identities')
      .select('member_id')
      .where('platform', '=', platform as 'slack')
      .where('platform_user_id', '=', id)
      .executeTakeFirst()) !== undefined

  /** A Slack account called "jo" who never joined: seen (a reaction, a command), not a member. */
  const slackJo: PlatformActor = { platform: 'slack', platformUserId: 'U0JOJOJOJO', displayName: 'jo' }

  it('a bare name finds the member of this community, not whoever last took the name', async () => {
    await t.core.memberships.join(lightbulb.id, jo)
    await t.core.memberships.get(lightbulb.id, slackJo) // seen, most recently, never joined
    const answer = await commandSet.run('ban', { user: 'jo' }, onSlack(alex))
    expect(answer.text).toContain(`jo (Discord ${jo.platformUserId})`)
    expect(await status(jo)).toBe('banned')
    expect(await status(slackJo)).toBeUndefined()
  })

  it('when several members share the name, asks which one, listing platform and id', async () => {
    await t.core.memberships.join(lightbulb.id, jo)
    await t.core.memberships.join(lightbulb.id, slackJo)
    const answer = await commandSet.run('ban', { user: '@jo' }, onSlack(alex))
    expect(answer.text).toContain(`discord:${jo.platformUserId}`)
    expect(answer.text).toContain(`slack:${slackJo.platformUserId}`)
    expect(await status(jo)).toBe('joined')
    expect(await status(slackJo)).toBe('joined')
  })

  it('takes discord:<id> on Slack, and names the platform and the id', async () => {
    await t.core.memberships.join(lightbulb.id, jo)
    const answer = await commandSet.run('ban', { user: `discord:${jo.platformUserId}` }, onSlack(alex))
    expect(answer.text).toBe(
      `Banned jo (Discord ${jo.platformUserId}) from ${lightbulb.name}: what they post is no longer mirrored. They are no longer a member: lifting the ban lets them join again.`,
    )
    expect(await status(jo)).toBe('banned')
    expect(
      (await commandSet.run('unban', { user: `discord:${jo.platformUserId}` }, onSlack(alex))).text,
    ).toContain(`jo (Discord ${jo.platformUserId})`)
  })

  it('a Discord id typed on Slack bans no phantom Slack account', async () => {
    const answer = await commandSet.run('ban', { user: '100000000000000099' }, onSlack(alex))
    expect(answer.text).toContain('discord:100000000000000099')
    expect(await accountExists('slack', '100000000000000099')).toBe(false)
    expect(await accountExists('discord', '100000000000000099')).toBe(false)
    // Nor as a mention: Slack never escapes a Discord id.
    await commandSet.run('ban', { user: '<@100000000000000099>' }, onSlack(alex))
    expect(await accountExists('slack', '100000000000000099')).toBe(false)
  })

  it('takes a Slack mention as Slack escapes it, <@U…|name>, and names platform and id', async () => {
    await t.core.memberships.join(lightbulb.id, sam)
    const answer = await commandSet.run('ban', { user: `<@${sam.platformUserId}|sam>` }, onSlack(alex))
    expect(answer.text).toContain(`sam (Slack ${sam.platformUserId})`)
    expect(await status(sam)).toBe('banned')
  })

  it('a name of nobody in this community finds nobody, and says how to name them', async () => {
    await t.core.memberships.get(lightbulb.id, slackJo)
    const answer = await commandSet.run('ban', { user: 'jo' }, onSlack(alex))
    expect(answer.text).toMatch(/^No member of Lightbulb Moment is called "jo"/)
    expect(answer.text).toContain('slack:<id>')
    expect(await status(slackJo)).toBeUndefined()
  })

  it('on Discord, names a Slack person through account: slack:<id>, for moderators add', async () => {
    await t.core.memberships.join(lightbulb.id, sam)
    const answer = await commandSet.run(
      'moderators',
      { action: 'add', account: `slack:${sam.platformUserId}` },
      onDiscord(mark),
    )
    expect(answer.text).toContain(`sam (Slack ${sam.platformUserId}) is now a moderator`)
    expect(await t.core.moderators.moderates(lightbulb.id, sam)).toBe(true)
  })

  it('names an account the bridge never saw as its platform shows it, escaped, with the platform and id', async () => {
    // The Discord server's owner has never acted where the bridge sees: only Discord knows them.
    const owner = '100000000000000042'
    const lookUpName: CommandContext['lookUpName'] = async ({ platform, kind, id }) =>
      platform === 'discord' && kind === 'person' && id === owner ? '**owner** @everyone' : undefined
    const onSlackAnswer = await commandSet.run(
      'ban',
      { user: `discord:${owner}` },
      { ...onSlack(alex), lookUpName },
    )
    // On Slack too the name is shown as words: look-alike stars, a joiner inside the broadcast word.
    expect(onSlackAnswer.text).toBe(
      `Banned ∗∗owner∗∗ @\u2060everyone (Discord ${owner}) from ${lightbulb.name}: what they post is no longer mirrored. They are no longer a member: lifting the ban lets them join again.`,
    )
    // On Discord the command escapes the name itself: no bold, no broadcast word.
    const onDiscordAnswer = await commandSet.run(
      'unban',
      { account: `discord:${owner}` },
      { ...onDiscord(mark), lookUpName },
    )
    expect(onDiscordAnswer.text).toBe(
      `Lifted the ban on \\*\\*owner\\*\\* @\u2060everyone (Discord ${owner}): they may join ${lightbulb.name} again.`,
    )
    // Nobody knows the name: the account is named by its platform and id, once.
    const nobody = '100000000000000043'
    expect(
      (await commandSet.run('ban', { user: `discord:${nobody}` }, { ...onSlack(alex), lookUpName })).text,
    ).toMatch(new RegExp(`^Banned Discord account ${nobody} from `))
  })

  it('names the bridged channels in /bridge as the reader’s platform shows them, a hostile name as words', async () => {
    const lookUpName: CommandContext['lookUpName'] = async ({ platform, kind }) =>
      kind !== 'channel' ? undefined : platform === 'slack' ? '*ideas*_@here' : 'discussions'
    const { discord, slack } = lightbulb
    const onDiscordAnswer = await commandSet.run('bridge', {}, { ...onDiscord(mark), lookUpName })
    expect(onDiscordAnswer.text.split('\n')[0]).toBe(
      `Lightbulb Moment is bridged to the Discord channel <#${discord.channelId}> and the Slack channel #\\*ideas\\*\\_@\u2060here (${slack.channelId}).`,
    )
    // Shown as words on Slack: no formatting, no broadcast, whatever the adapter does after.
    const onSlackAnswer = await commandSet.run('bridge', {}, { ...onSlack(alex), lookUpName })
    expect(onSlackAnswer.text.split('\n')[0]).toBe(
      `Lightbulb Moment is bridged to the Discord channel #discussions (${discord.channelId}) and the Slack channel #∗ideas∗ˍ@\u2060here (${slack.channelId}).`,
    )
    // A platform that cannot say leaves the id.
    const unnamed = await commandSet.run('bridge', {}, onSlack(alex))
    expect(unnamed.text.split('\n')[0]).toBe(
      `Lightbulb Moment is bridged to the Discord channel ${discord.channelId} and the Slack channel ${slack.channelId}.`,
    )
  })
})
