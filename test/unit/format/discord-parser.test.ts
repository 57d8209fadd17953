import { rulesExtended, SimpleMarkdown } from 'discord-markdown-parser'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { matchMaskedLink } from '../../../src/format/discord-link-match.ts'
import { type DiscordNode, joinText, parseDiscord } from '../../../src/format/discord-nodes.ts'
import { MAX_NESTING } from '../../../src/format/discord-parse-guards.ts'

/**
 * The library's own parser, with the masked-link scan our parser also uses (its regex differs on
 * purpose, past caps, see discord-link-match.ts): what `parseDiscord` must agree with.
 */
const library = SimpleMarkdown.parserFor({
  ...rulesExtended,
  link: {
    ...rulesExtended.link,
    match: (source: string, state: { inline?: boolean }) => (state.inline ? matchMaskedLink(source) : null),
  } as (typeof rulesExtended)['link'],
})
const libraryTree = (text: string) => joinText(library(text, { inline: true }) as DiscordNode[])
const depth = (nodes: DiscordNode[]): number =>
  Math.max(0, ...nodes.map((node) => (Array.isArray(node.content) ? 1 + depth(node.content) : 0)))

/** Characters and pieces every rule begins or ends with, mixed so that they open and close. */
const ALPHABETS = {
  emphasis: [...'*_~|` a\n\\', '**', '__', '~~', '||'],
  quotesAndHeadings: [...'>#- a\n*', '> ', '>>> ', '# ', '-# ', '```', '```js\n'],
  mentionsAndLinks: [
    ...'<>[]():/@ ah\n',
    'http://x.y',
    'https://a.b/c',
    '<@123456789012345678>',
    '<#123456789012345678>',
    '<t:1700000000:R>',
    '<a:/b>',
    '[a](b)',
    '@everyone',
  ],
  emojiAndWords: [...'a1#*. é数\n', '🙂', '1️⃣', '#️⃣', '*️⃣', '🇯🇵', '👨‍👩‍👧‍👦', '¯\\_(ツ)_/¯', 'a:b'],
}

describe('parseDiscord reads text as discord-markdown-parser does', () => {
  it.each(Object.entries(ALPHABETS))('on generated text of %s', (_name, pieces) => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...pieces), { maxLength: 30 }), (chosen) => {
        const text = chosen.join('')
        const expected = libraryTree(text)
        // Deeper than `MAX_NESTING`, ours reads words on purpose; the library may overflow the stack.
        fc.pre(depth(expected) <= MAX_NESTING)
        expect(parseDiscord(text)).toEqual(expected)
      }),
      { numRuns: 2000 },
    )
  })

  it('nests markup at most MAX_NESTING deep: a run of stars no longer recurses once per pair', () => {
    // Each `*` pair is an emphasis inside the last: the library recursed 2,000 deep for 4,000
    // stars, past the end of node's default stack (a bigger one here needs more stars to show
    // it); deeper than MAX_NESTING ours reads the rest as words.
    expect(() => parseDiscord('*'.repeat(20_000), { steps: 0 })).not.toThrow()
  })
})
