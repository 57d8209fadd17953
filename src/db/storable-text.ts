/**
 * `text` without NUL (U+0000), which PostgreSQL's text type cannot hold ("invalid byte sequence
 * for encoding UTF8: 0x00"). Nobody types one on purpose, but a pasted binary or a malformed
 * event can carry it, and a message must not be lost over it: it is dropped where text enters.
 */
export function storableText(text: string): string {
  return text.includes('\u0000') ? text.replaceAll('\u0000', '') : text
}
