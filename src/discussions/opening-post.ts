import type { FormatContext } from '../format/format-context.ts'
import { slackToPlain } from '../format/index.ts'
import { truncate } from '../format/truncate.ts'
import { MAX_TITLE_LENGTH } from './content-rules.ts'

/**
 * The longest title every platform shows whole: Discord cuts a thread's name at 100 characters.
 * A first line longer than this stays in the body too, so none of it is lost there.
 */
export const TITLE_SHOWN_WHOLE = 100

/**
 * A top-level Slack message as an opening post: its first line, as plain words with the names
 * people know for its mentions, is the title; the rest is the body. A one-line message is its
 * own body, and a first line the title cannot show whole (too long, a link's address, the start
 * of a code block) stays in the body as well.
 */
export function openingPostOf(text: string, ctx: FormatContext = {}): { title: string; body: string } {
  const whole = text.trim()
  const [first = '', ...rest] = whole.split('\n')
  const line = slackToPlain(first, ctx).replace(/\s+/g, ' ').trim()
  const title = truncate(line.replace(/^`+$/, ''), MAX_TITLE_LENGTH) || 'Discussion'
  const body = rest.join('\n').trim()
  return { title, body: body === '' || !titleHoldsAll(first, line) ? whole : body }
}

/**
 * Whether the title shows all of the first line: not when it is longer than a thread's name,
 * when it has a link (a title shows the label, not the address), or when it opens a code block.
 */
function titleHoldsAll(first: string, line: string): boolean {
  return line.length <= TITLE_SHOWN_WHOLE && !first.includes('<http') && !first.trimStart().startsWith('```')
}
