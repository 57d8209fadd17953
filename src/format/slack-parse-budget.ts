/**
 * The most quote openings and code fences a Slack message may hold and still be parsed.
 * slack-message-parser reads consecutive quote lines (and `>>>` inside `>>>`) by recursion, one
 * stack frame and one array copy per line: 5,000 lines cost 0.8 s, and some 6,000 overflow the
 * stack. Each fence that does not close scans the rest of the message: 8,000 of them cost 1.9 s.
 */
export const MAX_QUOTE_OPENINGS = 256
export const MAX_CODE_FENCES = 128

/**
 * Whether a Slack message is cheap enough to parse, judged by counting in one pass what makes
 * the parser slow. A message over either limit is shown as escaped plain text instead: hostile,
 * or at least far from what people write.
 */
export function slackParseFits(text: string): boolean {
  return (
    count(text, /(?:^|\n|&gt;&gt;&gt;)[ \t]*&gt;/g) <= MAX_QUOTE_OPENINGS &&
    count(text, /```/g) <= MAX_CODE_FENCES
  )
}

function count(text: string, pattern: RegExp): number {
  let n = 0
  for (const _ of text.matchAll(pattern)) n++
  return n
}
