import { describe, expect, it } from 'vitest'
import { discordToSlack, slackToDiscord } from '../../../src/format/index.ts'
import { MENTION_LOOKUPS_PER_MESSAGE, MentionNames } from '../../../src/names/mention-names.ts'
import type { Platform } from '../../../src/platform/platform.ts'
import { FakeClock } from '../../fakes/fake-clock.ts'
import { FakeNameSource } from '../../fakes/fake-name-source.ts'

function setup(ours: Record<string, string> = {}) {
  const clock = new FakeClock()
  const discord = new FakeNameSource()
  const slack = new FakeNameSource()
  const statements: string[][] = []
  const known = async (_platform: Platform, ids: readonly string[]) => {
    statements.push([...ids])
    return new Map(ids.flatMap((id) => (ours[id] ? [[id, ours[id]] as [string, string]] : [])))
  }
  const sources = new Map<Platform, FakeNameSource>([
    ['discord', discord],
    ['slack', slack],
  ])
  const names = new MentionNames(known, sources, clock, { lookupTimeoutMs: 50 })
  return { clock, discord, slack, statements, names }
}

const MARK = '123456789012345678'
const FORUM = '123456789012345670'
const MODS = '123456789012345679'

describe('MentionNames', () => {
  it('names people from our identities first, then channels and roles from the platform', async () => {
    const { names, discord, statements } = setup({ [MARK]: 'mark' })
    discord.channels.set(FORUM, 'discussions')
    discord.roles.set(MODS, 'Moderators')
    const text = `ask <@${MARK}> in <#${FORUM}>, or <@&${MODS}>`
    const ctx = await names.contextFor(text, 'discord')
    expect(discordToSlack(text, ctx)).toBe('ask @mark in #discussions, or @Moderators')
    expect(statements).toEqual([[MARK]]) // one statement for the people
    expect(discord.lookups).toBe(2) // the person came from our records
  })

  it('asks the platform for a person our records do not know, both ways', async () => {
    const { names, slack } = setup()
    slack.users.set('U0ALEX', 'alex')
    const text = 'thanks <@U0ALEX>'
    expect(slackToDiscord(text, await names.contextFor(text, 'slack'))).toBe('thanks @alex')
  })

  it('remembers names until they expire, and costs nothing for a message without mentions', async () => {
    const { names, discord, statements, clock } = setup()
    discord.users.set(MARK, 'mark')
    await names.contextFor(`<@${MARK}>`, 'discord')
    await names.contextFor(`again <@${MARK}>`, 'discord')
    expect(discord.lookups).toBe(1)
    expect(await names.contextFor('no mentions here', 'discord')).toEqual({})
    expect(statements).toHaveLength(1)

    discord.users.set(MARK, 'Mark R.')
    clock.advance(11 * 60_000)
    const ctx = await names.contextFor(`<@${MARK}>`, 'discord')
    expect(ctx.userName?.(MARK)).toBe('Mark R.')
    expect(discord.lookups).toBe(2)
  })

  it('does not hold a message for a slow lookup, and names the next message once it answers', async () => {
    const { names, discord } = setup()
    discord.users.set(MARK, 'mark')
    let release = () => {}
    discord.hold = new Promise<void>((resolve) => {
      release = resolve
    })
    const first = await names.contextFor(`<@${MARK}>`, 'discord')
    expect(first.userName?.(MARK)).toBeUndefined() // the timeout passed: the converter's fallback shows
    release()
    discord.hold = undefined
    await new Promise((resolve) => setImmediate(resolve))
    const second = await names.contextFor(`<@${MARK}>`, 'discord')
    expect(second.userName?.(MARK)).toBe('mark')
    expect(discord.lookups).toBe(1)
  })

  it('remembers briefly that nobody knows an id, and a failing platform is "unknown", not an error', async () => {
    const { names, discord, clock } = setup()
    discord.lookUpUser = async () => {
      discord.lookups++
      throw new Error('503')
    }
    expect((await names.contextFor(`<@${MARK}>`, 'discord')).userName?.(MARK)).toBeUndefined()
    await names.contextFor(`<@${MARK}>`, 'discord')
    expect(discord.lookups).toBe(1)
    clock.advance(11_000) // a failure may pass: asked again soon
    await names.contextFor(`<@${MARK}>`, 'discord')
    expect(discord.lookups).toBe(2)
  })

  it('remembers for a minute that the platform knows no such id', async () => {
    const { names, discord, clock } = setup()
    await names.contextFor(`<@${MARK}>`, 'discord')
    clock.advance(30_000)
    await names.contextFor(`<@${MARK}>`, 'discord')
    expect(discord.lookups).toBe(1)
    clock.advance(31_000)
    await names.contextFor(`<@${MARK}>`, 'discord')
    expect(discord.lookups).toBe(2)
  })

  it('asks once for a name that several messages wait for at the same time', async () => {
    const { names, slack } = setup()
    slack.users.set('U0ALEX', 'alex')
    const contexts = await Promise.all([1, 2, 3].map(() => names.contextFor('<@U0ALEX>', 'slack')))
    expect(contexts.map((ctx) => ctx.userName?.('U0ALEX'))).toEqual(['alex', 'alex', 'alex'])
    expect(slack.lookups).toBe(1)
  })

  it('asks the platform for at most the capped number of names per message; our records are not capped', async () => {
    const { names, discord } = setup({ [MARK]: 'mark' })
    const fresh = Array.from({ length: 30 }, (_, i) => `2234567890123450${String(i).padStart(2, '0')}`)
    for (const id of fresh) discord.users.set(id, `person ${id}`)
    discord.channels.set(FORUM, 'discussions')
    const text = `<@${MARK}> <#${FORUM}> ${fresh.map((id) => `<@${id}>`).join(' ')}`
    const ctx = await names.contextFor(text, 'discord')
    expect(discord.lookups).toBe(MENTION_LOOKUPS_PER_MESSAGE)
    expect(ctx.userName?.(MARK)).toBe('mark')
    expect(ctx.channelName?.(FORUM)).toBe('discussions')
    const named = fresh.filter((id) => ctx.userName?.(id) !== undefined)
    expect(named).toHaveLength(MENTION_LOOKUPS_PER_MESSAGE - 1)
    expect(discordToSlack(text, ctx)).toContain('@unknown-user')
    // The next message asks for the next ones: names fill in, a budget at a time.
    await names.contextFor(text, 'discord')
    expect(discord.lookups).toBe(2 * MENTION_LOOKUPS_PER_MESSAGE)
  })
})
