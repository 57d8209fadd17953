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
 * own body, and a first line too long to show whole as a title stays in the body as well.
 */
export function openingPostOf(text: string, ctx: FormatContext = {}): { title: string; body: string } {
  const [first = '', ...rest] = text.split('\n')
  const line = slackToPlain(first, ctx).replace(/\s+/g, ' ').trim()
  const title = truncate(line, MAX_TITLE_LENGTH) || 'Discussion'
  const body = rest.join('\n').trim()
  return { title, body: body === '' || line.length > TITLE_SHOWN_WHOLE ? text.trim() : body }
}
