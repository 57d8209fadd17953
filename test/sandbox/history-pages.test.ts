import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { type Sandbox, startSandbox } from '../../sandbox/sandbox.ts'
import { control } from '../support/control.ts'

/**
 * Reading history as the platforms page it: Discord's GET /channels/{id}/messages with
 * `after`/`before` and its archived-threads listing, Slack's conversations.history and
 * conversations.replies with `oldest`/`latest` and cursors. Asked as the bot, over the wire.
 */
describe('the sandbox pages history as the platforms do', () => {
  let sandbox: Sandbox
  beforeEach(async () => {
    sandbox = await startSandbox({ discordPort: 0, slackPort: 0 })
  })
  afterEach(async () => {
    await sandbox.stop()
  })

  const discord = async (path: string) => {
    const response = await fetch(`${sandbox.discord.apiUrl}/v10${path}`, {
      headers: { authorization: `Bot ${sandbox.tokens.discord}` },
    })
    return { status: response.status, body: (await response.json()) as any }
  }
  const slack = async (method: string, args: Record<string, string>) => {
    const response = await fetch(`${sandbox.slack.apiUrl}${method}`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${sandbox.tokens.slackBot}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams(args).toString(),
    })
    return (await response.json()) as any
  }

  it('Discord: messages after or before an id, newest first, at most `limit`; a bad limit is 50035', async () => {
    const { forumId, users } = sandbox.discordSeed
    const thread = await control(sandbox.discord.url, 'POST', `/channels/${forumId}/threads`, {
      author_id: users.jo,
      name: 'Paged',
      content: 'm0',
    })
    const ids: string[] = [thread.id]
    for (let i = 1; i < 7; i++)
      ids.push(
        (
          await control(sandbox.discord.url, 'POST', `/channels/${thread.id}/messages`, {
            author_id: users.jo,
            content: `m${i}`,
          })
        ).id,
      )
    const contents = (page: { body: { content: string }[] }) => page.body.map((m) => m.content)
    expect(contents(await discord(`/channels/${thread.id}/messages?after=${ids[1]}&limit=3`))).toEqual([
      'm4',
      'm3',
      'm2',
    ])
    expect(contents(await discord(`/channels/${thread.id}/messages?before=${ids[3]}&limit=2`))).toEqual([
      'm2',
      'm1',
    ])
    expect(contents(await discord(`/channels/${thread.id}/messages?limit=2`))).toEqual(['m6', 'm5'])
    expect(contents(await discord(`/channels/${thread.id}/messages?after=${ids[6]}`))).toEqual([])
    const refused = await discord(`/channels/${thread.id}/messages?limit=101`)
    expect(refused).toMatchObject({ status: 400, body: { code: 50035 } })
  })

  it('Discord: archived public threads, most recently archived first, paged by `before` with has_more', async () => {
    const { forumId, users } = sandbox.discordSeed
    const threads = []
    for (const name of ['a', 'b', 'c', 'open']) {
      threads.push(
        await control(sandbox.discord.url, 'POST', `/channels/${forumId}/threads`, {
          author_id: users.jo,
          name,
          content: name,
        }),
      )
    }
    // Archived in the order c, a, b: listed b, a, c.
    for (const index of [2, 0, 1]) {
      await control(sandbox.discord.url, 'PATCH', `/channels/${threads[index].id}`, { archived: true })
      // Archive timestamps are milliseconds: let each archive fall in a later one.
      const at = Date.now()
      while (Date.now() === at) await new Promise((resolve) => setImmediate(resolve))
    }
    const first = await discord(`/channels/${forumId}/threads/archived/public?limit=2`)
    expect(first.body.threads.map((t: any) => t.name)).toEqual(['b', 'a'])
    expect(first.body.has_more).toBe(true)
    const before = first.body.threads[1].thread_metadata.archive_timestamp
    const second = await discord(`/channels/${forumId}/threads/archived/public?limit=2&before=${before}`)
    expect(second.body.threads.map((t: any) => t.name)).toEqual(['c'])
    expect(second.body.has_more).toBe(false)
    const active = await discord(`/guilds/${sandbox.discordSeed.guildId}/threads/active`)
    expect(active.body.threads.map((t: any) => t.name)).toContain('open')
    expect(active.body.threads.map((t: any) => t.name)).not.toContain('a')
  })

  it('Slack: history newest first between oldest and latest, in pages joined by next_cursor', async () => {
    const { channelId, users } = sandbox.slackSeed
    const posted: string[] = []
    for (let i = 0; i < 5; i++)
      posted.push(
        (
          await control(sandbox.slack.url, 'POST', '/messages', {
            user: users.sam,
            channel: channelId,
            text: `t${i}`,
          })
        ).ts,
      )
    const first = await slack('conversations.history', {
      channel: channelId,
      oldest: posted[0] ?? '',
      limit: '2',
    })
    expect(first.messages.map((m: any) => m.text)).toEqual(['t4', 't3'])
    expect(first.has_more).toBe(true)
    const second = await slack('conversations.history', {
      channel: channelId,
      oldest: posted[0] ?? '',
      limit: '2',
      cursor: first.response_metadata.next_cursor,
    })
    expect(second.messages.map((m: any) => m.text)).toEqual(['t2', 't1'])
    expect(second.has_more).toBe(false)
    expect(second.response_metadata.next_cursor).toBe('')
    const between = await slack('conversations.history', {
      channel: channelId,
      oldest: posted[1] ?? '',
      latest: posted[3] ?? '',
      inclusive: 'true',
    })
    expect(between.messages.map((m: any) => m.text)).toEqual(['t3', 't2', 't1'])
    expect((await slack('conversations.history', { channel: channelId, cursor: 'bm9wZQ==' })).error).toBe(
      'invalid_cursor',
    )
  })

  it('Slack: a thread oldest first, parent included, in pages joined by next_cursor', async () => {
    const { channelId, users } = sandbox.slackSeed
    const root = await control(sandbox.slack.url, 'POST', '/messages', {
      user: users.sam,
      channel: channelId,
      text: 'root',
    })
    for (let i = 0; i < 3; i++)
      await control(sandbox.slack.url, 'POST', '/messages', {
        user: users.alex,
        channel: channelId,
        text: `r${i}`,
        thread_ts: root.ts,
      })
    const first = await slack('conversations.replies', { channel: channelId, ts: root.ts, limit: '2' })
    expect(first.messages.map((m: any) => m.text)).toEqual(['root', 'r0'])
    expect(first.has_more).toBe(true)
    const second = await slack('conversations.replies', {
      channel: channelId,
      ts: root.ts,
      limit: '2',
      cursor: first.response_metadata.next_cursor,
    })
    expect(second.messages.map((m: any) => m.text)).toEqual(['r1', 'r2'])
    expect(second.has_more).toBe(false)
  })
})
