import { describe, expect, it } from 'vitest'
import { commandSet } from '../../commands/registry.ts'
import type { CommandContext } from '../../src/command/command.ts'
import type { PlatformActor } from '../../src/platform/platform.ts'
import { useCore } from '../support/core-fixture.ts'
import { jo, lightbulb, mark, sam } from '../support/people.ts'
import { targetName } from '../support/test-database.ts'

/**
 * The attack: anyone, member or not, runs a moderators' command again and again. Each refusal was
 * one audit row, so a script filled the audit (and the database) without limit and pushed the
 * moderators' real actions pages back. Refusals are now one row per person, command and hour, with
 * a count, and /audit says how many times.
 */
describe(`refused attempts cannot flood the audit (${targetName})`, () => {
  const t = useCore()
  const ctx = (actor: PlatformActor): CommandContext => ({
    core: t.core,
    community: { id: lightbulb.id, name: lightbulb.name },
    actor,
    platform: actor.platform,
    commandLine: (name) => (actor.platform === 'discord' ? `/${name}` : `/threadbridge ${name}`),
  })
  const rows = async () =>
    (
      await t.handle.db
        .selectFrom('moderation_actions')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .executeTakeFirstOrThrow()
    ).n

  it('merges a person’s refusals of one command within an hour into one counted entry', async () => {
    t.clock.set('2026-11-25T09:00:00.000Z')
    for (let i = 0; i < 120; i++) {
      const answer = await commandSet.run('audit', {}, ctx(jo))
      expect(answer.text).toBe(`Only moderators of ${lightbulb.name} can run /audit.`)
      t.clock.advance(20_000) // 120 tries over the 40 minutes from 09:00
    }
    expect(Number(await rows())).toBe(1)

    // Another command, another person, another hour: each its own entry.
    await commandSet.run('ban', { person: 'mark' }, ctx(jo))
    t.clock.advance(1000)
    await commandSet.run('audit', {}, ctx(sam))
    t.clock.set('2026-11-25T10:00:00.000Z')
    await commandSet.run('audit', {}, ctx(jo))
    await commandSet.run('audit', {}, ctx(jo))
    expect(Number(await rows())).toBe(4)

    const { text } = await commandSet.run('audit', {}, ctx(mark))
    expect(text.split('\n').slice(1)).toEqual([
      '2026-11-25 10:00 UTC · refused: `jo` (Discord) tried /audit, 2 times in that hour',
      '2026-11-25 09:40 UTC · refused: `sam` (Slack) tried the audit command',
      '2026-11-25 09:40 UTC · refused: `jo` (Discord) tried /ban',
      '2026-11-25 09:00 UTC · refused: `jo` (Discord) tried /audit, 120 times in that hour',
    ])
  })
})
