import { ChannelType, type Message, type ThreadChannel } from 'discord.js'
import { describe, expect, it } from 'vitest'
import { starterOfThread, viewOfMessage } from '../../adapters/discord/discord-events.ts'
import { webhookIdentity } from '../../adapters/discord/discord-webhook-names.ts'
import { resolveMember } from '../../src/members/resolve-member.ts'
import type { AuthorView } from '../../src/platform/platform-port.ts'
import { useCore } from '../support/core-fixture.ts'

/**
 * Attack 8 of issue 17, and the thread-starter hole of 9: no name may pass as someone else. A
 * mirrored post's name always ends with its platform, whole; what a reader cannot see is not kept
 * in a name; a thread started on another's message is its creator's.
 */

const slackAuthor = (displayName: string): AuthorView => ({ displayName, avatarUrl: null, platform: 'slack' })
const graphemes = (text: string) => [
  ...new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(text),
]
const LONE_SURROGATE = /\p{Cs}/u
/** What Discord refuses in a webhook's name, once what a reader cannot see is taken out. */
const REFUSED_BY_DISCORD = /clyde|discord/i
const HIDDEN = /[\p{Cf}\p{Default_Ignorable_Code_Point}\u2800]/u

describe('a mirrored name always ends with its platform, whole', () => {
  it('keeps " (Slack)" after a display name of 73 characters or more', () => {
    for (const length of [72, 73, 79, 80, 200]) {
      const { username } = webhookIdentity(slackAuthor('m'.repeat(length)))
      expect(username.length).toBeLessThanOrEqual(80)
      expect(username.endsWith(' (Slack)')).toBe(true)
    }
  })

  it('cuts between graphemes: no lone surrogate, no half a family emoji', () => {
    const family = '👨‍👩‍👧‍👦'
    for (let pad = 60; pad < 80; pad += 1) {
      const { username } = webhookIdentity(slackAuthor(`${'a'.repeat(pad)}${family.repeat(4)}`))
      expect(username).not.toMatch(LONE_SURROGATE)
      expect(username.endsWith(' (Slack)')).toBe(true)
      const kept = graphemes(username.slice(0, -' (Slack)'.length))
        .map((g) => g.segment)
        .filter((g) => g !== 'a' && g !== '…')
      for (const g of kept) expect(g).toBe(family)
    }
  })

  it('shows a Slack person named like a Discord person with " (Slack)" at the end', () => {
    for (const name of [
      'mark (Discord)',
      'mark (Discord)\u202e',
      'mark\u2067 (Discord)',
      `mark (Discord)${' '.repeat(80)}`,
    ]) {
      const { username } = webhookIdentity(slackAuthor(name))
      expect(username.endsWith(' (Slack)')).toBe(true)
      expect(username).not.toMatch(HIDDEN)
      // Discord refuses a webhook name with "discord" in it, hidden characters or not.
      expect(username.replace(HIDDEN, '')).not.toMatch(REFUSED_BY_DISCORD)
    }
  })

  it('never sends Discord a name it refuses, whatever the person is called', () => {
    for (const name of ['Clyde', 'cl\u200byde', 'DISCORD mod', 'disc\u2060ord']) {
      const { username } = webhookIdentity(slackAuthor(name))
      expect(username.replace(new RegExp(HIDDEN, 'gu'), '')).not.toMatch(REFUSED_BY_DISCORD)
    }
  })

  it('drops bidi controls and invisible characters from the name it shows', () => {
    const hidden = [
      '\u202e',
      '\u2066',
      '\u200f',
      '\u200b',
      '\u115f',
      '\u1160',
      '\u3164',
      '\uffa0',
      '\u2800',
      '\ufeff',
      '\u00ad',
    ]
    for (const char of hidden) {
      const { username } = webhookIdentity(slackAuthor(`ma${char}rk`))
      expect(username).toBe('mark (Slack)')
    }
  })

  it('gives a name that is nothing but invisible characters a fallback', () => {
    const { username } = webhookIdentity(slackAuthor('\u3164\u200b\u2800 '))
    const name = username.slice(0, -' (Slack)'.length)
    expect(username.endsWith(' (Slack)')).toBe(true)
    expect(name.trim()).not.toBe('')
    expect(name).not.toMatch(HIDDEN)
  })
})

