import { WebClient } from '@slack/web-api'
import { afterEach, describe, expect, it } from 'vitest'
import { THREADBRIDGE_MANIFEST } from '../../sandbox/slack/slack-app-manifest.ts'
import { SlackEmulator } from '../../sandbox/slack/slack-emulator.ts'

/**
 * Slack answers every Web API call made with a token with the token's scopes in the
 * `x-oauth-scopes` header and the method's in `x-accepted-oauth-scopes`
 * (https://api.slack.com/authentication/token-types); the Slack SDK reads them into
 * `response_metadata.scopes` and `acceptedScopes`. The bot token's scopes are the manifest's.
 */
describe('Slack emulator: the token names its scopes', () => {
  let emulator: SlackEmulator
  afterEach(async () => {
    await emulator.stop()
  })
  const client = () =>
    new WebClient('xoxb-sandbox', { slackApiUrl: emulator.apiUrl, retryConfig: { retries: 0 } })

  it("sends the manifest's scopes with auth.test, and the method's accepted scopes", async () => {
    emulator = await new SlackEmulator().start()
    const answer = await client().auth.test()
    expect(answer.response_metadata?.scopes).toEqual(THREADBRIDGE_MANIFEST.botScopes)
    const info = await client().users.info({ user: emulator.state.botUser.id })
    expect(info.response_metadata?.acceptedScopes).toEqual(['users:read'])
  })

  it('leaves out a scope the app was not granted', async () => {
    const botScopes = THREADBRIDGE_MANIFEST.botScopes.filter((scope) => scope !== 'reactions:write')
    emulator = await new SlackEmulator({ appManifest: { ...THREADBRIDGE_MANIFEST, botScopes } }).start()
    const answer = await client().auth.test()
    expect(answer.response_metadata?.scopes).toEqual(botScopes)
    expect(answer.response_metadata?.scopes).not.toContain('reactions:write')
  })
})
