const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' })

/** Unicode sets (`v`): newer than the ES2023 our types target, but in every Node we run on (20+). */
const UNICODE_SETS: string = 'v'

/**
 * An emoji as Unicode defines it (a family, a flag, a keycap): its joiners and tags draw one
 * picture, so it is kept whole.
 */
const WHOLE_EMOJI = new RegExp('^\\p{RGI_Emoji}$', UNICODE_SETS)

/**
 * What a reader cannot see but a renderer obeys: format characters (bidi overrides and isolates,
 * zero-width spaces and joiners, the BOM, soft hyphens, tags), Unicode's default-ignorable code
 * points (the Hangul fillers U+115F, U+1160, U+3164, U+FFA0, variation selectors, the Mongolian
 * vowel separator, the combining grapheme joiner), lone surrogates, and the blank braille
 * pattern U+2800, which draws nothing in most fonts.
 */
const HIDDEN = /[\p{Cf}\p{Cs}\p{Default_Ignorable_Code_Point}\u2800]/gu

/** Control characters and every kind of space or line break: one space between words. */
const SPACES = /[\p{Cc}\p{Z}\s]+/gu

/**
 * A name as people should see it: hidden characters removed (but an emoji kept whole), controls,
 * line breaks and runs of spaces made one space, trimmed. May be empty.
 */
export function withoutHiddenCharacters(name: string): string {
  let kept = ''
  for (const { segment } of graphemes.segment(name))
    kept += WHOLE_EMOJI.test(segment) ? segment : segment.replace(HIDDEN, '')
  return kept.replace(SPACES, ' ').trim()
}

/**
 * The first of `candidates` that still shows something once hidden characters are removed
 * (a display name, then a real name, then a handle), else `fallback` (an id): a name that is
 * nothing but fillers or bidi controls must not make a blank author nor hide a fake one.
 */
export function visibleName(candidates: readonly (string | null | undefined)[], fallback: string): string {
  for (const candidate of candidates) {
    const shown = candidate ? withoutHiddenCharacters(candidate) : ''
    if (shown !== '') return shown
  }
  return fallback
}
