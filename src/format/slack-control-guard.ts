import { defuseMassMentionWords } from './format-context.ts'

/**
 * The mark a converter sets just before a `<@U…>` it produced itself for a linked person. A
 * Unicode noncharacter (U+FDD0, never shown, never typed on purpose) that `escapeSlack` removes
 * from any text it escapes, so no one can write it in front of a mention of their own.
 */
export const OWN_MENTION_MARK = '\uFDD0'
const MARKS = /\uFDD0/g
/** A mark that does not stand right before `<@`. */
const STRAY_MARKS = /\uFDD0(?!<@)/g

/** `<@U…>` for a linked person, marked as the bridge's own for `guardSlackText`. */
export function ownSlackMention(userId: string): string {
  return `${OWN_MENTION_MARK}<@${userId}>`
}

/** Any text without the mark: what escaping and the same-platform path apply to people's words. */
export function withoutOwnMarks(text: string): string {
  return text.replace(MARKS, '')
}

/** A control sequence that can notify (`<!…>`, `<@…>`), with the mark in front when it has one. */
const CONTROL = /(\uFDD0?)<([!@])([^<>]*)>/g
/** A Slack user id, as `<@…>` takes it. */
const USER_ID = /^[UW][A-Z0-9]{2,}$/
/**
 * A date without the optional link (`<!date^seconds^{tokens}|fallback>`): it notifies nobody and
 * opens nothing (https://api.slack.com/reference/surfaces/formatting#date-formatting).
 */
const PLAIN_DATE = /^date\^-?\d+\^[^^|]*\|[^|]*$/

/**
 * The last pass on every string bound for Slack: every `<!…>` and `<@…>` becomes visible text
 * (`&lt;!channel&gt;`, which notifies nobody) unless it is a `<@U…>` a converter marked as its own
 * mention of a linked person, or a date without a link. The marks themselves are removed. Runs
 * whatever the converters did, so a converter's bug cannot ping a crowd
 * (https://api.slack.com/reference/surfaces/formatting#special-mentions).
 */
export function guardSlackText(text: string): string {
  if (!text.includes('<') && !text.includes(OWN_MENTION_MARK)) return text
  // A mark anywhere but right before `<@` is nobody's: removed first, so that removing it cannot
  // join `<` to a `!` after the sequences are judged (`<\uFDD0!channel>` must not become `<!channel>`).
  return text
    .replace(STRAY_MARKS, '')
    .replace(CONTROL, (_whole, mark: string, sigil: string, inside: string) => {
      if (sigil === '@' && mark !== '' && USER_ID.test(inside)) return `<@${inside}>`
      if (sigil === '!' && PLAIN_DATE.test(inside)) return `<!${inside}>`
      return defuseMassMentionWords(`&lt;${sigil}${inside}&gt;`.replace(MARKS, ''))
    })
    .replace(MARKS, '')
}

/**
 * `guardSlackText` on every string inside a Web API argument or a response_url body (text,
 * blocks, attachments, a view, a username), however deep.
 */
export function guardSlackValue<T>(value: T): T {
  if (typeof value === 'string') return guardSlackText(value) as T
  if (Array.isArray(value)) return value.map((item) => guardSlackValue(item)) as T
  if (value !== null && typeof value === 'object') {
    const guarded: Record<string, unknown> = {}
    for (const [key, item] of Object.entries(value)) guarded[key] = guardSlackValue(item)
    return guarded as T
  }
  return value
}
