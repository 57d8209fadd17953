import type { App } from '@slack/bolt'
import { WebClient } from '@slack/web-api'
import { afterEach, describe, expect, it } from 'vitest'
import {
  parseSlackManifest,
  type SlackAppManifest,
  SlackManifestError,
  THREADBRIDGE_MANIFEST,
} from '../../sandbox/slack/slack-app-manifest.ts'
import { SlackEmulator } from '../../sandbox/slack/slack-emulator.ts'
import { type SlackSeed, seedSlack } from '../../sandbox/slack/slack-seed.ts'
import { startBoltApp, waiter } from '../support/bolt-app.ts'
import { control } from '../support/control.ts'

/**
 * The app's manifest decides what Slack grants and sends (https://api.slack.com/reference/manifests):
 * the bot token's scopes (https://api.slack.com/web#errors: `missing_scope` with `needed` and
 * `provided`) and the events it subscribes to (https://api.slack.com/events-api#subscriptions).
 */
describe('Slack emulator: the app manifest', () => {
  let emulator: SlackEmulator
  let seed: SlackSeed
  let app: App | undefined
  const start = async (manifest: SlackAppManifest) => {
    emulator = new SlackEmulator({ appManifest: manifest })
    seed = seedSlack(emulator.state)
    await emulator.start()
    return new WebClient('xoxb-sandbox', { slackApiUrl: emulator.apiUrl, retryConfig: { retries: 0 } })
  }
  const without = (scope: string): SlackAppManifest => ({
    ...THREADBRIDGE_MANIFEST,
    botScopes: THREADBRIDGE_MANIFEST.botScopes.filter((s) => s !== scope),
  })
  afterEach(async () => {
    await app?.stop().catch(() => {})
    app = undefined
    await emulator?.stop()
  })

  it('reads Threadbridge’s slack-manifest.yml by default', () => {
    expect(THREADBRIDGE_MANIFEST.commands).toEqual(['/threadbridge'])
    expect(THREADBRIDGE_MANIFEST.botScopes).toContain('chat:write')
    expect(THREADBRIDGE_MANIFEST.botEvents).toContain('message.channels')
  })

  it('answers missing_scope, with what was needed and what the token has, for a scope not granted', async () => {
    const client = await start(without('users:read'))
    const refused = await client.users.info({ user: seed.users.sam }).catch((error) => error.data)
    expect(refused).toMatchObject({
      ok: false,
      error: 'missing_scope',
      needed: 'users:read',
      provided: without('users:read').botScopes.join(','),
    })
    expect((await client.conversations.history({ channel: seed.channelId })).ok).toBe(true)
  })

  it('needs the scope of the conversation’s kind: im:history for the app’s DMs, channels:history for channels', async () => {
    const client = await start(without('im:history'))
    const dm = await client.conversations.open({ users: seed.users.sam })
    const refused = await client.conversations
      .history({ channel: String(dm.channel?.id) })
      .catch((error) => error.data)
    expect(refused).toMatchObject({ error: 'missing_scope', needed: 'im:history' })
    expect((await client.conversations.history({ channel: seed.channelId })).ok).toBe(true)
  })

  it('sends only the events the app subscribes to', async () => {
    await start({
      ...THREADBRIDGE_MANIFEST,
      botEvents: THREADBRIDGE_MANIFEST.botEvents.filter((e) => e !== 'reaction_added'),
    })
    const heard: string[] = []
    const wait = waiter()
    app = await startBoltApp(emulator, (bolt) => {
      bolt.event('reaction_added', async () => {
        heard.push('reaction_added')
        wait.poke()
      })
      bolt.message(async ({ message }) => {
        heard.push(`message:${'text' in message ? message.text : ''}`)
        wait.poke()
      })
    })
    const post = await control<{ ts: string }>(emulator.url, 'POST', '/messages', {
      user: seed.users.sam,
      channel: seed.channelId,
      text: 'first',
    })
    await control(emulator.url, 'POST', '/reactions', {
      user: seed.users.alex,
      channel: seed.channelId,
      ts: post.ts,
      name: 'wave',
    })
    // Events reach the app in order on its one connection: once `second` is heard, a reaction
    // event sent before it would have been heard too.
    await control(emulator.url, 'POST', '/messages', {
      user: seed.users.sam,
      channel: seed.channelId,
      text: 'second',
    })
    await wait.until(() => heard.includes('message:second'))
    expect(heard).toEqual(['message:first', 'message:second'])
  })

  it('refuses a manifest Slack would refuse, naming the field', () => {
    const shortcutWithoutDescription = [
      'display_information: { name: App }',
      'features:',
      '  shortcuts: [{ name: Go, type: message, callback_id: go }]',
      'settings: { interactivity: { is_enabled: true } }',
    ].join('\n')
    expect(() => parseSlackManifest(shortcutWithoutDescription)).toThrow(
      /features\.shortcuts\.0\.description/,
    )
    const commandWithoutInteractivity = [
      'display_information: { name: App }',
      'features:',
      '  slash_commands: [{ command: /go, description: Go }]',
    ].join('\n')
    expect(() => parseSlackManifest(commandWithoutInteractivity)).toThrow(SlackManifestError)
    expect(() => parseSlackManifest('display_information: [')).toThrow(/expected YAML/)
  })
})
