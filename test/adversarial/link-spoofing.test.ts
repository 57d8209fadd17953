import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { type DiscordNode, parseDiscord } from '../../src/format/discord-nodes.ts'
import { discordToSlack, slackToDiscord } from '../../src/format/index.ts'
import { hiddenHost } from '../../src/format/link-target.ts'

/** Every node of a Discord tree, depth first. */
function nodes(tree: DiscordNode[]): DiscordNode[] {
  return tree.flatMap((node) => [node, ...(Array.isArray(node.content) ? nodes(node.content) : [])])
}

/** The `<address|label>` links in Slack text, as Slack reads them: the address ends at the first `|`. */
function slackLinks(text: string): { address: string; label: string | undefined }[] {
  return Array.from(text.matchAll(/<([^<>|]*)(?:\|([^<>]*))?>/g), (m) => ({
    address: m[1] ?? '',
    label: m[2],
  }))
}

describe('attack 7: a link cannot show one address and open another', () => {
  it('an address with a pipe stays one address on Slack', () => {
    const links = slackLinks(discordToSlack('https://evil.example/a|https://bank.example'))
    expect(links).toEqual([{ address: 'https://evil.example/a%7Chttps://bank.example', label: undefined }])
  })

  it('a Discord label that names another site shows the real host beside it on Slack', () => {
    const text = discordToSlack('[https://bank.example](https://evil.example)')
    expect(slackLinks(text)).toEqual([{ address: 'https://evil.example', label: 'https://bank.example' }])
    expect(text).toContain('(evil.example)')
  })

  it('a Slack label that names another site shows the real host beside it on Discord', () => {
    const text = slackToDiscord('<https://evil.example/a|https://bank.example>')
    expect(text).toContain('(evil.example)')
  })

  it.each([
    'bank\u2024example',
    'bank\u3002example',
    'bank\uFF0Eexample',
    'bank\u200b.example',
    'bank. example',
    '1.2.3.4',
  ])('a label with a dot look-alike or an address of numbers (%j) shows the real host too', (label) => {
    expect(discordToSlack(`[${label}](https://evil.example/x)`)).toContain('(evil.example)')
    expect(slackToDiscord(`<https://evil.example/x|${label}>`)).toContain('evil.example)')
  })

  it('a label naming the link’s own site shows no host', () => {
    expect(discordToSlack('[bank.example](https://www.bank.example/login)')).toBe(
      '<https://www.bank.example/login|bank.example>',
    )
  })

  it.each(['javascript:alert(1)', 'data:text/html,hi', 'slack://open', 'not an address'])(
    'a target %s is shown as text, never linked',
    (target) => {
      expect(slackLinks(discordToSlack(`[click](${target})`))).toEqual([])
      const discord = nodes(parseDiscord(slackToDiscord(`<${target}|click>`)))
      expect(discord.filter((node) => ['link', 'url', 'autolink'].includes(node.type))).toEqual([])
    },
  )

  it.each([
    ['<https://evil.example/&gt;)x|y>', 'https://evil.example/%3E%29x'],
    ['<https://evil.example/a&gt;**b**|lab>', 'https://evil.example/a%3E**b**'],
    [
      '<https://evil.example/a&gt; [x](https://other.example)|lab>',
      'https://evil.example/a%3E%20[x]%28https://other.example%29',
    ],
  ])('an address holding &gt; stays inside its brackets on Discord: %s', (slack, address) => {
    const tree = nodes(parseDiscord(slackToDiscord(slack)))
    expect(tree.filter((node) => node.type === 'link').map((node) => node.target)).toEqual([address])
    expect(tree.filter((node) => ['strong', 'em', 'url', 'autolink'].includes(node.type))).toEqual([])
  })

  it('a bare address holding &gt; stays one address on Discord', () => {
    const tree = nodes(parseDiscord(slackToDiscord('<https://evil.example/a&gt; **b**>')))
    expect(tree.filter((node) => ['strong', 'link'].includes(node.type))).toEqual([])
    expect(tree.filter((node) => node.type === 'autolink').map((node) => node.target)).toEqual([
      'https://evil.example/a%3E%20**b**',
    ])
  })

  it.each([
    ['bank@bank.example', 'mailto:phish@evil.example', 'phish@evil.example'],
    ['https://bank.example/login', 'mailto:phish@evil.example', 'phish@evil.example'],
    ['bank .example', 'mailto:phish@evil.example', 'phish@evil.example'],
    ['bank@bank.example', 'mailto:bank@bank.example?bcc=phish@evil.example', 'phish@evil.example'],
  ])(
    'a Discord mail link labelled %j over %s shows the real address beside it on Slack',
    (label, target, real) => {
      const text = discordToSlack(`[${label}](${target})`)
      expect(text.slice(text.indexOf('>'))).toContain(real)
    },
  )

  it('a mail link whose label is its own address shows nothing more', () => {
    expect(discordToSlack('[bank@bank.example](mailto:bank@bank.example)')).toBe(
      '<mailto:bank@bank.example|bank@bank.example>',
    )
  })

  it.each([
    'http://intranet/login',
    'https://localhost/',
    'localhost',
    'http://[::1]/',
    '::1',
    'bank .example',
    'bank . example',
    'bank·example',
    'bank・example',
    '**bank**.example',
    'admin@intranet',
    'http:bank.example',
  ])(
    'a label naming a single-label host, an IPv6 address or a spaced domain (%j) shows the real host',
    (label) => {
      expect(discordToSlack(`[${label}](https://evil.example/x)`)).toContain('(evil.example)')
      expect(slackToDiscord(`<https://evil.example/x|${label}>`)).toContain('(evil.example)')
    },
  )

  it('a label naming the link’s own single-label host or IPv6 address shows no host', () => {
    expect(discordToSlack('[http://intranet/login](http://intranet/login?x=1)')).not.toContain('(')
    expect(slackToDiscord('<http://[::1]/a|http://[::1]/>')).not.toMatch(/\)\s\(/)
  })
})

