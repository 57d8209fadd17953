import { slackNameForUnicode } from './slack-emoji-names.ts'

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' })
/** Anything that could start an emoji: pictographs, regional indicators (flags), keycaps. */
const MAYBE_EMOJI = /\p{Extended_Pictographic}|\p{Regional_Indicator}|\u20e3/u
/**
 * A run of non-ASCII with the character before it. An ASCII character always begins a grapheme
 * cluster of its own (line breaks aside), so the clusters of a run so taken are the clusters the
 * whole text has there, a keycap's digit included; the ASCII between runs holds no emoji.
 */
const NON_ASCII_RUN = /[^\u0080-\uffff]?[\u0080-\uffff]+/g

/**
 * One grapheme cluster of the shapes most emoji take, as Unicode's rules (UAX #29) cut them: an
 * ASCII character; a keycap; a flag (two regional indicators, paired from the start of a run);
 * a pictograph with variation selectors or skin tones, joined (ZWJ) to more of them. A run that
 * is only these is cut by this regex; any other (a tag sequence, an accent, Hangul…) by the
 * segmenter, which costs a microsecond a cluster, and a call per run.
 */
const PICTOGRAPH = '\\p{Extended_Pictographic}[\\ufe0f\\p{Emoji_Modifier}]*'
const CLUSTER = new RegExp(
  `[#*0-9]\\ufe0f?\\u20e3|[^\\u0080-\\u{10ffff}]|\\p{Regional_Indicator}{2}|${PICTOGRAPH}(?:\\u200d${PICTOGRAPH})*`,
  'uy',
)

function clusters(run: string): string[] {
  const found: string[] = []
  for (let at = 0; at < run.length; ) {
    CLUSTER.lastIndex = at
    const cluster = CLUSTER.exec(run)?.[0]
    if (cluster === undefined) return Array.from(graphemes.segment(run), ({ segment }) => segment)
    found.push(cluster)
    at += cluster.length
  }
  return found
}

/**
 * Unicode emoji in plain text as Slack writes them, `:name:` (`👌🏾` → `:ok_hand::skin-tone-5:`),
 * each emoji taken whole: a grapheme cluster, so ZWJ sequences, flags, keycaps and skin tones stay
 * one emoji. Only the fully-qualified spelling is renamed, so the way back gives the same code
 * points; an emoji Slack has no name for stays as it is (Slack shows Unicode as it is). Only the
 * runs of non-ASCII are cut into clusters, each emoji looked up once per text.
 */
export function emojiToSlackNames(text: string): string {
  if (!MAYBE_EMOJI.test(text)) return text
  const names = new Map<string, string>()
  return text.replace(NON_ASCII_RUN, (run) => {
    if (!MAYBE_EMOJI.test(run)) return run
    let out = ''
    for (const segment of clusters(run)) {
      let shown = names.get(segment)
      if (shown === undefined) {
        const name = MAYBE_EMOJI.test(segment) ? slackNameForUnicode(segment, true) : undefined
        shown = name === undefined ? segment : `:${name}:`
        names.set(segment, shown)
      }
      out += shown
    }
    return out
  })
}
