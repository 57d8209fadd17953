import { afterEach, describe, expect, it } from 'vitest'
import type { MirrorTarget } from '../../src/mirror/mirror-target.ts'
import { eventually, useBridge } from '../support/bridge-harness.ts'
import { control } from '../support/control.ts'
import { runOnSlack } from '../support/run-command.ts'

const LOCK_NOTICE = ':lock: This discussion is locked: replies are not taken on Slack or Discord.'

/**
 * Holds the bridge's Discord unlock after Discord has taken it and before its job is marked done,
 * until released: the moment a Discord moderator's own lock can come in, as long as the test needs.
 */
function unlockHold() {
  let release = () => {}
  const released = new Promise<void>((resolve) => {
    release = resolve
  })
  const hold = {
    landed: false,
    release: () => release(),
    wrap(target: MirrorTarget): MirrorTarget {
      if (target.platform !== 'discord') return target
      return Object.assign(Object.create(target) as MirrorTarget, {
        updateThread: async (input: Parameters<NonNullable<MirrorTarget['updateThread']>>[0]) => {
          await target.updateThread?.(input)
          if (input.locked !== false) return
          hold.landed = true
          await released
        },
      })
    },
  }
  return hold
}

/**
 * Attack: a Discord moderator locks a thread with Discord's own controls just as the bridge's
 * unlock of it lands, before the bridge has marked that unlock done. The real discord.js client
 * reports it, and the bridge cannot yet tell it from its own unlock's echo; it must look again
 * once the unlock is done, read the thread from Discord, and follow the moderator.
 */
describe("a Discord moderator's lock while ours is in flight (real clients, sandbox, real database)", () => {
  const hold = unlockHold()
  // The held unlock keeps its job for as long as the test looks; it must not be taken over meanwhile.
  const t = useBridge({ leaseMs: 120_000, wrapTarget: hold.wrap })
  afterEach(() => hold.release()) // before the bridge stops (hooks after a test run in reverse)

  it('is followed once the unlock is done: locked on both platforms, audited as a Discord moderator, told on Slack', async () => {
    const { alex, sam } = t.sandbox.slackSeed.users
    const { channelId } = t.sandbox.slackSeed
    const answer = await runOnSlack(t, sam, 'discuss Noisy neighbours\nThoughts?')
    const number = Number(/#(\d+)/.exec(answer ?? '')?.[1])
    const [thread] = await eventually(
      () => control<any[]>(t.discordUrl, 'GET', `/channels/${t.sandbox.discordSeed.forumId}/threads`),
      (threads) => threads.length === 1,
    )
    const [root] = await eventually(
      () => control<any[]>(t.slackUrl, 'GET', `/conversations/${channelId}/history`),
      (roots) => roots.length === 1,
    )
    const discordLocked = async () =>
      (await control<any>(t.discordUrl, 'GET', '/state')).channels.find((c: any) => c.id === thread.id)
        ?.thread_metadata?.locked
    const lockNotices = async () =>
      (await control<any[]>(t.slackUrl, 'GET', `/conversations/${channelId}/replies/${root.ts}`)).filter(
        (m) => m.text === LOCK_NOTICE,
      ).length

    expect(await runOnSlack(t, alex, `lock ${number}`)).toMatch(/^Locked #/)
    await eventually(discordLocked, (locked) => locked === true)
    expect(await runOnSlack(t, alex, `unlock ${number}`)).toMatch(/^Unlocked #/)
    await eventually(
      async () => hold.landed && (await discordLocked()) === false,
      (landed) => landed,
    )
    // The unlock has landed on Discord and its job is not done: a Discord moderator locks the
    // thread. The bridge has it once the report is set aside for a second look.
    await control(t.discordUrl, 'PATCH', `/channels/${thread.id}`, { locked: true })
    await eventually(
      () =>
        t.database.db
          .selectFrom('outbox')
          .select('id')
          .where('event_type', '=', 'discussion.lock_recheck')
          .execute(),
      (rows) => rows.length === 1,
    )
    hold.release()

    await eventually(
      () => t.database.db.selectFrom('discussions').select('locked_at').executeTakeFirstOrThrow(),
      (row) => row.locked_at !== null,
    )
    await eventually(lockNotices, (n) => n === 2)
    expect(await discordLocked()).toBe(true)
    const audit = await t.database.db
      .selectFrom('moderation_actions')
      .select(['action', 'actor_name'])
      .orderBy('created_at')
      .orderBy('id')
      .execute()
    expect(audit).toEqual([
      { action: 'lock', actor_name: null },
      { action: 'unlock', actor_name: null },
      { action: 'lock', actor_name: 'a Discord moderator' },
    ])
  })
})