/** Ways to write a host so a reader still takes it in: as is, in an address, spaced, with a look-alike dot. */
const DISGUISES: ((host: string, inUrl: string) => string)[] = [
  (host) => host,
  (_, inUrl) => `https://${inUrl}/login`,
  (_, inUrl) => `http://${inUrl}`,
  (host) => host.replace('.', ' .'),
  (host) => host.replace('.', '. '),
  (host) => host.replace('.', '\u00b7'),
  (host) => host.replace('.', '\u3002'),
  (host) => host.replace('.', '\uff0e'),
  (host) => host.replace('.', '\u2024'),
  (host) => host.replace('.', '\u200b.'),
  (host) => `support@${host}`,
  (host) => `Log in to ${host} now`,
]

describe('reading a label is bounded by its length', () => {
  // Patterns rescanning a run from each of its characters took 5.6 s for 40,000 letters.
  it.each(['a', '1.', 'ab.', ' ', ' .', 'a:', '1:', 'a@', '-', 'http://a'])(
    'a 40,000-character Slack label of %j is read in well under a second',
    (piece) => {
      const label = piece.repeat(Math.ceil(40_000 / piece.length)).slice(0, 40_000)
      const started = performance.now()
      hiddenHost(label, new URL('https://evil.example/'))
      expect(performance.now() - started).toBeLessThan(1000)
    },
  )
})

describe('attack 7, generated: a label naming another host always shows the real one', () => {
  const named = fc.constantFrom(
    ['bank.example', 'bank.example'],
    ['intranet', 'intranet'],
    ['localhost', 'localhost'],
    ['10.0.0.1', '10.0.0.1'],
    ['::1', '[::1]'],
    ['bänk.example', 'bänk.example'],
  )
  const real = fc.constantFrom('evil.example', 'bank.example.evil', '192.0.2.7', '[2001:db8::1]', 'evil')

  it('on Slack and on Discord', () => {
    fc.assert(
      fc.property(named, real, fc.constantFrom(...DISGUISES), ([host, inUrl], target, disguise) => {
        const label = disguise(host, inUrl)
        // A single word is a host only inside an address: `intranet` alone is a word like any other.
        fc.pre(host !== 'intranet' || /:\/\/|@/.test(label))
        const url = `https://${target}/x`
        expect(discordToSlack(`[${label}](${url})`), label).toContain(`(${target})`)
        // Discord shows the host escaped: `\[2001:db8::1\]` reads as `[2001:db8::1]`.
        expect(slackToDiscord(`<${url}|${label}>`).replace(/\\/g, ''), label).toContain(`(${target})`)
      }),
      { numRuns: 300 },
    )
  })
})
