import { beforeEach, describe, expect, it } from 'vitest'
import { commandSet } from '../../commands/registry.ts'
import type { CommandContext } from '../../src/command/command.ts'
import { OutboxQueue } from '../../src/mirror/outbox-queue.ts'
import type { PlatformActor } from '../../src/platform/platform.ts'
import { useCore } from '../support/core-fixture.ts'
import { jo, lightbulb, mark, sam } from '../support/people.ts'
import { targetName } from '../support/test-database.ts'

/**
 * `/bridge pause` and `/bridge resume`, as the command set runs them on the real database: a
 * moderator stops all mirroring of one discussion, or of the whole community, and starts it again;
 * what was queued meanwhile waits, in order, and is not lost. Rights are checked when it runs.
 */
describe(`/bridge pause and resume (${targetName})`, () => {
  const t = useCore()
  let queue: OutboxQueue

  const ctx = (actor: PlatformActor): CommandContext => ({
    core: t.core,
    community: { id: lightbulb.id, name: lightbulb.name },
    actor,
    platform: actor.platform,
    commandLine: (name) => (actor.platform === 'discord' ? `/${name}` : `/threadbridge ${name}`),
  })
  const bridge = async (actor: PlatformActor, args: Record<string, unknown>) =>
    (await commandSet.run('bridge', args, ctx(actor))).text
  /** Claims and completes what is claimable now; returns the discussions of the jobs taken. */
  const takeAll = async () => {
    const taken: (string | null)[] = []
    for (;;) {
      const jobs = await queue.claim(10)
      if (jobs.length === 0) return taken
      for (const job of jobs) {
        taken.push(job.discussionId)
        await queue.complete(job)
      }
    }
  }
  const start = (title: string) =>
    t.core.discussions.start({ communityId: lightbulb.id, author: jo, title, body: 'Body', format: 'plain' })
  const reply = (discussionId: string) =>
    t.core.replies.post({ discussionId, parentReplyId: null, author: sam, body: 'Hi', format: 'plain' })
  const audit = () =>
    t.handle.db
      .selectFrom('moderation_actions')
      .select(['action', 'target_discussion_id', 'outcome'])
      .orderBy('created_at')
      .execute()

  beforeEach(async () => {
    await t.core.memberships.join(lightbulb.id, jo)
    await t.core.memberships.join(lightbulb.id, sam)
    queue = new OutboxQueue(t.handle.db, t.clock)
    await takeAll()
  })

  it('pauses the whole community: nothing is mirrored, everything waits; resume mirrors it, in order', async () => {
    expect(await bridge(mark, { action: 'pause' })).toBe(
      'Paused mirroring of all of Lightbulb Moment: changes are kept and wait, and cross when mirroring is resumed.',
    )
    const first = await start('First')
    t.clock.advance(1000)
    await reply(first.id)
    expect(await takeAll()).toEqual([])
    expect(await queue.nextAvailableAt()).toBeUndefined()
    expect(await bridge(mark, {})).toContain('Mirroring is paused for the whole community, since')
    expect(await bridge(mark, { action: 'pause' })).toBe(
      'Mirroring of all of Lightbulb Moment is already paused.',
    )

    t.clock.advance(1000)
    expect(await bridge(mark, { action: 'resume' })).toBe(
      'Resumed mirroring of all of Lightbulb Moment: what waited is being mirrored now.',
    )
    expect(await takeAll()).toEqual([first.id, first.id])
    expect(await bridge(mark, {})).not.toContain('paused')
    expect(await audit()).toEqual([
      { action: 'pause_mirroring', target_discussion_id: null, outcome: 'done' },
      { action: 'resume_mirroring', target_discussion_id: null, outcome: 'done' },
    ])
  })

  it('pauses one discussion: the others are mirrored meanwhile', async () => {
    const quiet = await start('Quiet')
    const busy = await start('Busy')
    await takeAll()
    expect(await bridge(mark, { action: 'pause', discussion: String(quiet.number) })).toBe(
      `Paused mirroring of #${quiet.number} “Quiet”: changes are kept and wait, and cross when mirroring is resumed.`,
    )
    await reply(quiet.id)
    await reply(busy.id)
    expect(await takeAll()).toEqual([busy.id])
    expect(await bridge(mark, {})).toContain(`Mirroring is paused for #${quiet.number}.`)
    t.clock.advance(1000)
    expect(await bridge(mark, { action: 'resume', discussion: String(quiet.number) })).toBe(
      `Resumed mirroring of #${quiet.number} “Quiet”: what waited is being mirrored now.`,
    )
    expect(await takeAll()).toEqual([quiet.id])
    expect((await audit()).map((row) => [row.action, row.target_discussion_id])).toEqual([
      ['pause_mirroring', quiet.id],
      ['resume_mirroring', quiet.id],
    ])
  })

  it('refuses anyone but a moderator, when the command runs, and audits the refusal', async () => {
    expect(await bridge(sam, { action: 'pause' })).toMatch(/^Only moderators of Lightbulb Moment can run/)
    await start('Still mirrored')
    expect(await takeAll()).toHaveLength(1)
    expect(await audit()).toEqual([{ action: 'bridge', target_discussion_id: null, outcome: 'refused' }])
    expect(await bridge(mark, { action: 'resume', discussion: '999' })).toBe(
      'There is no discussion #999 in Lightbulb Moment.',
    )
  })
})
