/**
 * Splits text into ordered parts no longer than `limit`, at the best boundary available:
 * a paragraph, then a line, then a sentence, then a word, and only as a last resort mid-word.
 * Nothing is cut or dropped: the parts joined with the separators they were split at give the
 * text back (modulo the whitespace at the cut).
 */
export function splitMessage(text: string, limit: number): string[] {
  if (limit < 20) throw new RangeError('a message limit below 20 characters cannot hold a readable part')
  const parts: string[] = []
  let rest = text.trim()
  while (rest.length > limit) {
    const window = rest.slice(0, limit)
    const cut =
      lastBoundary(window, /\n\s*\n/g, limit) ??
      lastBoundary(window, /\n/g, limit) ??
      lastBoundary(window, /[.!?…](?=\s)/g, limit, 1) ??
      lastBoundary(window, /\s/g, limit) ??
      limit
    parts.push(rest.slice(0, cut).trimEnd())
    rest = rest.slice(cut).trimStart()
  }
  if (rest.length > 0 || parts.length === 0) parts.push(rest)
  return parts
}

/** The last match of `pattern` in the second half of `window` (a cut too early wastes a part). */
function lastBoundary(window: string, pattern: RegExp, limit: number, keep = 0): number | undefined {
  let best: number | undefined
  for (const match of window.matchAll(pattern)) {
    const at = match.index + keep
    if (at >= limit / 2 && at <= limit) best = at
  }
  return best
}
