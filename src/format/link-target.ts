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
  const named = label.match(DOMAIN_LIKE) ?? []
  return named.some((name) => bare(name) !== host) ? url.hostname : undefined
}

function bare(host: string): string {
  const lower = host.toLowerCase()
  return lower.startsWith('www.') ? lower.slice(4) : lower
}
