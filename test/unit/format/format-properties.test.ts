import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { FormatContext } from '../../../src/format/index.ts'
import { discordToSlack, slackToDiscord, slackToPlain } from '../../../src/format/index.ts'
import { unicodeForSlackName } from '../../../src/format/slack-emoji-names.ts'

/**
 * Properties of the converters over text that mixes emoji of every shape, CJK, right-to-left
 * scripts, zero-width characters, markup and mentions. Each generated piece carries what a reader
 * sees of it (`[source, visible]`), so "what survives" is known without a second converter.
 */
type Piece = readonly [source: string, visible: string]
const same = (...texts: string[]): Piece[] => texts.map((text) => [text, text] as const)

const WORDS = same('café', 'naïve', 'Zürich', 'hello', '42', '数据', '日本語', 'שלום', 'مرحبا', 'ok')
const EMOJI = same(
  '👋',
  '👍',
  '👍🏽',
  '👌🏾',
  '🤔',
  '🥲',
  '🫠',
  '🧐',
  '❤️',
  '❤',
  '☺️',
  '👨‍👩‍👧‍👦',
  '🧑🏿‍💻',
  '🏳️‍🌈',
  '🇯🇵',
  '🇫🇷',
  '1️⃣',
  '#️⃣',
  '🫱🏻‍🫲🏿',
  '🪿',
)
const INVISIBLE: Piece[] = ['\u200b', '\u200c', '\u200d', '\u2060', '\ufeff'].map((c) => [c, ''] as const)
const SPACING = same(' ', ' ', '\n', '. ', ', ', '! ', '? ')

/** Markup: its characters are not content, so each piece shows nothing by itself. */
const DISCORD_MARKUP: Piece[] = ['**', '*', '_', '__', '~~', '`', '```\n', '> ', '\n> ', '# ', '\\'].map(
  (m) => [m, ''] as const,
)
/**
 * A mention shows a name, or its raw id inside code or after a backslash, so no character of it
 * is owed in every context: the names are checked by example in format-fidelity.test.ts.
 */
const DISCORD_MENTIONS: Piece[] = [
  ['<@123456789012345678>', ''],
  ['<#123456789012345670>', ''],
  ['<@&123456789012345679>', ''],
  ['@everyone', '@everyone'],
  ['@here', '@here'],
  ['https://example.com/a?b=1&c=2', 'https://example.com/a?b=1&c=2'],
]
const SLACK_MARKUP: Piece[] = ['*', '_', '~', '`', '```', '&gt; ', '\n&gt; ', '&gt;&gt;&gt; '].map(
  (m) => [m, ''] as const,
)
/**
 * Emoji names and a mention read differently inside code (as written) and outside (an emoji, a
 * name), so no character of them is owed in every context: format-fidelity.test.ts checks them.
 */
const SLACK_ATOMS: Piece[] = [
  ['&amp;', '&'],
  ['&lt;', '<'],
  [':thinking_face:', ''],
  [':ok_hand::skin-tone-5:', ''],
  [':flag-jp:', ''],
  [':+1:', ''],
  [':partyparrot:', ':partyparrot:'],
  ['<@U0SAM>', ''],
  ['<#C0LIGHT|lightbulb-moment>', '#lightbulb-moment'],
  ['<!channel>', '@channel'],
  ['<!here>', '@here'],
  ['<!everyone>', '@everyone'],
  ['<!subteam^S1|@everyone>', '@everyone'],
  ['&lt;@123456789012345678&gt;', '<@123456789012345678>'],
  ['<https://example.com/a?b=1&amp;c=2|the docs>', 'the docs'],
]

const CONTEXT: FormatContext = {
  userName: (id) => ({ '123456789012345678': 'mark', U0SAM: 'sam' })[id],
  channelName: (id) => ({ '123456789012345670': 'discussions' })[id],
  roleName: (id) => ({ '123456789012345679': 'Moderators' })[id],
}

const message = (pieces: Piece[]) =>
  fc.array(fc.constantFrom(...pieces), { maxLength: 40 }).map((chosen) => ({
    source: chosen.map(([source]) => source).join(''),
    visible: chosen.map(([, visible]) => visible).join(''),
  }))

