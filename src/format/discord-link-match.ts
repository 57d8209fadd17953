/** The longest masked-link label and address looked for, in characters: longer ones stay text. */
export const MAX_LINK_LABEL = 512
export const MAX_LINK_ADDRESS = 2048

/**
 * Counts the work of one parse: rule attempts and characters a hand-written match looked at.
 * Past `budget` steps the parse gives up (`ParseBudgetExceeded`).
 */
export interface ParseMeter {
  steps: number
  budget?: number
}

/**
 * The steps a parse of `length` characters may take (see discord-parser.ts for what a step is).
 * Ordinary text, even dense with markup, takes about three per character; the rest is for the
 * unusual, and past it the message is hostile: markup nested as deep as it goes all through it,
 * or a scan for a masked link's end started from every `[`, which only a `)` planted at the end
 * lets run. Low enough that giving up costs a few times what an ordinary message of the length
 * costs, not more.
 */
export function parseBudget(length: number): number {
  return 16 * length + 2000
}

/** Thrown by a parse that used up its meter's budget: the caller shows the text as plain text. */
export class ParseBudgetExceeded extends Error {
  constructor() {
    super('the text took more parsing steps than its length allows')
  }
}

/** A capture as simple-markdown's link rule reads it: `[whole, label, address, title]`. */
type LinkCapture = [string, string, string, string | undefined]

/**
 * A masked link, `[label](address)` or `[label](<address> "title")`, at the start of `source`:
 * the same shape simple-markdown's link regex captures, found by one forward scan that looks at
 * no more than `MAX_LINK_LABEL + MAX_LINK_ADDRESS` characters. The library's regex backtracks:
 * `'[a]('.repeat(n)` cost it cubic time (1.8 s at 4,000 characters). Differences kept on purpose:
 * a label or address over the caps, or an address with an unbalanced `(`, is no link.
 */
export function matchMaskedLink(source: string, meter?: ParseMeter): LinkCapture | null {
  if (source.charCodeAt(0) !== 0x5b /* [ */) return null
  const labelEnd = scanLabel(source, meter)
  if (labelEnd === -1) return null
  const open = labelEnd + 2 // after "]("
  let i = skipSpaces(source, open)
  const angled = source[i] === '<'
  if (angled) i++
  const addressStart = i
  let depth = 0
  const limit = Math.min(source.length, addressStart + MAX_LINK_ADDRESS)
  for (; i < limit; i++) {
    const c = source[i]
    if (c === '\\') i++
    else if (c === '(') depth++
    else if (c === ')') {
      if (depth === 0) break
      depth--
    } else if (c === '>' && angled) break
    else if (c === ' ' || c === '\t' || c === '\n' || c === '\r') break
  }
  if (meter) meter.steps += i - addressStart
  if (i >= source.length) return null
  const address = source.slice(addressStart, i)
  if (angled && source[i] === '>') i++
  let title: string | undefined
  const afterAddress = skipSpaces(source, i)
  const quote = source[afterAddress]
  if (afterAddress > i && (quote === '"' || quote === "'")) {
    const close = source.indexOf(quote, afterAddress + 1)
    if (close === -1 || close > afterAddress + MAX_LINK_LABEL) return null
    if (meter) meter.steps += close - afterAddress
    title = source.slice(afterAddress + 1, close)
    i = skipSpaces(source, close + 1)
  } else i = afterAddress
  if (source[i] !== ')' || address === '') return null
  return [source.slice(0, i + 1), source.slice(1, labelEnd), address, title]
}

/**
 * The index of the `]` that closes the label (followed by `(`), nested `[…]` allowed; -1 if none
 * within `MAX_LINK_LABEL`.
 */
function scanLabel(source: string, meter?: ParseMeter): number {
  const limit = Math.min(source.length - 1, MAX_LINK_LABEL + 1)
  let depth = 0
  for (let i = 1; i < limit; i++) {
    const c = source[i]
    if (c === '\\') i++
    else if (c === '[') depth++
    else if (c === ']') {
      if (depth > 0) depth--
      else if (source[i + 1] === '(') {
        if (meter) meter.steps += i
        return i
      }
    }
  }
  if (meter) meter.steps += limit
  return -1
}

function skipSpaces(source: string, from: number): number {
  let i = from
  while (i < source.length && i - from < 64 && /\s/.test(source[i] ?? '')) i++
  return i
}
