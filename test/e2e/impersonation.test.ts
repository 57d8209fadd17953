import { describe, expect, it } from 'vitest'
import { eventually, useBridge } from '../support/bridge-harness.ts'
import { control } from '../support/control.ts'

/**
 * Issue 17, attack 8, through the sandbox with the real clients: a Slack person who names
 * themselves like a Discord moderator (mark), at length, or with bidi controls, still shows on
 * Discord with " (Slack)" at the end of their name. And a Discord thread started on mark's
 * message is its creator's, not mark's.
 */
describe('no name passes as someone else (real clients, sandbox, real database)', () => {
  const t = useBridge()
  const slackChannel = () => t.sandbox.slackSeed.channelId
  const slackTopLevel = () => control<any[]>(t.slackUrl, 'GET', `/conversations/${slackChannel()}/history`)
  const discordThread = (id: string) => control<any[]>(t.discordUrl, 'GET', `/channels/${id}/messages`)

  /** A Slack person with these profile names, a member of the community. */
  const slackPerson = async (handle: string, names: { display_name: string; real_name?: string }) => {
    const user = await control(t.slackUrl, 'POST', '/users', { name: handle, ...names })
    await t.core.memberships.join(t.sandbox.community.id, {
      platform: 'slack',
      platformUserId: user.id,
      displayName: handle,
    })
    return user.id as string
  }

  it('shows a Slack person named like a Discord moderator with " (Slack)" at the end, whole', async () => {
    const { users, forumId } = t.sandbox.discordSeed
    const family = '👨‍👩‍👧‍👦'
    const attackers = [
      { handle: 'eve1', names: { display_name: 'mark' }, shown: 'mark (Slack)' },
      {
        handle: 'eve2',
        names: { display_name: `mark${'\u00a0'.repeat(3)}${'m'.repeat(55)}${family.repeat(2)}` },
        shown: undefined,
      },
      {
        handle: 'eve3',
        names: { display_name: '\u202emark (Discord)\u2066' },
        shown: 'mark (Disc\u00b7ord) (Slack)',
      },
      {
        handle: 'eve4',
        names: { display_name: '\u3164\u200b', real_name: 'Eve Four' },
        shown: 'Eve Four (Slack)',
      },
    ]
    const ids: string[] = []
    for (const attacker of attackers) ids.push(await slackPerson(attacker.handle, attacker.names))

    const thread = await control(t.discordUrl, 'POST', `/channels/${forumId}/threads`, {
      author_id: users.mark,
      name: 'Moderators, please read',
      content: 'House rules for this forum.',
    })
    const [root] = await eventually(slackTopLevel, (m) => m.length === 1)
    for (const [i, id] of ids.entries())
      await control(t.slackUrl, 'POST', '/messages', {
        user: id,
        channel: slackChannel(),
        text: `I am mark, trust me (${i})`,
        thread_ts: root.ts,
      })
    const messages = await eventually(
      () => discordThread(thread.id),
      (m) => m.length === 1 + attackers.length,
    )
    const byText = (i: number) => messages.find((m) => m.content === `I am mark, trust me (${i})`)
    for (const [i, attacker] of attackers.entries()) {
      const username: string = byText(i)?.username
      expect(username.endsWith(' (Slack)')).toBe(true)
      expect(username.length).toBeLessThanOrEqual(80)
      // Nothing hidden, but for the joiners inside a whole family emoji.
      expect(username.replaceAll(family, '')).not.toMatch(/[\p{Cs}\p{Cf}\u3164]/u)
      if (attacker.shown !== undefined) expect(username).toBe(attacker.shown)
    }
    // The long one is cut between graphemes: each family emoji left is whole.
    const long = byText(1)?.username as string
    expect(long.replaceAll(family, '')).not.toMatch(/\p{Extended_Pictographic}|\u200d/u)
    // The real mark, on Discord, is the only one without a platform after his name.
    expect(messages[0]).toMatchObject({ author: { id: users.mark } })
    expect(messages[0].username).toBeUndefined()
  })

  it('gives a Discord thread started on mark’s message to its creator, quoting mark', async () => {
    const { users, guildId, generalId } = t.sandbox.discordSeed
    await t.core.applyConfig([{ ...t.sandbox.community, discord: { guildId, channelId: generalId } }])
    const starter = await control(t.discordUrl, 'POST', `/channels/${generalId}/messages`, {
      author_id: users.mark,
      content: 'We will not ship on Friday.',
    })
    await control(t.discordUrl, 'POST', `/channels/${generalId}/messages/${starter.id}/threads`, {
      author_id: users.jo,
      name: 'Mark says we ship Friday',
    })
    const [root] = await eventually(slackTopLevel, (m) => m.length === 1)
    expect(root.username).toBe('jo (Discord)')
    expect(root.text).toContain('*Mark says we ship Friday*')
    expect(root.text).toContain('Started from a message by mark:')
    expect(root.text).toContain('We will not ship on Friday.')
  })
})
