import type { App } from '@slack/bolt'
import { afterEach, describe, expect, it } from 'vitest'
import { parseSlackManifest, THREADBRIDGE_MANIFEST } from '../../sandbox/slack/slack-app-manifest.ts'
import { SlackEmulator } from '../../sandbox/slack/slack-emulator.ts'
import { type SlackSeed, seedSlack } from '../../sandbox/slack/slack-seed.ts'
import { startBoltApp } from '../support/bolt-app.ts'
import { control } from '../support/control.ts'

/**
 * A slash command's `should_escape` (https://api.slack.com/reference/manifests, "Escape channels,
 * users, and links sent to your app", https://api.slack.com/interactivity/slash-commands): on,
 * Slack sends a mention as `<@U…|handle>`, a channel as `<#C…|name>` and `@here` as `<!here>`;
 * off, the text comes as typed.
 */
describe('Slack emulator: slash command escaping', () => {
  let emulator: SlackEmulator
  let seed: SlackSeed
  let app: App | undefined
  afterEach(async () => {
    await app?.stop().catch(() => {})
    app = undefined
    await emulator?.stop()
  })

  const delivered = async (escaping: boolean, typed: string): Promise<string> => {
    const manifest = escaping
      ? THREADBRIDGE_MANIFEST
      : { ...THREADBRIDGE_MANIFEST, escapedCommands: [] as string[] }
    emulator = new SlackEmulator({ appManifest: manifest, commandAnswerMs: 1000 })
    seed = seedSlack(emulator.state)
    await emulator.start()
    const texts: string[] = []
    app = await startBoltApp(emulator, (bolt) =>
      bolt.command('/threadbridge', async ({ ack, body }) => {
        texts.push(body.text)
        await ack({ text: 'ok' })
      }),
    )
    await control(emulator.url, 'POST', '/commands', {
      user: seed.users.alex,
      channel: seed.channelId,
      command: '/threadbridge',
      text: typed,
    })
    const [text] = texts
    if (text === undefined) throw new Error('no command delivered')
    return text
  }

  it('Threadbridge’s manifest asks for escaping, and the manifest field is read', () => {
    expect(THREADBRIDGE_MANIFEST.escapedCommands).toEqual(['/threadbridge'])
    const base = `display_information: { name: x }
settings: { interactivity: { is_enabled: true } }
features:
  slash_commands:
    - { command: /a, description: a, should_escape: true }
    - { command: /b, description: b }`
    expect(parseSlackManifest(base).escapedCommands).toEqual(['/a'])
  })

  it('escaped: a mention arrives as <@U…|handle>, a channel as <#C…|name>, @here as <!here>', async () => {
    const text = await delivered(true, 'ban @sam for @here in #lightbulb-moment, not @nobody')
    expect(text).toBe(
      `ban <@${seed.users.sam}|sam> for <!here> in <#${seed.channelId}|lightbulb-moment>, not @nobody`,
    )
  })

  it('not escaped: the text arrives as typed', async () => {
    expect(await delivered(false, 'ban @sam')).toBe('ban @sam')
  })
})
