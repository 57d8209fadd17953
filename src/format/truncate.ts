const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' })

/**
 * At most `max` characters of `text` (UTF-16 code units, as the platforms count), ending in "…"
 * when cut, and never cut inside a grapheme cluster: half an emoji is not valid text, and a
 * client may refuse or mangle it.
 */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text
  let kept = ''
  for (const { segment } of graphemes.segment(text)) {
    if (kept.length + segment.length > max - 1) break
    kept += segment
  }
  return `${kept.trimEnd()}…`
}
