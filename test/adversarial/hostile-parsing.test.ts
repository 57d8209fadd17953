import { describe, expect, it } from 'vitest'
import { ParseBudgetExceeded, parseBudget } from '../../src/format/discord-link-match.ts'
import { parseDiscord } from '../../src/format/discord-nodes.ts'
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

/** An ordinary message, markup and all: what hostile text is measured against (as in the bench). */
const ORDINARY_DISCORD =
  'We meet on **Friday** at the usual place, see [the plan](https://docs.example/plan) <@123456789012345678>. '
/** What "a few times" is, in steps: the most a hostile message may cost against an ordinary one. */
const FEW = 6

/** The steps of a parse of `text`, including those spent before it gave up at its budget. */
function stepsOf(text: string): number {
  const meter = { steps: 0, budget: parseBudget(text.length) }
  try {
    parseDiscord(text, meter)
  } catch (error) {
    if (!(error instanceof ParseBudgetExceeded)) throw error
  }
  return meter.steps
}

/** `piece` repeated, with `closer` planted at the end so that every opener's scan can succeed. */
const planted = (piece: string, closer: string) => (length: number) =>
  `${hostile(piece, length - closer.length)}${closer}`

describe('parsing hostile Discord text costs a few times an ordinary message (issue 17, 9)', () => {
  // '[a](' cost the library's link regex cubic time: 0.2 s at 2,000 characters, 1.8 s at 4,000.
  // The rest cost it quadratic time (a long word, `<` or `~~_` runs), or ten times an ordinary
  // message (`*a`: a node every two characters, each trying all 28 rules), or the stack (`*`).
  it.each([
    ...['[a](', '[', '[a]( ', '[[a]', '[a](b', '](<', '*a', '*a ', '**a', '__a', '__a '],
    ...['~~a', '~~_', '||a', '`a', '>>> ', '*', '_', '<', '<@', '<a:/', '🙂', 'a', 'a_', 'a\n', '.'],
  ])('%s at the platform’s lengths takes at most a few times the steps of ordinary text', (piece) => {
    for (const length of DISCORD_LENGTHS)
      expect(stepsOf(hostile(piece, length))).toBeLessThanOrEqual(
        FEW * stepsOf(hostile(ORDINARY_DISCORD, length)),
      )
  })

  it.each([
    ['[a](', ')'],
    ['<a:/', '>'],
    ['<', '>'],
    ['~~_', '~~x'],
  ])(
    '%s with %s planted at the end takes at most a few times the steps of ordinary text',
    (piece, closer) => {
      for (const length of DISCORD_LENGTHS)
        expect(stepsOf(planted(piece, closer)(length))).toBeLessThanOrEqual(
          FEW * stepsOf(hostile(ORDINARY_DISCORD, length)),
        )
    },
  )

  /** Hostile text that the parse gives up on: a masked link's scan started from every `[`. */
  const overBudget = (tail: string) => planted('[a](', tail)(4000)

  it('past its budget, hostile text is shown as plain words, and still pings nobody', () => {
    const text = overBudget('[](!channel)')
    expect(() => parseDiscord(text)).toThrow(ParseBudgetExceeded)
    const converted = discordToSlack(text)
    expect(converted).not.toMatch(/<[!@]/)
    expect(converted.startsWith('[a](')).toBe(true)
  })

  it('past its budget, a spoiler in hostile text stays hidden', () => {
    const text = overBudget(' ||the butler did it|| the end)')
    expect(() => parseDiscord(text)).toThrow(ParseBudgetExceeded)
    const converted = discordToSlack(text)
    expect(converted).not.toContain('butler')
    expect(converted.endsWith(' the end)')).toBe(true)
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
