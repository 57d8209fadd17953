import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import { runDoctor } from '../../bin/doctor.ts'
import { type Sandbox, startSandbox } from '../../sandbox/sandbox.ts'

/**
 * `threadbridge doctor`'s Slack lines for how the app receives Slack (Socket Mode or HTTP) and for
 * the workspace the configuration names, run in this process: what it prints, line by line.
 */
describe('threadbridge doctor, on Slack', () => {
  let dir: string
  let printed: string[]
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'threadbridge-doctor-slack-'))
    printed = []
    vi.spyOn(console, 'log').mockImplementation((line: unknown) => {
      printed.push(String(line))
    })
  })
  afterEach(async () => {
    vi.restoreAllMocks()
    await rm(dir, { recursive: true, force: true })
  })
  const slackLines = () => printed.filter((line) => / Slack: /.test(line))

  it('in HTTP mode on the sandbox, checks the signing secret, not an app token it does not use', async () => {
    await runDoctor({ THREADBRIDGE_DATA_DIR: dir, THREADBRIDGE_SLACK_MODE: 'http' })
    expect(slackLines().filter((line) => line.includes('SLACK_APP_TOKEN'))).toEqual([
      '- Slack: SLACK_APP_TOKEN is not used in HTTP mode (THREADBRIDGE_SLACK_MODE=http): not checked',
    ])
    expect(slackLines()).toContain(
      "✓ Slack: SLACK_SIGNING_SECRET is set (HTTP mode): every request to /slack/events is checked with it (the sandbox's)",
    )
  })

  describe('with the tokens set', () => {
    let sandbox: Sandbox
    beforeAll(async () => {
      sandbox = await startSandbox({ discordPort: 0, slackPort: 0 })
    })
    afterAll(async () => {
      await sandbox?.stop()
    })
    const env = async (communities: unknown[], slack: Record<string, string>) => {
      const config = path.join(dir, 'communities.json')
      await writeFile(config, JSON.stringify({ communities }))
      return {
        THREADBRIDGE_DATA_DIR: dir,
        THREADBRIDGE_CONFIG: config,
        DISCORD_TOKEN: sandbox.tokens.discord,
        THREADBRIDGE_DISCORD_API_URL: sandbox.discord.apiUrl,
        SLACK_BOT_TOKEN: sandbox.tokens.slackBot,
        THREADBRIDGE_SLACK_API_URL: sandbox.slack.apiUrl,
        ...slack,
      }
    }

    it('in HTTP mode, says the app token is not used and the signing secret is set', async () => {
      await runDoctor(
        await env([sandbox.community], { THREADBRIDGE_SLACK_MODE: 'http', SLACK_SIGNING_SECRET: 'secret' }),
      )
      expect(slackLines().filter((line) => /SLACK_APP_TOKEN|SLACK_SIGNING_SECRET/.test(line))).toEqual([
        '- Slack: SLACK_APP_TOKEN is not used in HTTP mode (THREADBRIDGE_SLACK_MODE=http): not checked',
        '✓ Slack: SLACK_SIGNING_SECRET is set (HTTP mode): every request to /slack/events is checked with it',
      ])
    })

    it("prints the token's workspace id, and names a community whose teamId is another", async () => {
      const teamId = sandbox.slackSeed.teamId
      const elsewhere = {
        id: 'elsewhere',
        name: 'Elsewhere',
        slack: { teamId: 'T0ELSEWHERE', channelId: 'C0ELSEWHERE' },
        moderators: [],
      }
      await runDoctor(await env([sandbox.community, elsewhere], { SLACK_APP_TOKEN: sandbox.tokens.slackApp }))
      expect(slackLines()).toContain(
        `✓ Slack: SLACK_BOT_TOKEN is valid (workspace Lightbulb Moment, team id ${teamId}, bot @${sandbox.slack.state.botUser.name})`,
      )
      expect(slackLines()).toContain('✓ Slack: SLACK_APP_TOKEN opens a Socket Mode connection')
      expect(slackLines().filter((line) => line.includes('teamId'))).toEqual([
        `✓ Slack: Lightbulb Moment's slack.teamId is the token's workspace (${teamId})`,
        `✗ Slack: Elsewhere's slack.teamId is T0ELSEWHERE, but SLACK_BOT_TOKEN is for workspace Lightbulb Moment (${teamId}): set slack.teamId to ${teamId} in THREADBRIDGE_CONFIG, or use that workspace's bot token`,
      ])
    })
  })
})
