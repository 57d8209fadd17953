import { describe, expect, it } from 'vitest'
import { CONFIRM_WINDOW_MS } from '../../commands/forget-me.ts'
import { commandSet } from '../../commands/registry.ts'
import type { CommandContext } from '../../src/command/command.ts'
import type { PlatformActor } from '../../src/platform/platform.ts'
import { useCore } from '../support/core-fixture.ts'
import { jo, lightbulb, mark, sam } from '../support/people.ts'
import { targetName } from '../support/test-database.ts'

/**
 * `/forget-me`'s question and its buttons, as the command set answers them, on the real database:
 * the buttons' ids are all a press brings back, so they are what must not let anyone erase
 * someone else, or erase with a confirmation left lying around.
 */
describe(`forget-me, the command (${targetName})`, () => {
  const t = useCore()

  const ctx = (actor: PlatformActor): CommandContext => ({
    core: t.core,
    community: { id: lightbulb.id, name: lightbulb.name },
    actor,
    platform: actor.platform,
    commandLine: (name) => (actor.platform === 'discord' ? `/${name}` : `/threadbridge ${name}`),
  })
  const ask = async (actor: PlatformActor) => {
    const result = await commandSet.run('forget-me', {}, ctx(actor))
    const [erase, cancel] = result.actions ?? []
    if (erase === undefined || cancel === undefined) throw new Error(`no buttons in: ${result.text}`)
    return { result, erase, cancel }
  }
  const exists = async (actor: PlatformActor) =>
    (await t.handle.db
      .selectFrom('identities')
      .select('member_id')
      .where('platform_user_id', '=', actor.platformUserId)
      .executeTakeFirst()) !== undefined

  it('asks first, with a danger Erase me and a Cancel; asking changes nothing', async () => {
    await t.core.memberships.join(lightbulb.id, jo)
    await t.core.discussions.start({
      communityId: lightbulb.id,
      author: jo,
      title: 'T',
      body: 'B',
      format: 'plain',
    })
    const { result, erase, cancel } = await ask(jo)
    // What they have none of goes unsaid, and so does the platform they have no account on.
    expect(result.text).toContain('Your 1 discussion becomes a tombstone')
    expect(result.text).not.toContain('0 replies')
    expect(result.text).toContain('wrote directly on Discord')
    expect(result.text).not.toContain('on Slack stay')
    expect(erase).toMatchObject({ label: 'Erase me', danger: true })
    expect(erase.id.length).toBeLessThanOrEqual(100)
    expect(cancel).toMatchObject({ label: 'Cancel' })
    expect(cancel.danger).toBeUndefined()
    expect(await exists(jo)).toBe(true)
  })

  it('warns that a ban outlives the erasure, to anyone asking, banned or not', async () => {
    // Said to everyone: true for all (a ban stays only if there is one), it needs no lookup, and
    // it still holds for a ban placed between the question and the press.
    const banStays = /If you are banned from a community, that ban stays: .*keyed fingerprint/
    await t.core.memberships.join(lightbulb.id, jo)
    await t.core.memberships.join(lightbulb.id, sam)
    await t.core.memberships.ban(lightbulb.id, mark, sam)
    expect((await ask(sam)).result.text).toMatch(banStays)
    expect((await ask(jo)).result.text).toMatch(banStays)
  })

  it('refuses anyone but the person who asked, without touching their question', async () => {
    await t.core.memberships.join(lightbulb.id, jo)
    const { erase } = await ask(jo)
    const refused = await commandSet.press(erase.id, ctx(sam))
    expect(refused).toEqual({
      text: 'Only the person who ran /threadbridge forget-me can answer it. Nothing was changed.',
      replace: false,
    })
    // The same id on the other platform is another account, even when the id string matches.
    const twin = { ...jo, platform: 'slack' as const }
    expect((await commandSet.press(erase.id, ctx(twin))).replace).toBe(false)
    expect(await exists(jo)).toBe(true)
  })

  it('refuses an expired confirmation and a made-up button, and erases on a fresh one', async () => {
    await t.core.memberships.join(lightbulb.id, jo)
    const { erase } = await ask(jo)
    t.clock.advance(CONFIRM_WINDOW_MS + 1)
    expect((await commandSet.press(erase.id, ctx(jo))).text).toBe(
      'This confirmation has expired: nothing was erased. Run /forget-me again if you still want to be erased.',
    )
    expect((await commandSet.press('command:forget-me:erase:discord', ctx(jo))).text).toBe(
      'Only the person who ran /forget-me can answer it. Nothing was changed.',
    )
    expect((await commandSet.press('command:nothing:here', ctx(jo))).text).toBe(
      'That button is no longer valid.',
    )
    expect(await exists(jo)).toBe(true)

    const fresh = await ask(jo)
    expect((await commandSet.press(fresh.erase.id, ctx(jo))).text).toBe(
      'Erased: you had written nothing to turn into tombstones; your accounts, preferences and subscriptions are gone.',
    )
    expect(await exists(jo)).toBe(false)
  })

  it('tells someone it holds nothing of so, with no buttons, and stores nothing about them', async () => {
    expect(await commandSet.run('forget-me', {}, ctx(sam))).toEqual({
      text: 'Threadbridge holds nothing about you, so there is nothing to erase.',
    })
    expect(await exists(sam)).toBe(false)
  })
})
