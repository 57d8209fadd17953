import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { SlackEmulator } from '../../sandbox/slack/slack-emulator.ts'

/**
 * apps.connections.open takes the app-level token (xapp-…), and Slack refuses one it did not issue
 * with invalid_auth, as it refuses a wrong bot token (https://api.slack.com/methods/apps.connections.open).
 */
describe('Slack emulator: the app-level token for Socket Mode', () => {
  let emulator: SlackEmulator
  beforeEach(async () => {
    emulator = new SlackEmulator({ botToken: 'xoxb-right', appToken: 'xapp-right' })
    await emulator.start()
  })
  afterEach(async () => {
    await emulator.stop()
  })

  const open = async (token: string) =>
    (await fetch(`${emulator.url}/api/apps.connections.open`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
    }).then((r) => r.json())) as { ok: boolean; error?: string; url?: string }

  it('opens a connection with its own token and refuses any other', async () => {
    expect(await open('xapp-right')).toMatchObject({ ok: true, url: expect.stringMatching(/^ws:\/\//) })
    expect(await open('xapp-garbage')).toEqual(expect.objectContaining({ ok: false, error: 'invalid_auth' }))
    expect(await open('xoxb-right')).toEqual(
      expect.objectContaining({ ok: false, error: 'not_allowed_token_type' }),
    )
  })
})
