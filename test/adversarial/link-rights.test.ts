import { describe, expect, it } from 'vitest'
import { commandSet } from '../../commands/registry.ts'
import type { CommandAction, CommandContext } from '../../src/command/command.ts'
import type { Platform, PlatformActor } from '../../src/platform/platform.ts'
import { useCore } from '../support/core-fixture.ts'
import { alex, jo, lightbulb, mark, sam } from '../support/people.ts'
import { targetName } from '../support/test-database.ts'

/**
 * Attack 4: a link moved moderator rights. mark moderates (the configuration names his Discord
 * account); sam, a member on Slack, hands him a `/link` code. Entering it must not make sam's
 * account a moderator, nor may `/unlink` leave the role with sam and take it from mark. The code's
 * maker confirms with a button naming the entering account, both accounts hear of it, and link
 * and unlink are audited.
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
})