describe('names are cleaned where they enter the core', () => {
  const fixture = useCore()

  it('stores a name without bidi controls or fillers, and an id for a name that is only those', async () => {
    const now = fixture.clock.now()
    const ids = await fixture.handle.db
      .transaction()
      .execute(async (tx) => [
        await resolveMember(
          tx,
          { platform: 'slack', platformUserId: 'U0EVE', displayName: '\u202emark\u2066\u3164' },
          now,
        ),
        await resolveMember(
          tx,
          { platform: 'slack', platformUserId: 'U0NOBODY', displayName: '\u115f\u1160\u200d' },
          now,
        ),
      ])
    const rows = await fixture.handle.db
      .selectFrom('identities')
      .innerJoin('members', 'members.id', 'identities.member_id')
      .select([
        'identities.platform_user_id',
        'identities.display_name',
        'members.display_name as member_name',
      ])
      .where('identities.member_id', 'in', ids)
      .orderBy('identities.platform_user_id')
      .execute()
    expect(rows).toEqual([
      { platform_user_id: 'U0EVE', display_name: 'mark', member_name: 'mark' },
      { platform_user_id: 'U0NOBODY', display_name: 'U0NOBODY', member_name: 'U0NOBODY' },
    ])
  })

  it('keeps an emoji made of several code points whole', async () => {
    const now = fixture.clock.now()
    await fixture.handle.db
      .transaction()
      .execute((tx) =>
        resolveMember(tx, { platform: 'slack', platformUserId: 'U0FAM', displayName: 'Fam 👨‍👩‍👧 🏴󠁧󠁢󠁳󠁣󠁴󠁿' }, now),
      )
    const row = await fixture.handle.db
      .selectFrom('identities')
      .select('display_name')
      .where('platform_user_id', '=', 'U0FAM')
      .executeTakeFirstOrThrow()
    expect(row.display_name).toBe('Fam 👨‍👩‍👧 🏴󠁧󠁢󠁳󠁣󠁴󠁿')
  })
})

describe('a Discord thread started on someone else’s message', () => {
  const starter = {
    id: '1100000000000000100',
    channelId: '1100000000000000001',
    content: 'Our quarterly numbers are in.',
    author: {
      id: '1100000000000000002',
      bot: false,
      globalName: 'Mark',
      username: 'mark',
      displayAvatarURL: () => 'https://cdn.example/mark.png',
    },
    member: null,
    webhookId: null,
    editedTimestamp: null,
    reference: null,
    attachments: new Map(),
  } as unknown as Message
  const threadBy = (ownerId: string) =>
    ({
      id: '1100000000000000050',
      parentId: '1100000000000000001',
      name: 'Mark agrees with me',
      ownerId,
      parent: { type: ChannelType.GuildText },
    }) as unknown as ThreadChannel
  const origin = { platform: 'discord' as const, eventId: 'thread_create:1' }

  it('opens a discussion by the thread’s creator, quoting the message’s author by name', () => {
    const posted = starterOfThread(threadBy('1100000000000000003'), viewOfMessage(starter), origin)
    expect(posted?.author.platformUserId).toBe('1100000000000000003')
    // The creator's name is looked up: the message's author must not lend theirs.
    expect(posted?.author.displayName).toBeUndefined()
    expect(posted?.opens).toMatchObject({ title: 'Mark agrees with me' })
    const body = posted?.opens && 'body' in posted.opens ? posted.opens.body : ''
    expect(body).toContain('Mark')
    expect(body).toContain('> Our quarterly numbers are in.')
  })

  it('is the author’s own when they start the thread on their message', () => {
    const posted = starterOfThread(threadBy('1100000000000000002'), viewOfMessage(starter), origin)
    expect(posted?.author).toMatchObject({ platformUserId: '1100000000000000002', displayName: 'Mark' })
    expect(posted?.opens).toEqual({ title: 'Mark agrees with me', body: 'Our quarterly numbers are in.' })
  })
})
