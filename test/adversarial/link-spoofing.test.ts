import { describe, expect, it } from 'vitest'
import { type DiscordNode, parseDiscord } from '../../src/format/discord-nodes.ts'
import { discordToSlack, slackToDiscord } from '../../src/format/index.ts'

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
})
