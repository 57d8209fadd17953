/**
 * Splits text into ordered parts no longer than `limit` (UTF-16 code units, as both platforms
 * count), at the best boundary available: a paragraph, then a line, then a sentence, then a word,
 * and only as a last resort mid-word. Markup survives the cut:
 * - a code block cut between parts is closed at the end of one and reopened, with its language,
 *   at the start of the next, and every part stays within the limit with the fences added;
 * - a cut never falls inside a link, a mention, a custom emoji or `:shortcode:`, inline code, or
 *   a grapheme cluster (an emoji with its skin tone, a flag, a letter with its accents), unless
 *   one of those alone is longer than a part.
 * Nothing is dropped: the parts, without the added fences, joined with the separators they were
 * split at give the text back (modulo the whitespace at a cut outside code).
 */
export function splitMessage(text: string, limit: number): string[] {
  if (limit < 20) throw new RangeError('a message limit below 20 characters cannot hold a readable part')
  const parts: string[] = []
  let rest = text.trim()
  let reopen = ''
  while (reopen.length + rest.length > limit) {
    let cut = chooseCut(rest, limit - reopen.length)
    let fence = openFence(reopen + rest.slice(0, cut))
    if (fence !== undefined) {
      // The part must also hold the fence that closes it.
      cut = chooseCut(rest, limit - reopen.length - CLOSE_FENCE.length)
      fence = openFence(reopen + rest.slice(0, cut))
    }
    if (fence === undefined) {
      parts.push(reopen + rest.slice(0, cut).trimEnd())
      rest = rest.slice(cut).trimStart()
      reopen = ''
    } else {
      // Inside code every space matters: only the line break at the cut goes.
      parts.push(`${reopen}${rest.slice(0, cut).replace(/\n$/, '')}${CLOSE_FENCE}`)
      rest = rest.slice(cut).replace(/^\n/, '')
      reopen = `\`\`\`${fence}\n`
    }
  }
  if (rest.length > 0 || parts.length === 0) parts.push(reopen + rest)
  return parts
}

const CLOSE_FENCE = '\n```'

/** Where a cut may not fall: inside one of these. */
const ATOMS = [
  /<[^<>\n]{1,1000}>/g, // <@id>, <#id>, <:emoji:id>, <t:…>, <url>, Slack's <url|label>, <!here>
  /\[[^\]\n]{0,500}\]\(<?[^)\s]{1,2000}>?\)/g, // [label](url)
  /\bhttps?:\/\/[^\s<>]+/g,
  /:[a-z0-9_+-]{1,100}:(?::skin-tone-\d(?:-\d)?:)?/g,
  /`[^`\n]{1,500}`/g,
  /```[a-z0-9_+\-.#]*\n?/gi, // a fence, with the language that follows it
]
const BOUNDARIES: [pattern: RegExp, keep: number][] = [
  [/\n\s*\n/g, 0],
  [/\n/g, 0],
  [/[.!?…](?=\s)/g, 1],
  [/\s/g, 0],
]
const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' })

/** The best place, at most `budget` code units in, to end a part. */
function chooseCut(rest: string, budget: number): number {
  // Enough beyond the budget to see whether an atom or a grapheme straddles it.
  const window = rest.slice(0, budget + 2000)
  const blocked = blockedPositions(window, budget)
  const allowed = (at: number) => at > 0 && !blocked.has(at)
  for (const [pattern, keep] of BOUNDARIES) {
    let best: number | undefined
    for (const match of window.slice(0, budget).matchAll(pattern)) {
      const at = match.index + keep
      if (at >= budget / 2 && at <= budget && allowed(at)) best = at
    }
    if (best !== undefined) return best
  }
  for (let at = budget; at > 0; at--) if (allowed(at)) return at
  // One atom longer than a part: cut it, but still between graphemes.
  for (let at = budget; at > 0; at--) if (!blocked.insideGrapheme(at)) return at
  return budget
}

/** Positions up to `budget` that fall inside an atom or a grapheme cluster. */
function blockedPositions(window: string, budget: number) {
  const inAtom = new Set<number>()
  for (const pattern of ATOMS)
    for (const match of window.matchAll(pattern))
      for (let at = match.index + 1; at < match.index + match[0].length && at <= budget; at++) inAtom.add(at)
  const starts = new Set<number>()
  for (const { index } of graphemes.segment(window.slice(0, budget + 16))) starts.add(index)
  const insideGrapheme = (at: number) => at < window.length && !starts.has(at)
  return { has: (at: number) => inAtom.has(at) || insideGrapheme(at), insideGrapheme }
}

/** The language of the code block still open at the end of `text`, or undefined if none is. */
function openFence(text: string): string | undefined {
  let open: string | undefined
  for (const match of text.matchAll(/```(?:([a-z0-9_+\-.#]+)\n)?/gi))
    open = open === undefined ? (match[1] ?? '') : undefined
  return open
}
