import { beforeEach, describe, expect, it } from 'vitest'
import type { PlatformActor } from '../../src/platform/platform.ts'
import { FakeThreadPlatform } from '../fakes/fake-thread-platform.ts'
import { useCore } from '../support/core-fixture.ts'
import { inMemoryBot } from '../support/in-memory-bot.ts'
import { alex, jo, lightbulb, mark, sam } from '../support/people.ts'
import { targetName } from '../support/test-database.ts'

const ROUNDS = 100

/**
 * Attack: a moderator locks and unlocks a discussion 0 ms apart (a misclick undone), again and
 * again. The bridge locks the Discord thread itself, and Discord reports each of its changes back
 * (THREAD_UPDATE, naming no one), sometimes after the bridge has changed the thread again. Taken
 * for a Discord moderator's action, that echo locks the discussion again, which locks the thread
 * again, for ever. Here the real core, outbox, mirror engine and inbound decisions run against
 * platforms in memory; the test is the gateway and decides when each report arrives: while the
 * command is still being carried out, between two commands, or after both (and after a restart).
 */
describe(`lock echo (${targetName})`, () => {
  const t = useCore()
  let slack: FakeThreadPlatform
  let discord: FakeThreadPlatform
  let threadId: string
  let discussionId: string
  /** Reports Discord has sent and the bridge has not read yet, oldest first. */
  let gateway: { threadId: string; locked: boolean }[]
  let reports = 0

  /** The bot's parts that keep nothing in memory between events; a new set is a restart. */
  const start = () => inMemoryBot(t.handle, t.clock, { slack, discord })
  let bot: ReturnType<typeof start>

  /** Discord's next report reaches the bridge, which reads the thread afresh if it must. */
  const receiveReport = async () => {
    const report = gateway.shift()
    if (report === undefined) return false
    reports += 1
    await bot.decisions.apply({
      kind: 'thread_lock_changed',
      origin: { platform: 'discord', eventId: `thread_lock:${report.threadId}:${report.locked}:${reports}` },
      threadId: report.threadId,
      locked: report.locked,
      readLocked: async () => discord.locks.get(report.threadId),
    })
    return true
  }
  /** Carries out queued jobs, oldest first; `between` runs after each. A round queues a few. */
  const drain = async (between: () => Promise<unknown> = async () => {}) => {
    for (let jobs = 0; jobs < 20; jobs++) {
      const [job] = await bot.queue.claim(1)
      if (job === undefined) return
      await bot.engine.deliver(job)
      expect(await bot.queue.complete(job)).toBe(true)
      await between()
    }
    throw new Error('the bridge keeps answering its own echo')
  }
  /**
   * Until nothing is queued and Discord has nothing more to report. A round's few commands and
   * their reports settle in a few steps; an echo loop never does, and fails here.
   */
  const settle = async () => {
    for (let step = 0; step < 20; step++) {
      await drain()
      if (!(await receiveReport())) return
    }
    throw new Error('the bridge keeps answering its own echo')
  }

  beforeEach(async () => {
    await t.core.applyConfig([
      {
        ...lightbulb,
        moderators: [...lightbulb.moderators, { platform: 'slack', userId: alex.platformUserId }],
      },
    ])
    await t.core.memberships.join(lightbulb.id, jo)
    await t.core.memberships.join(lightbulb.id, sam)
    slack = new FakeThreadPlatform('slack', 'notices')
    discord = new FakeThreadPlatform('discord', 'locks')
    gateway = []
    bot = start()
    const discussion = await bot.core.discussions.start({
      communityId: lightbulb.id,
      author: sam,
      title: 'Noisy neighbours',
      body: 'Thoughts?',
      format: 'plain',
    })
    discussionId = discussion.id
    await drain()
    threadId = discord.posted[0]?.threadId ?? ''
    expect(threadId).not.toBe('')
  })

  const command = async (actor: PlatformActor, locked: boolean) => {
    t.clock.advance(1) // the audit's order is its time's
    await bot.core.discussions.setLocked({ discussionId, actor, locked })
  }
  const auditRows = () =>
    t.handle.db
      .selectFrom('moderation_actions')
      .select(['action', 'moderator_member_id', 'actor_name'])
      .orderBy('created_at')
      .execute()
  const memberOf = async (actor: PlatformActor) =>
    (
      await t.handle.db
        .selectFrom('identities')
        .select('member_id')
        .where('platform', '=', actor.platform)
        .where('platform_user_id', '=', actor.platformUserId)
        .executeTakeFirstOrThrow()
    ).member_id
  const alternating = (n: number) => Array.from({ length: n }, (_, i) => i % 2 === 0)

  for (const actor of [alex, mark]) {
    it(`a ${actor.platform === 'slack' ? 'Slack' : 'Discord'} moderator's lock and unlock, 0 ms apart, ${ROUNDS} times: the last command holds, one notice and one audit entry each`, async () => {
      discord.onChange = (thread, locked) => {
        gateway.push({ threadId: thread, locked })
      }
      for (let round = 0; round < ROUNDS; round++) {
        await command(actor, true)
        await command(actor, false)
        switch (round % 3) {
          case 0:
            // Each report arrives while the command it echoes is still being carried out.
            discord.onChange = async (thread, locked) => {
              gateway.push({ threadId: thread, locked })
              await receiveReport()
            }
            await drain()
            break
          case 1:
            // Each report arrives once its command is done, before the next one is carried out.
            discord.onChange = (thread, locked) => {
              gateway.push({ threadId: thread, locked })
            }
            await drain(receiveReport)
            break
          default:
            // Both reports arrive after both commands were carried out, and after a restart:
            // the lock's report says "locked" of a thread the bridge has unlocked since.
            await drain()
            bot = start()
        }
        await settle()
        expect(gateway).toEqual([])
      }

      const discussion = await bot.core.discussions.get(discussionId)
      expect(discussion.locked_at).toBeNull()
      expect(discord.locks.get(threadId)).toBe(false)
      expect(discord.lockCalls.map((c) => c.locked)).toEqual(alternating(2 * ROUNDS))
      expect(slack.notices.map((n) => n.locked)).toEqual(alternating(2 * ROUNDS))
      const audit = await auditRows()
      const member = await memberOf(actor)
      expect(audit).toEqual(
        alternating(2 * ROUNDS).map((locked) => ({
          action: locked ? 'lock' : 'unlock',
          moderator_member_id: member,
          actor_name: null,
        })),
      )
      expect(
        await t.handle.db.selectFrom('outbox').select('id').where('status', '=', 'pending').execute(),
      ).toEqual([])
    }, 120_000)
  }

  it("a lock that reached Discord, then an unlock that died there: the lock's late report is ours, not a Discord moderator's", async () => {
    await command(alex, true)
    await drain()
    // The unlock never reaches Discord: its job dies (the bot lost Manage Threads, say).
    await command(alex, false)
    const [unlock] = await bot.queue.claim(1)
    expect(unlock?.event.type).toBe('discussion.locked')
    if (unlock === undefined) return
    expect(await bot.queue.fail(unlock, { message: 'discord: Missing Permissions', retryable: false })).toBe(
      'dead',
    )
    // Discord reports the lock only now: the thread is locked, the core wants it open, and nothing
    // of ours is pending. The disagreement is the dead job's, so nothing follows.
    gateway.push({ threadId, locked: true })
    await settle()

    expect((await bot.core.discussions.get(discussionId)).locked_at).toBeNull()
    const member = await memberOf(alex)
    expect(await auditRows()).toEqual([
      { action: 'lock', moderator_member_id: member, actor_name: null },
      { action: 'unlock', moderator_member_id: member, actor_name: null },
    ])
    expect(slack.notices.map((n) => n.locked)).toEqual([true])
    const lockJobs = await t.handle.db
      .selectFrom('outbox')
      .select('status')
      .where('event_type', '=', 'discussion.locked')
      .orderBy('id')
      .execute()
    // Nothing was queued for the report: the lock (done), the unlock (dead), and no third.
    expect(lockJobs).toEqual([{ status: 'done' }, { status: 'dead' }])
  })

  it('a dead lock job older than one Discord received hides no Discord moderator', async () => {
    // The lock dies, the unlock after it is carried out: Discord has the core's latest word.
    await command(alex, true)
    const [lock] = await bot.queue.claim(1)
    if (lock === undefined) throw new Error('no lock job')
    await bot.queue.fail(lock, { message: 'discord: Missing Permissions', retryable: false })
    await command(alex, false)
    await drain()
    // Then a Discord moderator locks the thread: theirs, and followed.
    discord.setByPerson(threadId, true)
    gateway.push({ threadId, locked: true })
    await settle()

    expect((await bot.core.discussions.get(discussionId)).locked_at).not.toBeNull()
    expect((await auditRows()).at(-1)).toEqual({
      action: 'lock',
      moderator_member_id: null,
      actor_name: 'a Discord moderator',
    })
  })

  it('a dead lock job retried after a newer unlock reached Discord is passed over: the core keeps its word', async () => {
    // The lock dies; the unlock after it is carried out; then a moderator retries what failed.
    await command(alex, true)
    const [lock] = await bot.queue.claim(1)
    if (lock === undefined) throw new Error('no lock job')
    await bot.queue.fail(lock, { message: 'discord: Missing Permissions', retryable: false })
    await command(alex, false)
    await drain()
    expect(discord.locks.get(threadId)).toBe(false)
    expect(await bot.queue.retryDead(lock.id)).toBe(true)
    await settle()

    // The retried lock is history: a newer unlock was carried out, so it is passed over, Discord
    // is not locked against the core, and no report is blamed on a moderator.
    expect(discord.locks.get(threadId)).toBe(false)
    expect((await bot.core.discussions.get(discussionId)).locked_at).toBeNull()
    expect((await auditRows()).map((row) => row.action)).toEqual(['lock', 'unlock'])
  })

  it(`a Discord moderator's lock and unlock on Discord itself, 0 ms apart, ${ROUNDS} times: followed once each, never sent back`, async () => {
    const person = (locked: boolean) => {
      t.clock.advance(1)
      discord.setByPerson(threadId, locked)
      gateway.push({ threadId, locked })
    }
    let followed = 0
    for (let round = 0; round < ROUNDS; round++) {
      switch (round % 3) {
        case 0:
          // The bridge reads each report, and carries it out, before the next change.
          person(true)
          await settle()
          person(false)
          await settle()
          followed += 2
          break
        case 1:
          // It reads each report before the next change, and carries them out later.
          person(true)
          await receiveReport()
          person(false)
          await receiveReport()
          await settle()
          followed += 2
          break
        default:
          // Both changes were made before the bridge read either report: the thread is as the
          // core wants when it looks, so there is nothing to follow (and nothing to undo).
          person(true)
          person(false)
          await settle()
      }
    }
    expect(discord.locks.get(threadId)).toBe(false)
    expect((await bot.core.discussions.get(discussionId)).locked_at).toBeNull()
    // The bridge never locks on Discord what Discord's moderators locked there.
    expect(discord.lockCalls).toEqual([])
    expect(slack.notices.map((n) => n.locked)).toEqual(alternating(followed))
    expect(await auditRows()).toEqual(
      alternating(followed).map((locked) => ({
        action: locked ? 'lock' : 'unlock',
        moderator_member_id: null,
        actor_name: 'a Discord moderator',
      })),
    )
  }, 120_000)
})
