import { describe, expect, it } from 'vitest'
import { MAX_LINK_ADDRESS, MAX_LINK_LABEL, parseBudget } from '../../src/format/discord-link-match.ts'
import { DISCORD_NODE_TYPES, parseDiscord } from '../../src/format/discord-nodes.ts'
import { discordToSlack, slackToDiscord, slackToPlain } from '../../src/format/index.ts'
import { slackParseFits } from '../../src/format/slack-parse-budget.ts'
import { InboundDecisions } from '../../src/inbound/inbound-decisions.ts'
import { mentionNames } from '../../src/names/mention-names.ts'
import { FakeModeratorAlerts } from '../fakes/fake-moderator-alerts.ts'
import { FakePlatformPort } from '../fakes/fake-platform-port.ts'
import { useCore } from '../support/core-fixture.ts'
import { lightbulb } from '../support/people.ts'

/** `piece` repeated to exactly `length` characters. */
const hostile = (piece: string, length: number) =>
  piece.repeat(Math.ceil(length / piece.length)).slice(0, length)

/** Discord's limits: 2,000 characters, 4,000 with Nitro. */
const DISCORD_LENGTHS = [2000, 4000]
/** Slack's limit. */
const SLACK_LENGTH = 40_000

/** At most every rule tried at every character, plus one bounded link scan from each. */
const linearSteps = (length: number) =>
  (DISCORD_NODE_TYPES.length + MAX_LINK_LABEL + MAX_LINK_ADDRESS) * length

describe('parsing hostile Discord text is bounded by its length (issue 17, 9)', () => {
  // '[a](' cost the library's link regex cubic time: 0.2 s at 2,000 characters, 1.8 s at 4,000.
  it.each(['[a](', '[', '[a]( ', '[[a]', '[a](b', '](<', '*a', '||a', '<@', '🙂', 'a\n'])(
    '%s at the platform’s lengths takes steps in proportion to its length',
    (piece) => {
      for (const length of DISCORD_LENGTHS) {
        const meter = { steps: 0 }
        parseDiscord(hostile(piece, length), meter)
        expect(meter.steps).toBeLessThanOrEqual(linearSteps(length))
      }
    },
  )

  it('past its budget, hostile text is shown as plain words, and still pings nobody', () => {
    const text = `${hostile('[a](', 4000 - 12)}[](!channel)`
    const converted = discordToSlack(text)
    expect(converted).not.toMatch(/<[!@]/)
    expect(converted.startsWith('[a](')).toBe(true)
  })

  it('past its budget, a spoiler in hostile text stays hidden', () => {
    const converted = discordToSlack(`${hostile('[a](', 4000 - 40)} ||the butler did it|| the end`)
    expect(converted).not.toContain('butler')
    expect(converted.endsWith(' the end')).toBe(true)
  })

  it('ordinary text, dense with markup, stays far within the budget', () => {
    const ordinary = hostile(
      'See [the guide](https://docs.example/guide) and **this**, <@123456789012345678> 🙂 `code` ||spoiler||\n',
      4000,
    )
    const meter = { steps: 0 }
    parseDiscord(ordinary, meter)
    expect(meter.steps).toBeLessThan(parseBudget(4000) / 4)
    expect(discordToSlack(ordinary)).toContain('<https://docs.example/guide|the guide>')
  })
})

describe('parsing hostile Slack text is bounded by its length (issue 17, 9)', () => {
  // '```a ' cost 1.9 s at 40,000 characters; 6,000 quote lines overflowed the stack.
  it.each(['```a ', '&gt; a\n', '&gt;&gt;&gt;', '\n&gt; a'])(
    '%s at Slack’s length is not given to the parser, and converts without error',
    (piece) => {
      const text = hostile(piece, SLACK_LENGTH)
      expect(slackParseFits(text)).toBe(false)
      expect(() => slackToDiscord(text)).not.toThrow()
      expect(() => slackToPlain(text)).not.toThrow()
    },
  )

  it('ordinary text with quotes and code is parsed as before', () => {
    const ordinary = hostile('&gt; a quoted line\nan answer with `code` and ```a block```\n', 2000)
    expect(slackParseFits(ordinary)).toBe(true)
    expect(slackToDiscord('&gt; quoted\n```x```')).toBe('> quoted\n```\nx\n```')
  })
})

describe('a non-member’s message is not parsed at all', () => {
  const t = useCore()

  it('refuses a stranger’s opening post before reading its first line’s mentions', async () => {
    const slack = new FakePlatformPort('slack')
    const discord = new FakePlatformPort('discord')
    const ports = new Map([
      ['slack', slack],
      ['discord', discord],
    ] as const)
    const alerts = new FakeModeratorAlerts()
    const decisions = new InboundDecisions({
      core: t.core,
      names: mentionNames(t.handle.db, ports, t.clock),
      ports: new Map([
        ['slack', slack],
        ['discord', discord],
      ]),
      alerts,
      deadLetters: alerts,
      clock: t.clock,
    })
    const channel = lightbulb.slack.channelId
    await decisions.apply({
      kind: 'message_posted',
      origin: { platform: 'slack', eventId: 'EvSTRANGER' },
      channelId: channel,
      author: { platformUserId: 'U0STRANGER', displayName: 'stranger' },
      text: `<@U0ALEX> ${hostile('```a ', 2000)}\nbody`,
      format: 'slack',
      attachments: [],
      source: { platform: 'slack', channelId: channel, messageId: '1.000001', threadId: '1.000001' },
      opens: { titledByFirstLine: true },
    })
    expect(slack.told.map((notice) => notice.platformUserId)).toEqual(['U0STRANGER'])
    expect(slack.lookedUp).not.toContain('U0ALEX')
  })
})