/**
 * The characters a reader sees, markup aside: no whitespace, no ASCII punctuation (markup and
 * escapes are made of it), no format characters (zero-width joiners and spaces) or variation
 * selectors. Letters, digits, CJK, RTL scripts and emoji (skin tones included) remain.
 */
function visible(text: string): string[] {
  return [...text.replace(/[\s!-/:-@[-`{-~\p{Cf}]|\ufe0e|\ufe0f/gu, '')]
}

/**
 * Slack's emoji names read as their emoji. Inside code Slack shows a name as written, and the
 * emoji it names has still crossed.
 */
function withEmoji(text: string): string {
  return text.replace(
    /:([a-z0-9_+-]+(?:::skin-tone-\d(?:-\d)?)?):/g,
    (name, inner: string) => unicodeForSlackName(inner) ?? name,
  )
}

/** Whether `wanted` appears within `text` in order (other characters may sit between). */
function inOrder(wanted: string[], text: string[]): boolean {
  let at = 0
  for (const char of text) if (char === wanted[at]) at++
  return at === wanted.length
}

const RUNS = { numRuns: 400 }

describe('Discord → Slack, for any text', () => {
  const input = message([
    ...WORDS,
    ...EMOJI,
    ...INVISIBLE,
    ...SPACING,
    ...DISCORD_MARKUP,
    ...DISCORD_MENTIONS,
  ])

  it('keeps every visible character, in order, markup aside', () => {
    fc.assert(
      fc.property(input, ({ source, visible: expected }) => {
        const out = discordToSlack(source, CONTEXT)
        expect(
          inOrder(visible(expected), visible(withEmoji(slackToPlain(out)))),
          JSON.stringify({ source, out }),
        ).toBe(true)
      }),
      // Counterexamples found before, kept: a backtick run that the parser reads as inline code.
      { ...RUNS, examples: [[{ source: '```\n`🥲`', visible: '🥲' }]] },
    )
  })

  it('never pings a crowd', () => {
    fc.assert(
      fc.property(input, ({ source }) => {
        const out = discordToSlack(source, CONTEXT)
        expect(out).not.toMatch(/<!(channel|here|everyone)/)
        // Slack notifies a crowd for its tokens only; a bare word outside code is defused all the same.
        const outsideCode = out.replace(/```[\s\S]*?```|`[^`]*`/g, '')
        expect(outsideCode).not.toMatch(/(^|\s)@(everyone|here|channel)\b/i)
      }),
      RUNS,
    )
  })

  it('gives a plain sentence back when it goes to Slack and returns', () => {
    const sentence = message([...WORDS, ...EMOJI, ...same(' ', ', ', '. ', '! ', ' & ', "'")])
    fc.assert(
      fc.property(sentence, ({ source }) => {
        expect(slackToDiscord(discordToSlack(source))).toBe(source)
      }),
      RUNS,
    )
  })
})

describe('Slack → Discord, for any text', () => {
  const input = message([...WORDS, ...EMOJI, ...INVISIBLE, ...SPACING, ...SLACK_MARKUP, ...SLACK_ATOMS])

  it('keeps every visible character, in order, markup aside', () => {
    fc.assert(
      fc.property(input, ({ source, visible: expected }) => {
        const out = slackToDiscord(source, CONTEXT)
        expect(inOrder(visible(expected), visible(out)), JSON.stringify({ source, out })).toBe(true)
      }),
      { ...RUNS, examples: [[{ source: '```<@U0SAM>```', visible: '' }]] },
    )
  })

  it('never pings anyone on Discord', () => {
    fc.assert(
      fc.property(input, ({ source }) => {
        // Discord notifies nobody for what is inside code: only the rest is checked.
        const outsideCode = slackToDiscord(source, CONTEXT).replace(/```[\s\S]*?```|`[^`]*`/g, '')
        expect(outsideCode).not.toMatch(/(^|[^\\])@(everyone|here)/)
        expect(outsideCode).not.toMatch(/(^|[^\\])<@[!&]?\d+>/)
      }),
      { ...RUNS, examples: [[{ source: '```<!subteam^S1|@everyone>```', visible: '@everyone' }]] },
    )
  })
})
