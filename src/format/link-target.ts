/** The schemes a bridged link may open; any other address is shown as text. */
const SAFE_SCHEMES = new Set(['http:', 'https:', 'mailto:'])

/**
 * A link's address when it is one a reader may be sent to: `new URL()` accepts it and its scheme
 * is http, https or mailto. Undefined otherwise (`!channel`, `@U0123`, `javascript:…`), and the
 * caller shows the label and the address as text.
 */
export function safeLinkTarget(raw: string): URL | undefined {
  if (!URL.canParse(raw)) return undefined
  const url = new URL(raw)
  return SAFE_SCHEMES.has(url.protocol) ? url : undefined
}

/**
 * The address as written, with what could end a Slack link early percent-encoded: `|` (which
 * starts the label), `<`, `>`, quotes and whitespace (https://api.slack.com/reference/surfaces/formatting#linking-urls).
 * Still to be escaped with `escapeSlack` for its `&`.
 */
export function slackLinkAddress(raw: string): string {
  return raw.replace(/[|<>"`\s]/g, percentEncode)
}

/**
 * The address as written, with what could end a Discord `<…>` or `[…](<…>)` early percent-encoded:
 * angle brackets, parentheses, backslashes, quotes, pipes and whitespace.
 */
export function discordLinkAddress(raw: string): string {
  return raw.replace(/[<>()\\"`|\s]/g, percentEncode)
}

function percentEncode(char: string): string {
  return Array.from(
    new TextEncoder().encode(char),
    (byte) => `%${byte.toString(16).toUpperCase().padStart(2, '0')}`,
  ).join('')
}

/** Something that reads as an address or a domain name: `https://bank.example`, `bank.example`. */
const DOMAIN_LIKE = /(?:[\p{L}\p{N}-]+\.)+[\p{L}]{2,}/gu

/**
 * The host a link really opens, when its label names another one (a URL or a domain: "bank.example"
 * over evil.example) and so could pass as it; undefined when the label names no host or only this
 * one (with or without `www.`). mailto: addresses name no host to compare.
 */
export function hiddenHost(label: string, url: URL): string | undefined {
  if (url.protocol === 'mailto:' || url.hostname === '') return undefined
  const host = bare(url.hostname)
  const read = asRead(label)
  const named = [...(read.match(DOMAIN_LIKE) ?? []), ...(read.match(IPV4) ?? [])]
  return named.some((name) => bare(name) !== host) ? url.hostname : undefined
}

/** An address of four numbers, which DOMAIN_LIKE (a name ending in letters) does not take. */
const IPV4 = /\d{1,3}(?:\.\d{1,3}){3}/g
/** Characters a reader takes for a dot, as browsers and IDNA do (UTS #46): 。．｡ ․ ﹒. */
const DOT_LIKE = /[\u3002\uFF0E\uFF61\u2024\uFE52]/g
/** What nobody sees: format characters and default-ignorables (zero-width spaces, joiners). */
const UNSEEN = /[\p{Cf}\p{Default_Ignorable_Code_Point}]/gu

/**
 * The label as a reader takes it in: compatibility forms folded (NFKC: fullwidth letters),
 * unseen characters dropped, dot look-alikes and a dot followed by spaces read as a dot. So
 * `bank\u2024example`, `bank。example` and `bank\u200b.example` name bank.example.
 */
function asRead(label: string): string {
  return label.normalize('NFKC').replace(UNSEEN, '').replace(DOT_LIKE, '.').replace(/\.\s+/g, '.')
}

function bare(host: string): string {
  const lower = host.toLowerCase()
  return lower.startsWith('www.') ? lower.slice(4) : lower
}
