import { WebClient } from '@slack/web-api'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { SlackEmulator } from '../../sandbox/slack/slack-emulator.ts'
import { type SlackSeed, seedSlack } from '../../sandbox/slack/slack-seed.ts'
import { control, controlAnswer } from '../support/control.ts'

/**
 * users.info reports a person's workspace role as Slack does (`is_admin`, `is_owner`,
 * `is_primary_owner`), as it is now: an owner changing someone's role shows at the next call.
 */
describe('Slack emulator: workspace admins and owners', () => {
  let emulator: SlackEmulator
  let seed: SlackSeed
  let client: WebClient
  beforeEach(async () => {
    emulator = new SlackEmulator({ botToken: 'xoxb-roles' })
    seed = seedSlack(emulator.state)
    await emulator.start()
    client = new WebClient('xoxb-roles', { slackApiUrl: emulator.apiUrl, retryConfig: { retries: 0 } })
  })
  afterEach(async () => {
    await emulator.stop()
  })

  const roles = async (user: string) => {
    const info = await client.users.info({ user })
    return {
      is_admin: info.user?.is_admin,
      is_owner: info.user?.is_owner,
      is_primary_owner: info.user?.is_primary_owner,
    }
  }

  it('seeds one primary owner, alex, and nobody else with a role', async () => {
    expect(await roles(seed.users.alex)).toEqual({ is_admin: true, is_owner: true, is_primary_owner: true })
    for (const user of [seed.users.sam, seed.users.guest])
      expect(await roles(user)).toEqual({ is_admin: false, is_owner: false, is_primary_owner: false })
  })

  it('reports a role given or taken away at the next call; an owner is always an admin', async () => {
    await control(emulator.url, 'PATCH', `/users/${seed.users.guest}`, { is_admin: true })
    expect(await roles(seed.users.guest)).toEqual({
      is_admin: true,
      is_owner: false,
      is_primary_owner: false,
    })
    await control(emulator.url, 'PATCH', `/users/${seed.users.guest}`, { is_admin: false })
    expect((await roles(seed.users.guest)).is_admin).toBe(false)

    await control(emulator.url, 'PATCH', `/users/${seed.users.sam}`, { is_owner: true })
    expect(await roles(seed.users.sam)).toEqual({ is_admin: true, is_owner: true, is_primary_owner: false })
    const ownerLeftWithoutAdmin = await controlAnswer(emulator.url, 'PATCH', `/users/${seed.users.sam}`, {
      is_admin: false,
    })
    expect(ownerLeftWithoutAdmin.status).toBe(400)
    await control(emulator.url, 'PATCH', `/users/${seed.users.sam}`, { is_owner: false, is_admin: false })
    expect(await roles(seed.users.sam)).toEqual({ is_admin: false, is_owner: false, is_primary_owner: false })
  })

  it('keeps the primary owner an owner and an admin until ownership is transferred', async () => {
    for (const change of [{ is_owner: false }, { is_admin: false }]) {
      const answer = await controlAnswer(emulator.url, 'PATCH', `/users/${seed.users.alex}`, change)
      expect(answer).toEqual({
        status: 400,
        body: { error: 'alex is the primary owner: transfer ownership first' },
      })
    }
    expect(await roles(seed.users.alex)).toEqual({ is_admin: true, is_owner: true, is_primary_owner: true })
    const nothing = await controlAnswer(emulator.url, 'PATCH', `/users/${seed.users.sam}`, {
      is_admin: 'yes',
    })
    expect(nothing.status).toBe(400)
  })
})
