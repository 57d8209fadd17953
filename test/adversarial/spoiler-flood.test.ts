import { describe, expect, it } from 'vitest'
import { discordToSlack } from '../../src/format/index.ts'
import { splitMessage } from '../../src/mirror/split-message.ts'

/** Slack's part length, as the Slack adapter declares it (`maxMessageLength`). */
const SLACK_PART = 4000
/** Discord's longest message (with Nitro). */
const DISCORD_LENGTH = 4000
const SOURCE_URL = 'https://discord.com/channels/1100000000000000000/1100000000000000011/1100000000000000012'

/** `piece` repeated to exactly `length` characters. */
const hostile = (piece: string, length: number) =>
  piece.repeat(Math.ceil(length / piece.length)).slice(0, length)

const slackPosts = (discordText: string) =>
  splitMessage(discordToSlack(discordText, { sourceUrl: SOURCE_URL }), SLACK_PART).length

const plainPosts = slackPosts(
  hostile('We meet on Friday at the usual place, see you there. ', DISCORD_LENGTH),
)

/**
 * Slack cannot hide a spoiler, so each one points to the Discord original: a placeholder twenty
 * times the size of `||s||`. 800 of them made one Discord message into 26 Slack posts.
 */
describe('a Discord message full of spoilers costs Slack no more posts than plain words (issue 17)', () => {
  it.each([
    ['800 spoilers side by side', '||s||'],
    ['spoilers between words', '||s|| a '],
    ['spoilers on lines of their own', '||spoiler||\n'],
  ])('%s, at Discord’s length, fit the posts of a plain message, or one more', (_name, piece) => {
    const text = hostile(piece, DISCORD_LENGTH)
    expect(slackPosts(text)).toBeLessThanOrEqual(plainPosts + 1)
  })

  it('spoilers side by side are one placeholder', () => {
    expect(discordToSlack('||a|| ||b||||c||', { sourceUrl: SOURCE_URL })).toBe(
      `_(spoiler hidden: <${SOURCE_URL}|read it on Discord>)_`,
    )
  })

  it('past the first few placeholders, a spoiler is a short mark that still hides its words', () => {
    const out = discordToSlack('||one|| a ||two|| b ||three|| c ||four|| d ||five||', {
      sourceUrl: SOURCE_URL,
    })
    expect(out.split('read it on Discord').length - 1).toBe(3)
    expect(out).toMatch(/ d ▒▒▒$/)
    for (const word of ['one', 'two', 'three', 'four', 'five']) expect(out).not.toContain(word)
  })
})
