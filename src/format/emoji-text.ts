import { slackNameForUnicode } from './slack-emoji-names.ts'

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' })
/** Anything that could start an emoji: pictographs, regional indicators (flags), keycaps. */
const MAYBE_EMOJI = /\p{Extended_Pictographic}|\p{Regional_Indicator}|\u20e3/u
/**
 * Stretches of non-ASCII, each with the ASCII character before it and any lone ASCII character
 * inside it. An ASCII character after another ASCII character begins a grapheme cluster (but LF
 * after CR), so a stretch so taken is cut into the clusters the whole text has there (a keycap's
 * digit included); the ASCII between stretches holds no emoji.
 */
const NON_ASCII_RUN = /(?:[^\u0080-\uffff]?[\u0080-\uffff]+)+/g

/**
 * One grapheme cluster of the usual shapes, as Unicode's rules (UAX #29) cut them: a control
 * character alone; a character that starts a cluster (a letter of a script whose letters do not
 * join, a digit, punctuation, a symbol, a space) with the marks, variation selectors or skin tones
 * that extend it, as a keycap's; a flag (two regional indicators, paired from the start of a run,
 * or one alone); a pictograph so extended, joined (ZWJ) to more of them; each with any joiner
 * after it that joins nothing; and marks with nothing before them (at the start of the text, or
 * after a control character, which nothing extends). A run of only these is cut by this regex;
 * the others (Hangul jamo, Indic conjuncts, a prepended mark…) by the segmenter, all in one call:
 * it costs a microsecond a cluster and more, and more again a call.
 */
const EXTEND = '[\\p{Grapheme_Extend}\\p{Emoji_Modifier}]*'
/** What else a cluster holds at its end: more of the same, and joiners that join nothing. */
const TAIL = '[\\p{Grapheme_Extend}\\p{Emoji_Modifier}\\u200d]*'
const PICTOGRAPH = `\\p{Extended_Pictographic}${EXTEND}`
/**
 * Letters of scripts whose letters never join (Hangul syllables do not join each other; the
 * jamo, and the Arabic signs and the Thai vowel that do join, are left out), digits,
 * punctuation, symbols, spaces.
 */
const STARTS =
  '(?![\\u0600-\\u0605\\u06dd\\u0890\\u0891\\u08e2\\u0e33])[\\p{Script=Latin}\\p{Script=Greek}\\p{Script=Cyrillic}\\p{Script=Armenian}\\p{Script=Hebrew}\\p{Script=Arabic}\\p{Script=Thai}\\p{Script=Georgian}\\p{Script=Han}\\p{Script=Hiragana}\\p{Script=Katakana}\\uac00-\\ud7a3\\p{P}\\p{S}\\p{Zs}\\p{Nd}]'
const CLUSTER = new RegExp(
  `${PICTOGRAPH}(?:\\u200d${PICTOGRAPH})*${TAIL}|\\p{Regional_Indicator}{1,2}${TAIL}|\\p{Cc}|${STARTS}${TAIL}|[\\p{Grapheme_Extend}\\p{Emoji_Modifier}\\u200d]+`,
  'uy',
)

/** The clusters of `run` if it has only the usual shapes, else undefined. */
function usualClusters(run: string): string[] | undefined {
  const found: string[] = []
  for (let at = 0; at < run.length; ) {
    CLUSTER.lastIndex = at
    const cluster = CLUSTER.exec(run)?.[0]
    if (cluster === undefined) return undefined
    found.push(cluster)
    at += cluster.length
  }
  return found
}

/**
 * The clusters of each run, from one call of the segmenter over the runs joined by line breaks:
 * Unicode's rules break before and after a line break whatever surrounds it, so no cluster spans
 * two runs, and each run is cut as it would be alone.
 */
function segmented(runs: string[]): string[][] {
  if (runs.length === 0) return []
  const each: string[][] = runs.map(() => [])
  let run = 0
  let end = runs[0]?.length ?? 0
  for (const { segment, index } of graphemes.segment(runs.join('\n'))) {
    while (index >= end + 1 && run < runs.length - 1) {
      run++
      end += 1 + (runs[run]?.length ?? 0)
    }
    if (index < end) each[run]?.push(segment)
  }
  return each
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
  const runs = [...text.matchAll(NON_ASCII_RUN)].filter(([run]) => MAYBE_EMOJI.test(run))
  const cut = runs.map(([run]) => usualClusters(run))
  const unusual = runs.filter((_, i) => cut[i] === undefined).map(([run]) => run)
  const unusualCut = segmented(unusual)
  const names = new Map<string, string>()
  let out = ''
  let from = 0
  let next = 0
  for (const [i, match] of runs.entries()) {
    const clusters = cut[i] ?? unusualCut[next++] ?? []
    out += text.slice(from, match.index)
    for (const cluster of clusters) out += named(cluster, names)
    from = match.index + match[0].length
  }
  return out + text.slice(from)
}

/** A cluster as Slack names it, remembered in `names` for the rest of the text. */
function named(cluster: string, names: Map<string, string>): string {
  let shown = names.get(cluster)
  if (shown === undefined) {
    const name = MAYBE_EMOJI.test(cluster) ? slackNameForUnicode(cluster, true) : undefined
    shown = name === undefined ? cluster : `:${name}:`
    names.set(cluster, shown)
  }
  return shown
}
