import { slackNameForUnicode } from './slack-emoji-names.ts'

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' })
/** Anything that could start an emoji: pictographs, regional indicators (flags), keycaps. */
const MAYBE_EMOJI = /\p{Extended_Pictographic}|\p{Regional_Indicator}|\u20e3/u

/**
 * Unicode emoji in plain text as Slack writes them, `:name:` (`👌🏾` → `:ok_hand::skin-tone-5:`),
 * each emoji taken whole: a grapheme cluster, so ZWJ sequences, flags, keycaps and skin tones stay
 * one emoji. Only the fully-qualified spelling is renamed, so the way back gives the same code
 * points; an emoji Slack has no name for stays as it is (Slack shows Unicode as it is).
 */
export function emojiToSlackNames(text: string): string {
  if (!MAYBE_EMOJI.test(text)) return text
  let out = ''
  for (const { segment } of graphemes.segment(text)) {
    const name = MAYBE_EMOJI.test(segment) ? slackNameForUnicode(segment, true) : undefined
    out += name === undefined ? segment : `:${name}:`
  }
  return out
}
