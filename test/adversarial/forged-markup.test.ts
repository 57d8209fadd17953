import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { type DiscordNode, parseDiscord } from '../../src/format/discord-nodes.ts'
import { discordToSlack, slackToDiscord } from '../../src/format/index.ts'
import { discordLinkAddress, safeLinkTarget } from '../../src/format/link-target.ts'
import { guardSlackText, OWN_MENTION_MARK } from '../../src/format/slack-control-guard.ts'

const RUNS = { numRuns: 400 }

/** Pieces of Discord text an attacker would mix: link syntax, brackets, pipes, control words. */
const DISCORD_PIECES = [
  '[',
  ']',
  '(',
  ')',
  '](',
  '[x](',
  '<',
  '>',
  '|',
  '!channel',
  '!here',
  '!everyone',
  '!subteam^S0123',
  '@U0123ABCD',
  '@everyone',
  '!date^1^{date}^https://evil.example|',
  'https://bank.example',
  'https://evil.example/a',
  'mailto:a@b.example',
  'javascript:x',
  '<@123456789012345678>',
  '<@123456789012345679>',
  '&',
  '&gt;',
  '\\',
  '`',
  '*',
  ' ',
  '\n',
  'words',
]
/** The one linked person: the only `<@…>` the bridge may make. */
const CTX = { linkedUser: (id: string) => (id === '123456789012345678' ? 'U0LINKED' : undefined) }

/** Pieces of Slack text: its own links (written by the author), Discord link syntax, entities. */
const AUTHORED = ['<https://a.example/x|label>', '<https://b.example/&gt;)|b>', '<mailto:m@a.example|mail>']
const SLACK_PIECES = [
  ...AUTHORED,
  '[',
  ']',
  '(',
  ')',
  '](',
  '[x](',
  '<',
  '>',
  '&lt;',
  '&gt;',
  '|',
  'https://evil.example',
  '<https://c.example>',
  '*',
  '_',
  '~',
  '`',
  '\\',
  ' ',
  '\n',
  'words',
]

const text = (pieces: string[]) =>
  fc.array(fc.constantFrom(...pieces), { maxLength: 30 }).map((chosen) => chosen.join(''))

/** Every `<…>` Slack would read as a control sequence or a link, with the mark before it if any. */
function slackSequences(slack: string): { marked: boolean; inside: string }[] {
  return Array.from(slack.matchAll(/(\uFDD0?)<([^<>]*)>/g), (m) => ({
    marked: m[1] !== '',
    inside: m[2] ?? '',
  }))
}

function nodes(tree: DiscordNode[]): DiscordNode[] {
  return tree.flatMap((node) => [node, ...(Array.isArray(node.content) ? nodes(node.content) : [])])
}

describe('generated hostile text (issue 17, attacks 2 and 7)', () => {
  it('Discord text never yields a Slack control sequence or link the bridge did not make', () => {
    fc.assert(
      fc.property(text(DISCORD_PIECES), (discord) => {
        const slack = discordToSlack(discord, CTX)
        for (const { marked, inside } of slackSequences(slack)) {
          if (inside.startsWith('@'))
            expect({ marked, inside }).toEqual({ marked: true, inside: '@U0LINKED' })
          else if (inside.startsWith('!')) expect(inside).toMatch(/^!date\^\d+\^[^^|]*\|[^|]*$/)
          else {
            const address = (inside.split('|')[0] ?? '').replace(/&amp;/g, '&')
            expect(inside).not.toMatch(/^#/)
            expect(safeLinkTarget(address), address).toBeDefined()
          }
        }
        const guarded = guardSlackText(slack)
        expect(guarded).not.toContain(OWN_MENTION_MARK)
        for (const m of guarded.matchAll(/<([!@][^<>]*)>/g))
          expect(m[1] === '@U0LINKED' || /^!date\^\d+\^[^^|]*\|[^|]*$/.test(m[1] ?? '')).toBe(true)
      }),
      RUNS,
    )
  })

  it('Slack text never yields a Discord masked link its author did not write', () => {
    const written = new Set(
      AUTHORED.map((link) => link.slice(1, link.indexOf('|')).replace(/&gt;/g, '>'))
        .filter((address) => safeLinkTarget(address)?.protocol !== 'mailto:')
        .map(discordLinkAddress),
    )
    fc.assert(
      fc.property(text(SLACK_PIECES), (slack) => {
        const links = nodes(parseDiscord(slackToDiscord(slack))).filter((node) => node.type === 'link')
        for (const link of links) expect(written, String(link.target)).toContain(link.target)
        const authored = AUTHORED.reduce((n, piece) => n + slack.split(piece).length - 1, 0)
        expect(links.length).toBeLessThanOrEqual(authored)
      }),
      RUNS,
    )
  })
})
