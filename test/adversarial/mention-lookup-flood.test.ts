import { describe, expect, it } from 'vitest'
import { MENTION_LOOKUPS_PER_MESSAGE } from '../../src/names/mention-names.ts'
import { eventually, useBridge } from '../support/bridge-harness.ts'
import { control } from '../support/control.ts'

/**
 * The attack: a Discord message of nothing but mentions of ids nobody knows. Each one cost a
 * member lookup and a user lookup on Discord's REST API (about 180 calls for one message),
 * spending the bot's rate limits that every mirror shares. Lookups are now capped per message;
 * past the cap a mention shows as the neutral placeholder, never a ping.
 */
describe('a message full of unknown mentions (real discord.js and Bolt, sandbox)', () => {
  const t = useBridge()

  it('costs at most the capped number of lookups, and mirrors the rest as placeholders', async () => {
    const { discordSeed, slackSeed } = t.sandbox
    const thread = await control(t.discordUrl, 'POST', `/channels/${discordSeed.forumId}/threads`, {
      author_id: discordSeed.users.jo,
      name: 'Who are all these people?',
      content: 'Let me introduce them.',
    })
    const [root] = await eventually(
      () => control<any[]>(t.slackUrl, 'GET', `/conversations/${slackSeed.channelId}/history`),
      (m) => m.length === 1,
    )
    const ids = Array.from({ length: 88 }, (_, i) => `91000000000000${String(i).padStart(4, '0')}`)
    const content = ids.map((id) => `<@${id}>`).join(' ')
    expect(content.length).toBeLessThanOrEqual(2000)
    await control(t.discordUrl, 'DELETE', '/stats')
    await control(t.discordUrl, 'POST', `/channels/${thread.id}/messages`, {
      author_id: discordSeed.users.mark,
      content,
    })
    const replies = await eventually(
      () => control<any[]>(t.slackUrl, 'GET', `/conversations/${slackSeed.channelId}/replies/${root.ts}`),
      (m) => m.length === 2,
    )
    const text: string = replies[1].text
    expect(text).not.toMatch(/<[@!]/)
    expect(text.split('@unknown-user').length - 1).toBeGreaterThanOrEqual(
      ids.length - MENTION_LOOKUPS_PER_MESSAGE,
    )

    const stats = await control<{ by_route: Record<string, { requests: number }> }>(
      t.discordUrl,
      'GET',
      '/stats',
    )
    const lookups = Object.entries(stats.by_route)
      .filter(([route]) => /^GET \/(users\/:id|guilds\/:[a-z_]+\/members\/:[a-z_]+)$/.test(route))
      .reduce((sum, [, entry]) => sum + entry.requests, 0)
    // A person is asked of the server, then of Discord's users: two calls each at most.
    expect(lookups).toBeGreaterThan(0)
    expect(lookups).toBeLessThanOrEqual(2 * MENTION_LOOKUPS_PER_MESSAGE)
  })
})
