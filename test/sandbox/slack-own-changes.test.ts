import type { App } from '@slack/bolt'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { SlackEmulator } from '../../sandbox/slack/slack-emulator.ts'
import { type SlackSeed, seedSlack } from '../../sandbox/slack/slack-seed.ts'
import { startBoltApp, waiter } from '../support/bolt-app.ts'
import { control } from '../support/control.ts'

/**
 * Slack sends an app the events of its own doing in the channels it is in, as anyone's: its
 * chat.update as message_changed, its chat.delete as message_deleted, its reactions as
 * reaction_added and reaction_removed (https://api.slack.com/events/message/message_changed,
 * https://api.slack.com/events/reaction_added). Bolt drops them by default (`ignoreSelf`); this
 * app hears them, to show the emulator sends them as Slack does.
 */
describe('Slack emulator: the bot’s own changes come back as events', () => {
  let emulator: SlackEmulator
  let seed: SlackSeed
  let app: App | undefined

  beforeEach(async () => {
    emulator = new SlackEmulator()
    seed = seedSlack(emulator.state)
    await emulator.start()
  })
  afterEach(async () => {
    await app?.stop().catch(() => {})
    app = undefined
    await emulator.stop()
  })

  it('its edit, reactions and deletion reach it, each naming the bot', async () => {
    const seen: Record<string, unknown>[] = []
    const wait = waiter()
    const hear = (event: Record<string, unknown>) => {
      seen.push(event)
      wait.poke()
    }
    app = await startBoltApp(
      emulator,
      (bolt) => {
        bolt.event('message', async ({ event }) => hear(event as unknown as Record<string, unknown>))
        bolt.event('reaction_added', async ({ event }) => hear(event as unknown as Record<string, unknown>))
        bolt.event('reaction_removed', async ({ event }) => hear(event as unknown as Record<string, unknown>))
      },
      { ignoreSelf: false },
    )
    const bot = emulator.state.botUser.id
    const root = await control(emulator.url, 'POST', '/messages', {
      user: seed.users.sam,
      channel: seed.channelId,
      text: 'A person’s post',
    })
    const client = app.client
    const posted = await client.chat.postMessage({
      channel: seed.channelId,
      thread_ts: root.ts,
      text: 'A mirrored reply',
      username: 'jo (Discord)',
    })
    const ts = posted.ts ?? ''
    await client.chat.update({ channel: seed.channelId, ts, text: 'Edited' })
    await client.reactions.add({ channel: seed.channelId, timestamp: ts, name: 'tada' })
    await client.reactions.remove({ channel: seed.channelId, timestamp: ts, name: 'tada' })
    await client.chat.delete({ channel: seed.channelId, ts })
    const deleted = (e: Record<string, unknown>) => e.subtype === 'message_deleted'
    await wait.until(() => seen.some(deleted))

    const changed = seen.find((e) => e.subtype === 'message_changed' && (e.message as any)?.ts === ts)
    expect(changed?.message).toMatchObject({ text: 'Edited', bot_id: emulator.state.botId, user: bot })
    const reactions = seen.filter((e) => String(e.type).startsWith('reaction_'))
    expect(reactions.map((e) => [e.type, e.user, e.reaction])).toEqual([
      ['reaction_added', bot, 'tada'],
      ['reaction_removed', bot, 'tada'],
    ])
    expect(seen.find(deleted)).toMatchObject({
      deleted_ts: ts,
      previous_message: { bot_id: emulator.state.botId, thread_ts: root.ts },
    })
  })
})
