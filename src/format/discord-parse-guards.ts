import { MAX_LINK_ADDRESS, MAX_LINK_LABEL, type ParseMeter } from './discord-link-match.ts'

/**
 * What keeps discord-markdown-parser's rules from costing more than a message's length allows.
 * The library tries every rule at every place a piece of text ends, each by a regex over the
 * whole rest of the message, so markup that does not close (`'~~_'.repeat(n)`), a long word (its
 * text rule looks ahead to the end of every run of letters) or a run of `<` rescans the rest of
 * the message from each character: quadratic. And `'*'.repeat(4000)` nests one emphasis in the
 * next until the stack overflows. The guards below change no result the library gives (a test
 * compares the two on generated text), except past the caps named here.
 */

/** How deep markup may nest; deeper, its content is words. Ordinary messages nest three or four. */
export const MAX_NESTING = 8
/** The longest scheme (`https`) an autolink `<scheme:/…>` may have: longer ones stay text. */
export const MAX_AUTOLINK_SCHEME = 32

const code = (text: string) => text.charCodeAt(0)
const isDigit = (c: number) => c >= 0x30 && c <= 0x39
const isAsciiAlphanumeric = (c: number) => isDigit(c) || ((c | 0x20) >= 0x61 && (c | 0x20) <= 0x7a)
/** A code unit an emoji (the `twemoji` rule) may start with: keycaps, ©, ®, and 0x2000 up. */
const mayStartEmoji = (c: number) =>
  isDigit(c) || c === 0x23 || c === 0x2a || c === 0xa9 || c === 0xae || c >= 0x2000

/**
 * The characters each rule's pattern can begin with: a rule is not tried elsewhere. Rules not
 * listed (text, and any a parser upgrade adds) are tried everywhere.
 */
const FIRST: Record<string, (c: number) => boolean> = {
  blockQuote: (c) => c === 0x20 || c === code('>'),
  codeBlock: (c) => c === code('`'),
  inlineCode: (c) => c === code('`'),
  newline: (c) => c === 0x0a,
  br: (c) => c === 0x0a,
  escape: (c) => c === code('\\'),
  url: (c) => c === code('h'),
  em: (c) => c === code('*') || c === code('_'),
  strong: (c) => c === code('*'),
  underline: (c) => c === code('_'),
  strikethrough: (c) => c === code('~'),
  spoiler: (c) => c === code('|'),
  heading: (c) => c === code('#'),
  subtext: (c) => c === code('-'),
  emoticon: (c) => c === code('¯'),
  everyone: (c) => c === code('@'),
  here: (c) => c === code('@'),
  link: (c) => c === code('['),
  twemoji: mayStartEmoji,
  ...Object.fromEntries(
    ['autolink', 'user', 'channel', 'role', 'emoji', 'timestamp', 'slashCommand', 'guildNavigation'].map(
      (rule) => [rule, (c: number) => c === code('<')],
    ),
  ),
}

const anywhere = () => true

/** Whether `rule` can match text that begins with a code unit, as a test of that code unit. */
export function firstCharTest(rule: string): (c: number) => boolean {
  return FIRST[rule] ?? anywhere
}

function count(meter: ParseMeter | undefined, steps: number): void {
  if (meter) meter.steps += steps
}

/**
 * The text rule's match, in one forward pass from `from`. The library's
 * (`/^[\s\S]+?(?=[^0-9A-Za-z\s]|\n|\w+:\S|$)/`) ends a run of words before every character
 * that is not a letter, a digit or a space, so that the other rules are tried there; this one
 * ends it only where another rule could begin after text: a line break, `< [ * _ ~ | \` \\ @ #`,
 * `¯` (a quote, a heading or subtext needs a line of its own). So `.`, `,`, `>`, `é` or `🙂` are
 * not a node each, and the parse gives the same words (`parseDiscord` joins text and emoji).
 * - The library's `\w+:\S` read every run of letters to its end from each of its letters; here
 *   only `http://` and `https://` end a run, for the one rule that begins with a letter (`url`).
 * - A `<` ends it only where `ends` says a mention could begin: each rule that starts with `<`
 *   ends with a `>`.
 * - After an emoji (`from` is where it ends), the words that follow join the emoji's node.
 */
export function matchText(
  source: string,
  meter?: ParseMeter,
  ends?: (at: number) => boolean,
  from = 1,
): [string] | null {
  if (source.length === 0) return null
  let i = from
  for (; i < source.length; i++) {
    const c = source.charCodeAt(i)
    if (c === code('<') && ends !== undefined) {
      if (ends(i)) break
    } else if (isAsciiAlphanumeric(c)) {
      if (c === code('h') && (source.startsWith('http://', i) || source.startsWith('https://', i))) break
    } else if (c === 0x0a || (c < 0x80 ? ENDS_TEXT.has(c) : c === code('¯'))) break
  }
  count(meter, i - from + 1)
  return [source.slice(0, i)]
}

/** ASCII that can begin markup after text: mentions, links, emphasis, code, spoilers, escapes, keycaps. */
const ENDS_TEXT = new Set([...'<[*_~|`\\@#'].map(code))

/**
 * The autolink rule's match (`/^<([^: >]+:\/[^ >]+)>/`) by one forward scan of at most
 * `MAX_AUTOLINK_SCHEME + MAX_LINK_ADDRESS` characters: the regex ran to the end of the message
 * from every `<` of a run of them.
 */
