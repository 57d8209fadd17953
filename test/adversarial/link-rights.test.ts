import { describe, expect, it } from 'vitest'
import { commandSet } from '../../commands/registry.ts'
import type { CommandAction, CommandContext } from '../../src/command/command.ts'
import type { Platform, PlatformActor } from '../../src/platform/platform.ts'
import { useCore } from '../support/core-fixture.ts'
import { alex, jo, lightbulb, mark, sam, visitor } from '../support/people.ts'
import { targetName } from '../support/test-database.ts'

/**
 * Attack 4: a link moved moderator rights. mark moderates (the configuration names his Discord
 * account); sam, a member on Slack, hands him a `/link` code. Entering it must not make sam's
 * account a moderator, nor may `/unlink` leave the role with sam and take it from mark. The code's
 * maker confirms with a button naming the entering account, both accounts hear of it, and link
 * and unlink are audited.
 *
 * Attack 5: a banned person's link bans the moderator. The merge keeps the stricter membership, so
 * linking a banned account to mark's would have banned mark and ended his role. An account banned
 * anywhere (by its membership, or by the mark its ban left when it was erased) cannot be linked:
 * making the code, entering it and confirming are each refused, with a one-line answer.
 */
describe(`a link neither gives nor takes moderator rights (${targetName})`, () => {
  const t = useCore()
  const told: { platform: Platform; platformUserId: string; text: string }[] = []

  const ctx = (actor: PlatformActor): CommandContext => ({
    core: t.core,
    community: { id: lightbulb.id, name: lightbulb.name },
    actor,
    platform: actor.platform,
    commandLine: (name) => (actor.platform === 'discord' ? `/${name}` : `/threadbridge ${name}`),
    tell: async (account, text) => {
      told.push({ ...account, text })
    },
  })
  const run = (actor: PlatformActor, name: string, args: Record<string, unknown> = {}) =>
    commandSet.run(name, args, ctx(actor))
  const codeOf = (text: string) => {
    const code = /code is ([A-Z0-9]+)/.exec(text)?.[1]
    if (code === undefined) throw new Error(`no code in: ${text}`)
    return code
  }
  const button = (actions: CommandAction[] | undefined, label: RegExp) => {
    const found = actions?.find((a) => label.test(a.label))
    if (found === undefined) throw new Error(`no ${label} button among ${JSON.stringify(actions)}`)
    return found
  }
  const memberOf = async (actor: PlatformActor) =>
    (
      await t.handle.db
        .selectFrom('identities')
        .select('member_id')
        .where('platform', '=', actor.platform)
        .where('platform_user_id', '=', actor.platformUserId)
        .executeTakeFirstOrThrow()
    ).member_id
  /** Whether `actor` may run a moderators' command here (our records only: no platform say-so). */
  const moderates = async (actor: PlatformActor) =>
    !(await run(actor, 'moderators')).text.startsWith('Only moderators')
  /** `maker` makes a code, `enterer` enters it; the maker's confirmation, not yet pressed. */
  const enter = async (maker: PlatformActor, enterer: PlatformActor) => {
    const code = codeOf((await run(maker, 'link')).text)
    const entered = await run(enterer, 'link', { code })
    const asked = await run(maker, 'link')
    return { entered, asked, confirm: button(asked.actions, /^Link/) }
  }

  it('asks the maker to confirm, naming the entering account; nothing is linked before', async () => {
    told.length = 0
    await t.core.memberships.join(lightbulb.id, sam)
    const { entered, asked, confirm } = await enter(sam, mark)
    expect(entered.text).toMatch(/confirm/i)
    expect(await memberOf(mark)).not.toBe(await memberOf(sam))
    // The maker reads which account entered their code: platform, name and id.
    expect(asked.text).toContain('Discord')
    expect(asked.text).toContain('mark')
    expect(asked.text).toContain(mark.platformUserId)
    expect(`${confirm.label} ${asked.text}`).toContain(mark.platformUserId)
    expect(
      told.some((m) => m.platformUserId === sam.platformUserId && m.text.includes(mark.platformUserId)),
    ).toBe(true)
    // Nobody but the maker can press it: not the one who entered the code.
    const refused = await commandSet.press(confirm.id, ctx(mark))
    expect(refused.replace).toBe(false)
    expect(await memberOf(mark)).not.toBe(await memberOf(sam))
  })

  it('a moderator entering a member’s code does not make the member a moderator', async () => {
    told.length = 0
    await t.core.memberships.join(lightbulb.id, sam)
    expect(await moderates(mark)).toBe(true)
    expect(await moderates(sam)).toBe(false)
    const { confirm } = await enter(sam, mark)
    const done = await commandSet.press(confirm.id, ctx(sam))
    expect(done.text).toMatch(/^Linked/)
    expect(await memberOf(mark)).toBe(await memberOf(sam))
    expect(await moderates(sam)).toBe(false)
    expect(await moderates(mark)).toBe(true)
    // Both accounts hear of it: the maker in the answer, the entering account privately.
    expect(told.some((m) => m.platformUserId === mark.platformUserId && /linked/i.test(m.text))).toBe(true)
    // sam cannot ban through the link either.
    await t.core.memberships.join(lightbulb.id, jo)
    expect((await run(sam, 'ban', { user: `slack:${alex.platformUserId}` })).text).toMatch(/^Only moderators/)
  })

  it('after /unlink the moderator keeps the role and the maker has none', async () => {
    await t.core.memberships.join(lightbulb.id, sam)
    const { confirm } = await enter(sam, mark)
    await commandSet.press(confirm.id, ctx(sam))
    expect((await run(sam, 'unlink')).text).toMatch(/^Unlinked/)
    expect(await memberOf(mark)).not.toBe(await memberOf(sam))
    expect(await moderates(mark)).toBe(true)
    expect(await moderates(sam)).toBe(false)
    expect((await t.core.memberships.get(lightbulb.id, sam))?.role).toBe('member')
    expect((await t.core.memberships.get(lightbulb.id, mark))?.role).toBe('moderator')
  })

  it('a member entering a moderator’s code gains nothing, and the moderator loses nothing', async () => {
    await t.core.memberships.join(lightbulb.id, alex)
    const code = codeOf((await run(mark, 'link')).text)
    await run(alex, 'link', { code })
    const asked = await run(mark, 'link')
    await commandSet.press(button(asked.actions, /^Link/).id, ctx(mark))
    expect(await memberOf(alex)).toBe(await memberOf(mark))
    expect(await moderates(alex)).toBe(false)
    expect(await moderates(mark)).toBe(true)
    await run(mark, 'unlink')
    expect(await moderates(alex)).toBe(false)
    expect(await moderates(mark)).toBe(true)
  })

  it('an appointment names one account: the linked one is not a moderator through it', async () => {
    await t.core.memberships.join(lightbulb.id, alex)
    await t.core.memberships.join(lightbulb.id, jo)
    const { confirm } = await enter(jo, alex)
    await commandSet.press(confirm.id, ctx(jo))
    expect(
      (await run(mark, 'moderators', { action: 'add', user: `slack:${alex.platformUserId}` })).text,
    ).toContain('now a moderator')
    expect(await moderates(alex)).toBe(true)
    expect(await moderates(jo)).toBe(false)
  })

  it('a refused confirmation links nothing, and the code cannot be entered again', async () => {
    await t.core.memberships.join(lightbulb.id, sam)
    const code = codeOf((await run(sam, 'link')).text)
    await run(mark, 'link', { code })
    const asked = await run(sam, 'link')
    const refuse = button(asked.actions, /^Refuse/)
    expect((await commandSet.press(refuse.id, ctx(sam))).text).toMatch(/nothing was linked/i)
    expect(await memberOf(mark)).not.toBe(await memberOf(sam))
    expect((await run(jo, 'link', { code })).text).toMatch(/already used/)
  })

  it('writes link and unlink to the audit, naming both accounts by platform and id', async () => {
    await t.core.memberships.join(lightbulb.id, sam)
    const { confirm } = await enter(sam, mark)
    await commandSet.press(confirm.id, ctx(sam))
    await run(sam, 'unlink')
    const audit = (await run(mark, 'audit')).text
    expect(audit).toMatch(/unlinked accounts/)
    expect(audit).toMatch(/linked accounts/)
    expect(audit).toContain(mark.platformUserId)
    expect(audit).toContain(sam.platformUserId)
  })

  /** mark still moderates lightbulb, is not banned, and is linked to nobody. */
  const markUntouched = async () => {
    expect(await moderates(mark)).toBe(true)
    expect(await t.core.memberships.get(lightbulb.id, mark)).toMatchObject({
      status: 'joined',
      role: 'moderator',
    })
    expect(await t.core.accountLinks.linkedTo(mark)).toBeUndefined()
  }
  /** One line, naming the ban, with nothing of a stack trace in it. */
  const refusedForBan = (text: string) => {
    expect(text).toMatch(/banned/i)
    expect(text).not.toMatch(/\n|Error|\bat /)
  }

  it('a banned person’s code, made before the ban, is refused to the moderator who enters it', async () => {
    await t.core.memberships.join(lightbulb.id, sam)
    const code = codeOf((await run(sam, 'link')).text)
    await t.core.memberships.ban(lightbulb.id, mark, sam)
    refusedForBan((await run(mark, 'link', { code })).text)
    expect(await t.core.accountLinks.waiting(sam)).toBeUndefined()
    await markUntouched()
    expect((await t.core.memberships.get(lightbulb.id, sam))?.status).toBe('banned')
    // Nor can the banned person make a new one.
    refusedForBan((await run(sam, 'link')).text)
  })

  it('a ban between entering and confirming refuses the confirmation', async () => {
    await t.core.memberships.join(lightbulb.id, sam)
    const { confirm } = await enter(sam, mark)
    await t.core.memberships.ban(lightbulb.id, mark, sam)
    refusedForBan((await commandSet.press(confirm.id, ctx(sam))).text)
    expect(await memberOf(mark)).not.toBe(await memberOf(sam))
    await markUntouched()
    expect((await t.core.memberships.get(lightbulb.id, sam))?.status).toBe('banned')
  })

  it('a ban in another community counts: the banned account cannot enter a moderator’s code', async () => {
    await t.core.applyConfig([
      lightbulb,
      {
        id: 'other',
        name: 'Other',
        discord: { guildId: '900000000000000009', channelId: '900000000000000010' },
        slack: { teamId: 'T0OTHER', channelId: 'C0OTHER' },
        moderators: [{ platform: 'discord', userId: visitor.platformUserId }],
      },
    ])
    await t.core.memberships.join(lightbulb.id, sam)
    await t.core.memberships.join('other', sam)
    await t.core.memberships.ban('other', visitor, sam)
    const code = codeOf((await run(mark, 'link')).text)
    refusedForBan((await run(sam, 'link', { code })).text)
    await markUntouched()
    expect((await t.core.memberships.get('other', sam))?.status).toBe('banned')
    expect((await t.core.memberships.get(lightbulb.id, sam))?.status).toBe('joined')
  })

  it('an account banned and then erased is still banned for linking: its ban mark counts', async () => {
    await t.core.memberships.join(lightbulb.id, sam)
    await t.core.memberships.ban(lightbulb.id, mark, sam)
    expect(await t.core.eraseMember(sam, lightbulb.id)).toBeDefined()
    // sam comes back, a stranger by every record but the ban mark.
    refusedForBan((await run(sam, 'link')).text)
    const code = codeOf((await run(mark, 'link')).text)
    refusedForBan((await run(sam, 'link', { code })).text)
    await markUntouched()
    expect(await t.core.memberships.isBanned(lightbulb.id, sam)).toBe(true)
  })
})
