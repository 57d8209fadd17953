import { describe, expect, it } from 'vitest'
import { eventually, useBridge } from '../support/bridge-harness.ts'
import { control } from '../support/control.ts'
import { runOnSlack } from '../support/run-command.ts'

const LOCK_NOTICE = ':lock: This discussion is locked: replies are not taken on Slack or Discord.'
const UNLOCK_NOTICE = ':unlock: This discussion is open again: replies cross to Discord as before.'

/**
 * Attack: a moderator undoes a misclick. A lock and an unlock run back to back on Slack; Discord
 * reports each of the bot's own changes back (THREAD_UPDATE), possibly after the next one was made.
 * Those reports are the bridge's echo, not a Discord moderator: the discussion ends unlocked on
 * both platforms, with one notice per command, and nothing more happens.
 */
describe('lock echo (real clients, sandbox, real database)', () => {
  const t = useBridge()

  it("a Slack moderator's lock and unlock, 0 ms apart, leave the discussion unlocked everywhere, once", async () => {
    const { alex, sam } = t.sandbox.slackSeed.users
    const { jo } = t.sandbox.discordSeed.users
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
    await control(t.discordUrl, 'DELETE', '/stats')

    expect(await runOnSlack(t, alex, `lock ${number}`)).toMatch(/^Locked #/)
    expect(await runOnSlack(t, alex, `unlock ${number}`)).toMatch(/^Unlocked #/)

    const patches = async () => {
      const stats = await control<{ by_route: Record<string, { requests: number }> }>(
        t.discordUrl,
        'GET',
        '/stats',
      )
      return Object.entries(stats.by_route)
        .filter(([route]) => route.startsWith('PATCH') && route.includes('/channels/'))
        .reduce((sum, [, entry]) => sum + entry.requests, 0)
    }
    const slackThread = () =>
      control<any[]>(t.slackUrl, 'GET', `/conversations/${channelId}/replies/${root.ts}`)
    const pending = async () =>
      (await t.database.db.selectFrom('outbox').select('id').where('status', '=', 'pending').execute()).length
    // Both commands have reached Discord (two PATCHes) and the Slack thread (two notices).
    await eventually(patches, (n) => n >= 2)
    await eventually(slackThread, (messages) => messages.some((m) => m.text === UNLOCK_NOTICE))

    // Quiescence, by a condition rather than a wait. Discord's gateway delivers a channel's
    // updates in order, and the bridge applies a thread's events in order (one queue per thread):
    // once a message posted on Discord after both PATCHes has crossed to Slack, both THREAD_UPDATEs
    // the PATCHes caused have been applied. Once the outbox then holds nothing pending (nothing
    // due later either) and the spool is empty, nothing is left that could post, patch or audit:
    // every effect needs a command or a platform event, and there are none. So the figures read
    // then are final, as they would be after 60 s.
    await control(t.discordUrl, 'POST', `/channels/${thread.id}/messages`, {
      author_id: jo,
      content: 'Marker.',
    })
    await eventually(slackThread, (messages) => messages.some((m) => m.text.includes('Marker.')))
    await eventually(
      async () => ({ pending: await pending(), spooled: t.bridge.spoolDepth() }),
      (state) => state.pending === 0 && state.spooled === 0,
    )

    const texts = (await slackThread()).map((m) => m.text)
    expect(texts.filter((text) => text === LOCK_NOTICE)).toHaveLength(1)
    expect(texts.filter((text) => text === UNLOCK_NOTICE)).toHaveLength(1)
    expect(await patches()).toBe(2)
    const state = await control<any>(t.discordUrl, 'GET', '/state')
    expect(state.channels.find((c: any) => c.id === thread.id)?.thread_metadata?.locked).toBe(false)
    const discussion = await t.database.db
      .selectFrom('discussions')
      .select('locked_at')
      .executeTakeFirstOrThrow()
    expect(discussion.locked_at).toBeNull()
    // One audit entry per command, both alex's: none for "a Discord moderator".
    const { member_id: alexMember } = await t.database.db
      .selectFrom('identities')
      .select('member_id')
      .where('platform_user_id', '=', alex)
      .executeTakeFirstOrThrow()
    const audit = await t.database.db
      .selectFrom('moderation_actions')
      .select(['action', 'moderator_member_id'])
      .orderBy('created_at')
      .orderBy('id')
      .execute()
    expect(audit).toEqual([
      { action: 'lock', moderator_member_id: alexMember },
      { action: 'unlock', moderator_member_id: alexMember },
    ])
  })
})
