import type { App } from '@slack/bolt'
import { WebClient } from '@slack/web-api'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { SlackEmulator } from '../../sandbox/slack/slack-emulator.ts'
import { type SlackSeed, seedSlack } from '../../sandbox/slack/slack-seed.ts'
import { startBoltApp, waiter } from '../support/bolt-app.ts'
import { control, controlAnswer } from '../support/control.ts'

/**
 * Slack keeps a person's handle (`name`) apart from the names people see: `profile.display_name`
 * (may be empty) and the full name (`real_name`, also `profile.real_name`), each any Unicode up
 * to 80 characters (https://api.slack.com/types/user). users.info reports them; a message event
 * carries only the user's id (https://api.slack.com/events/message).
 */
describe('Slack emulator: display names apart from handles', () => {
  let emulator: SlackEmulator
  let seed: SlackSeed
  let client: WebClient
  let app: App | undefined
  beforeEach(async () => {
    emulator = new SlackEmulator({ botToken: 'xoxb-sandbox' })
    seed = seedSlack(emulator.state)
    await emulator.start()
    client = new WebClient('xoxb-sandbox', { slackApiUrl: emulator.apiUrl, retryConfig: { retries: 0 } })
  })
  afterEach(async () => {
    await app?.stop().catch(() => {})
    app = undefined
    await emulator.stop()
  })

  const names = async (user: string) => {
    const info = await client.users.info({ user })
    return {
      name: info.user?.name,
      real_name: info.user?.real_name,
      display_name: info.user?.profile?.display_name,
      profile_real_name: info.user?.profile?.real_name,
    }
  }

  it('creates a person with any Unicode display and full name, and users.info reports them', async () => {
    const displayName = `\u202emark\u2066 (Discord) ${'👨‍👩‍👧'.repeat(5)}`
    const created = await control(emulator.url, 'POST', '/users', {
      name: 'eve',
      display_name: displayName,
      real_name: 'Eve Example',
    })
    expect(await names(created.id)).toEqual({
      name: 'eve',
      real_name: 'Eve Example',
      display_name: displayName,
      profile_real_name: 'Eve Example',
    })
  })

  it('renames a person; the handle stays, and an empty display name is allowed', async () => {
    await control(emulator.url, 'PATCH', `/users/${seed.users.sam}`, {
      display_name: 'Sam 🌱',
      real_name: 'Sam Q.',
    })
    expect(await names(seed.users.sam)).toEqual({
      name: 'sam',
      real_name: 'Sam Q.',
      display_name: 'Sam 🌱',
      profile_real_name: 'Sam Q.',
    })
    await control(emulator.url, 'PATCH', `/users/${seed.users.sam}`, { display_name: '' })
    expect((await names(seed.users.sam)).display_name).toBe('')
  })

  it('refuses a name over 80 characters, or one that is not text', async () => {
    const eighty = 'é'.repeat(80)
    expect(
      (await controlAnswer(emulator.url, 'POST', '/users', { name: 'ok', display_name: eighty })).status,
    ).toBe(201)
    for (const body of [
      { name: 'long', display_name: `${eighty}x` },
      { name: 'longer', real_name: `${eighty}x` },
      { name: 'odd', display_name: 7 },
    ])
      expect((await controlAnswer(emulator.url, 'POST', '/users', body)).status).toBe(400)
    const patched = await controlAnswer(emulator.url, 'PATCH', `/users/${seed.users.sam}`, {
      real_name: `${eighty}x`,
    })
    expect(patched.status).toBe(400)
    expect((await names(seed.users.sam)).real_name).toBe('sam')
  })

  it('sends a message event with the user’s id, never their names', async () => {
    await control(emulator.url, 'PATCH', `/users/${seed.users.sam}`, { display_name: 'mark' })
    const seen: Record<string, unknown>[] = []
    const wait = waiter()
    app = await startBoltApp(emulator, (bolt) =>
      bolt.message(async ({ message }) => {
        seen.push(message as unknown as Record<string, unknown>)
        wait.poke()
      }),
    )
    await control(emulator.url, 'POST', '/messages', {
      user: seed.users.sam,
      channel: seed.channelId,
      text: 'hi',
    })
    await wait.until(() => seen.length === 1)
    expect(seen[0]?.user).toBe(seed.users.sam)
    expect(JSON.stringify(seen[0])).not.toContain('mark')
  })
})
