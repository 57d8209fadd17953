import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { connectSlack, type SlackConnection } from '../../adapters/slack/connect-slack.ts'
import { SlackEmulator } from '../../sandbox/slack/slack-emulator.ts'
import { type SlackSeed, seedSlack } from '../../sandbox/slack/slack-seed.ts'
import { control } from '../support/control.ts'

/**
 * The last pass sits in the Slack client itself, below every path of ours: a string handed
 * straight to the real Web API client, as no converter would ever write it, still pings nobody.
 */
describe('every request the bridge’s Slack client sends passes the last pass (real Bolt, sandbox)', () => {
  let emulator: SlackEmulator
  let seed: SlackSeed
  let slack: SlackConnection | undefined

  beforeEach(async () => {
    emulator = new SlackEmulator()
    seed = seedSlack(emulator.state)
    await emulator.start()
    slack = await connectSlack({ apiUrl: emulator.apiUrl, botToken: 'xoxb-sandbox', receive: false })
  })
  afterEach(async () => {
    await slack?.app.stop().catch(() => {})
    slack = undefined
    await emulator.stop()
  })

  it('turns a raw <!channel>, <!here>, a user group and a user mention into text', async () => {
    const client = slack?.app.client
    if (client === undefined) throw new Error('no Slack client')
    await client.chat.postMessage({
      channel: seed.channelId,
      text: '<!channel> <!here|here> <!everyone> <!subteam^S0123|devs> <@U0123ABCD> look',
      blocks: [{ type: 'section', text: { type: 'mrkdwn', text: '<!channel> in a block' } }],
    })
    const history = await control<any[]>(emulator.url, 'GET', `/conversations/${seed.channelId}/history`)
    expect(history.map((m) => m.pinged)).toEqual([[]])
    expect(history[0].text).not.toMatch(/<[!@]/)
  })

  it('drops link_names, which would make a plain @here ping', async () => {
    const client = slack?.app.client
    if (client === undefined) throw new Error('no Slack client')
    await client.chat.postMessage({ channel: seed.channelId, text: '@here look', link_names: true })
    const history = await control<any[]>(emulator.url, 'GET', `/conversations/${seed.channelId}/history`)
    expect(history.map((m) => m.pinged)).toEqual([[]])
  })
})
