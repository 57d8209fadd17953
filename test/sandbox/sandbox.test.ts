import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startSandbox } from '../../sandbox/sandbox.ts'
import { control } from '../support/control.ts'

describe('the sandbox', () => {
  let dataDir: string
  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'threadbridge-sandbox-'))
  })
  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true })
  })

  it('seeds the community once, and keeps its world (and so every id) across restarts', async () => {
    const first = await startSandbox({ dataDir, discordPort: 0, slackPort: 0 })
    expect(first.firstStart).toBe(true)
    expect(first.community).toMatchObject({
      name: 'Lightbulb Moment',
      discord: { guildId: first.discordSeed.guildId, channelId: first.discordSeed.forumId },
      slack: { channelId: first.slackSeed.channelId },
    })
    expect(first.members.map((m) => m.displayName)).toEqual(['jo', 'mark', 'sam', 'alex'])
    const thread = await control(
      first.discord.url,
      'POST',
      `/channels/${first.discordSeed.forumId}/threads`,
      {
        author_id: first.discordSeed.users.jo,
        name: 'Kept',
        content: 'across restarts',
      },
    )
    const slackPost = await control(first.slack.url, 'POST', '/messages', {
      user: first.slackSeed.users.sam,
      channel: first.slackSeed.channelId,
      text: 'also kept',
    })
    await first.stop()

    const second = await startSandbox({ dataDir, discordPort: 0, slackPort: 0 })
    try {
      expect(second.firstStart).toBe(false)
      expect(second.discordSeed).toEqual(first.discordSeed)
      expect(second.discord.state.applicationId).toBe(first.discord.state.applicationId)
      const messages = await control<any[]>(second.discord.url, 'GET', `/channels/${thread.id}/messages`)
      expect(messages.map((m) => m.content)).toEqual(['across restarts'])
      const history = await control<any[]>(
        second.slack.url,
        'GET',
        `/conversations/${second.slackSeed.channelId}/history`,
      )
      expect(history.map((m) => [m.ts, m.text])).toEqual([[slackPost.ts, 'also kept']])
      // New timestamps keep increasing after a restart.
      const next = await control(second.slack.url, 'POST', '/messages', {
        user: second.slackSeed.users.sam,
        channel: second.slackSeed.channelId,
        text: 'later',
      })
      expect(Number(next.ts)).toBeGreaterThan(Number(slackPost.ts))
    } finally {
      await second.stop()
    }
  })

  it('answers a malformed control call with a sentence saying what is wrong, on both emulators', async () => {
    const sandbox = await startSandbox({ discordPort: 0, slackPort: 0 })
    try {
      const call = (base: string, path: string, body: string) =>
        fetch(`${base}/_sandbox${path}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body,
        })
      const routes = [
        [sandbox.discord.url, `/channels/${sandbox.discordSeed.forumId}/threads`],
        [sandbox.slack.url, '/messages'],
      ] as const
      for (const [base, route] of routes) {
        const broken = await call(base, route, '{not json')
        expect([broken.status, await broken.json()]).toEqual([
          400,
          { error: 'the request body is not valid JSON' },
        ])
      }
      const noAuthor = await call(
        sandbox.discord.url,
        `/channels/${sandbox.discordSeed.forumId}/threads`,
        JSON.stringify({ name: 'Who?', content: 'Nobody wrote this' }),
      )
      expect([noAuthor.status, await noAuthor.json()]).toEqual([
        400,
        { error: 'say who acts: author_id is required, a user id' },
      ])
      const noUser = await call(
        sandbox.slack.url,
        '/messages',
        JSON.stringify({ channel: sandbox.slackSeed.channelId, text: 'hi' }),
      )
      expect([noUser.status, await noUser.json()]).toEqual([
        400,
        { error: 'say who acts: user is required, a user id' },
      ])
    } finally {
      await sandbox.stop()
    }
  })
})