export function matchAutolink(source: string, meter?: ParseMeter): [string, string] | null {
  if (source.charCodeAt(0) !== code('<')) return null
  const schemeEnd = scanUntil(source, 1, MAX_AUTOLINK_SCHEME, ': >')
  count(meter, schemeEnd)
  if (schemeEnd === 1 || source[schemeEnd] !== ':' || source[schemeEnd + 1] !== '/') return null
  const start = schemeEnd + 2
  const end = scanUntil(source, start, MAX_LINK_ADDRESS, ' >')
  count(meter, end - start)
  if (end === start || source[end] !== '>') return null
  return [source.slice(0, end + 1), source.slice(1, end)]
}

/** The index of the first of `stops` at or after `from`, looking at most `limit` characters. */
function scanUntil(source: string, from: number, limit: number, stops: string): number {
  const end = Math.min(source.length, from + limit)
  let i = from
  while (i < end && !stops.includes(source[i] as string)) i++
  return i
}

/**
 * What closes a delimited rule opened by `opener`: `marker`, at least `after` characters in, not
 * followed by `unless`.
 */
interface Closer {
  key: string
  opener: string
  after: number
  /** Finds the marker (global, so a search can start anywhere). */
  pattern: RegExp
}

const escaped = (text: string) => text.replace(/[|*()[\]]/g, '\\$&')
const closer = (opener: string, marker: string, after: number, unless?: string): Closer => ({
  key: `${marker}${unless ?? ''}`,
  opener,
  after,
  pattern: new RegExp(`${escaped(marker)}${unless === undefined ? '' : `(?!${escaped(unless)})`}`, 'g'),
})
const STAR_EM = closer('*', '*', 2, '*')
const UNDERSCORE_EM = closer('_', '_', 2)
const MENTION = closer('<', '>', 2)
const LABEL_END = closer('[', '](', 1)
const LINK_END = closer('[', ')', 0)

/**
 * The rules whose regex, when nothing closes them, reads to the end of the message; and the
 * mentions and autolinks, which all end in `>`. A closer is what each pattern ends with: one must
 * exist ahead before the pattern is worth running.
 */
const CLOSERS: Record<string, ClosesWith> = {
  spoiler: () => SPOILER,
  strikethrough: () => STRIKE,
  strong: () => STRONG,
  underline: () => UNDERLINE,
  em: (source) => (source[0] === '*' ? STAR_EM : UNDERSCORE_EM),
  codeBlock: () => CODE_BLOCK,
  ...Object.fromEntries(
    ['autolink', 'user', 'channel', 'role', 'emoji', 'timestamp', 'slashCommand', 'guildNavigation'].map(
      (rule) => [rule, () => MENTION],
    ),
  ),
}
/** The closer a rule needs where `source` begins, chosen by its opener (em: `*` or `_`). */
export type ClosesWith = (source: string) => Closer

/** A rule's `ClosesWith`, or undefined for a rule that needs no closer. */
export function closerFor(rule: string): ClosesWith | undefined {
  return CLOSERS[rule]
}

const SPOILER = closer('||', '||', 3)
const STRIKE = closer('~~', '~~', 3, '_')
const STRONG = closer('**', '**', 3, '*')
const UNDERLINE = closer('__', '__', 3, '_')
const CODE_BLOCK = closer('```', '```', 4)

/**
 * One nested parse (the whole message, a bold's words, a quote's lines): the next closer of each
 * kind ahead is remembered, so a thousand openers search the rest of the text once, not once each.
 */
export class ParseFrame {
  private ahead: Map<string, { from: number; at: number }> | undefined

  constructor(private readonly text: string) {}

  /**
   * For a delimited rule tried at `offset` (where `source` begins in the frame's text), how far
   * into `source` its closer is: -1 if there is none (the rule cannot match).
   */
  closerDistance(closesWith: ClosesWith, source: string, offset: number, meter?: ParseMeter): number {
    const closer = closesWith(source)
    if (!source.startsWith(closer.opener)) return -1
    const at = this.next(closer, offset + closer.after, meter)
    return at === -1 ? -1 : at - offset
  }

  /**
   * Whether a masked link could begin at `offset`: a `](` ends a label no longer than
   * `MAX_LINK_LABEL`, and a `)` comes after an address. Else its scan, up to 2,560 characters,
   * is not worth starting: `'['.repeat(n)` started it from every `[`.
   */
  linkMayStart(offset: number, meter?: ParseMeter): boolean {
    const labelEnd = this.next(LABEL_END, offset + 1, meter)
    if (labelEnd === -1 || labelEnd > offset + MAX_LINK_LABEL) return false
    return this.next(LINK_END, labelEnd + 3, meter) !== -1
  }

  /** Whether a mention or an autolink could begin at `offset`: a `>` lies far enough ahead. */
  mentionMayStart(offset: number, meter?: ParseMeter): boolean {
    return this.next(MENTION, offset + MENTION.after, meter) !== -1
  }

  /** The first place at or after `from` where `closer` closes, or -1. */
  private next(closer: Closer, from: number, meter?: ParseMeter): number {
    this.ahead ??= new Map()
    const known = this.ahead.get(closer.key)
    // The frame is read forwards: a closer found for an earlier place is the next one for any
    // place up to it, and none found means none further on either.
    if (known && known.from <= from && (known.at === -1 || known.at >= from)) return known.at
    closer.pattern.lastIndex = from
    const at = closer.pattern.exec(this.text)?.index ?? -1
    count(meter, (at === -1 ? this.text.length : at) - from)
    this.ahead.set(closer.key, { from, at })
    return at
  }
}
