import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { emojiToSlackNames } from '../../../src/format/emoji-text.ts'
import { slackNameForUnicode } from '../../../src/format/slack-emoji-names.ts'

/** Every grapheme cluster of the whole text renamed, as the segmenter cuts it: the definition. */
const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' })
const MAYBE_EMOJI = /\p{Extended_Pictographic}|\p{Regional_Indicator}|\u20e3/u
function byEveryCluster(text: string): string {
  let out = ''
  for (const { segment } of graphemes.segment(text)) {
    const name = MAYBE_EMOJI.test(segment) ? slackNameForUnicode(segment, true) : undefined
    out += name === undefined ? segment : `:${name}:`
  }
  return out
}

/** Emoji of every shape, and what sticks to them or breaks them apart: accents, joiners, tags. */
const PIECES = [
  ...'a1#* \n\r\t.é数、€→ñ\u00a0',
  // Scripts whose letters join or take marks: Hangul syllables and jamo, an Indic conjunct, Thai
  // and its vowel that joins, Arabic, its marks and the signs that prepend themselves, Hebrew
  // points, a Myanmar mark that does not extend, a lone non-joiner.
  ...['한', '\u1100', '\u1161', '\u11a8', 'क', '\u094d', 'ष', 'ก', '\u0e33', '\u0600', '\u06dd', 'ب'],
  ...['\u064e', 'ש', '\u05b8', '\u102b', '\u200c', '\u0903'],
  ...['\u200d', '\ufe0f', '\ufe0e', '\u20e3', '\u0301', '\u{e0067}', '\u{e007f}', '🏻', '🏾', '🇯', '🇵'],
  ...['🙂', '👍', '👩', '❤', '©', '☠', '🫱', '🏴', '1️⃣', '#️⃣', '👨‍👩‍👧‍👦', '🏳️‍🌈', '✋🏿', '🇯🇵', '❤️‍🔥'],
]

describe('emoji in words as Slack names them', () => {
  it('cuts only the runs that are not ASCII, and cuts them as the segmenter cuts the whole text', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...PIECES), { maxLength: 16 }), (chosen) => {
        const text = chosen.join('')
        expect(emojiToSlackNames(text)).toBe(byEveryCluster(text))
      }),
      { numRuns: 10_000 },
    )
  })
})
