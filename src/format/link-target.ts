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

/**
 * What a link's reader is sent to, when its label names another place and so could pass as it:
 * the real host of a web link, the real recipients of a mail link. Undefined when the label names
 * no place, or only this one (a host with or without `www.`, the one mail address).
 *
 * A label names a place when, read as a person reads it (see `asRead`), it holds an address with a
 * scheme (`xxx://…`), is itself an address, or holds a domain name (spaces taken out, so
 * `bank .example` counts), an IPv4 or IPv6 address, `localhost`, or a mail address (`a@b`).
 * Over-matching only adds the real host beside a label, so the rule errs that way.
 */
export function hiddenHost(label: string, url: URL): string | undefined {
  const named = namedPlaces(asRead(label))
  if (url.protocol === 'mailto:') {
    const recipients = mailRecipients(url)
    const only = recipients.length === 1 ? recipients[0]?.toLowerCase() : undefined
    return named.some((place) => place !== only) ? recipients.join(', ') || url.href : undefined
  }
  const host = bare(url.hostname)
  return named.some((place) => bare(place) !== host) ? url.hostname || url.href : undefined
}

/** Who a mailto: link writes to: its address and any `to`, `cc` or `bcc` (RFC 6068), as written. */
function mailRecipients(url: URL): string[] {
  const lists = [url.pathname, ...['to', 'cc', 'bcc'].flatMap((field) => url.searchParams.getAll(field))]
  return lists
    .flatMap((list) => decoded(list).split(','))
    .map((address) => address.trim())
    .filter((address) => address !== '')
}

function decoded(text: string): string {
  try {
    return decodeURIComponent(text)
  } catch {
    return text
  }
}

/*
 * Each pattern below starts only where its first run of characters starts (the look-behinds), so
 * a long run that does not match is scanned once, not once from each of its characters.
 */
/** An address with a scheme, up to the next space: `https://bank.example/login`, `http://[::1]/`. */
const WITH_SCHEME = /(?<![a-z\d+.-])[a-z][a-z\d+.-]*:\/\/\S*/giu
/** A mail address, or anything shaped like one (`admin@intranet`). */
const MAIL_LIKE = /(?<![^\s@<>()[\]"',;:])[^\s@<>()[\]"',;:]+@[^\s@<>()"',;]+/gu
/** Candidate IPv6 addresses (two colons or more), bracketed or not; `new URL` decides. */
const IPV6_LIKE = /\[?[\da-f]{0,4}(?::[\da-f]{0,4}){2,7}(?::\d{1,3}(?:\.\d{1,3}){3})?\]?/giu
/** An address of four numbers, which `domainNames` (a name ending in letters) does not take. */
const IPV4 = /\d{1,3}(?:\.\d{1,3}){3}/g
const LOCALHOST = /localhost/giu

/**
 * The places a label (already `asRead`) names, each as a host or a lower-case mail address.
 * Addresses with a scheme and mail addresses are taken out before the rest is searched, so the
 * path of `https://bank.example/login.php` or the domain of `a@bank.example` counts once.
 */
function namedPlaces(read: string): string[] {
  const places: string[] = []
  const whole = read.trim()
  if (URL.canParse(whole) && new URL(whole).hostname !== '') places.push(hostOf(new URL(whole).hostname))
  let rest = read.replace(WITH_SCHEME, (address) => {
    places.push(URL.canParse(address) ? hostOf(new URL(address).hostname) : address)
    return ' '
  })
  rest = rest.replace(MAIL_LIKE, (address) => {
    places.push(address.toLowerCase())
    return ' '
  })
  rest = rest.replace(IPV6_LIKE, (address) => {
    const inner = address.replace(/^\[|\]$/g, '')
    if (!URL.canParse(`http://[${inner}]`)) return address
    places.push(new URL(`http://[${inner}]`).hostname)
    return ' '
  })
  const joined = rest.replace(/\s+/g, '')
  for (const name of [
    ...domainNames(joined),
    ...(joined.match(IPV4) ?? []),
    ...(joined.match(LOCALHOST) ?? []),
  ])
    places.push(hostOf(name))
  return places
}

/**
 * What reads as a domain name: names joined by dots, the last beginning with two letters or more
 * (`bank.example`, `bänk.example`, `a.b.example` in `a.b.example1`). Done by splitting rather than
 * by a pattern, which would rescan a long run of dotted numbers from every dot.
 */
function domainNames(text: string): string[] {
  const names: string[] = []
  for (const run of text.match(/[\p{L}\p{N}.-]+/gu) ?? []) {
    for (const group of run.split(/\.{2,}|^\.|\.$/)) {
      const parts = group.split('.')
      const last = parts.findLastIndex((part, at) => at > 0 && /^\p{L}{2}/u.test(part))
      const ending = parts[last]?.match(/^\p{L}+/u)?.[0]
      if (last > 0 && ending !== undefined) names.push([...parts.slice(0, last), ending].join('.'))
    }
  }
  return names
}

/** A host as a URL holds it (lower case, IDN as punycode, IPv4 in dotted form), to compare. */
function hostOf(name: string): string {
  const url = `http://${name}/`
  return URL.canParse(url) ? new URL(url).hostname : name.toLowerCase()
}

/**
 * Characters a reader takes for a dot: the ones browsers and IDNA read as one (UTS #46: 。．｡ ․ ﹒)
 * and the middle dots and bullets that pass for one in a link's label (· ・ ･ ‧ ⸱ ∙ ⋅ •).
 */
const DOT_LIKE = /[\u3002\uFF0E\uFF61\u2024\uFE52\u00B7\u0387\u30FB\uFF65\u2027\u2E31\u2219\u22C5\u2022]/g
/** What nobody sees: format characters and default-ignorables (zero-width spaces, joiners). */
const UNSEEN = /[\p{Cf}\p{Default_Ignorable_Code_Point}]/gu
/** Markup around the words (bold, italics, code, strike, spoilers), which a reader does not see. */
const MARKUP = /[*_~`|]/g

/**
 * The label as a reader takes it in: compatibility forms folded (NFKC: fullwidth letters, `＠`),
 * the escapes and markup either platform puts in a label dropped (`\[`, `&amp;`, `**bank**`),
 * unseen characters dropped, dot look-alikes read as a dot and spaces around a dot or an `@`
 * taken out. So `bank\u2024example`, `bank。example`, `**bank**.example` and `bank .example` name
 * bank.example.
 */
function asRead(label: string): string {
  return label
    .normalize('NFKC')
    .replace(/\\(.)/gu, '$1')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .replace(MARKUP, '')
    .replace(UNSEEN, '')
    .replace(DOT_LIKE, '.')
    .replace(/\s+/g, (spaces, at: number, text: string) =>
      /[.@]/.test(`${text[at - 1] ?? ''}${text[at + spaces.length] ?? ''}`) ? '' : spaces,
    )
}

/** A host without `www.` or underscores (which `asRead` drops from a label as markup). */
function bare(host: string): string {
  const lower = host.toLowerCase().replace(/_/g, '')
  return lower.startsWith('www.') ? lower.slice(4) : lower
}
