import { describe, expect, it } from 'vitest'
import { embedsOf } from '../../adapters/discord/discord-digests.ts'
import { shownName } from '../../src/command/shown-name.ts'
import { type DiscordNode, parseDiscord } from '../../src/format/discord-nodes.ts'

/** Names and titles people choose, written to be read as markup on Discord. */
const HOSTILE_NAMES = [
  '[bank.example](https://evil.example)',
  '**Moderator**',
  '<@123456789012345678>',
  '@everyone',
  '# Official',
  '||hidden||',
]

/** The node types that mean a name was read as markup, not words. */
const MARKUP = new Set(['link', 'strong', 'em', 'user', 'everyone', 'heading', 'spoiler'])

function markup(text: string): string[] {
  const all = (tree: DiscordNode[]): DiscordNode[] =>
    tree.flatMap((node) => [node, ...(Array.isArray(node.content) ? all(node.content) : [])])
  return all(parseDiscord(text))
    .map((node) => node.type)
    .filter((type) => MARKUP.has(type))
}

describe('names and titles in /audit, /moderators and digests read as typed on Discord (issue 17, 9)', () => {
  it.each(HOSTILE_NAMES)('%s in a command’s answer is words', (name) => {
    expect(markup(`- ${shownName('discord', name)} (Discord)`)).toEqual([])
  })

  it.each(HOSTILE_NAMES)('%s in a digest embed is words', (name) => {
    const [embed] = embedsOf(
      {
        summary: '1 new discussion',
        sections: [
          {
            heading: `#1 “${name}” in Lightbulb Moment`,
            subheading: `New discussion by ${name}`,
            lines: [],
            links: [],
          },
        ],
        actions: [],
      },
      'k1',
    )
    expect(markup(embed?.title ?? '')).toEqual([])
    // The subheading's own bold is the one piece of markup the bridge adds.
    expect(markup(embed?.description ?? '')).toEqual(['strong'])
  })

  it('on Slack, a name’s formatting markers are look-alikes: mrkdwn has no escape', () => {
    expect(shownName('slack', '*b* _i_ ~s~ `c`')).toBe(
      '\u2217b\u2217 \u02CDi\u02CD \u223Cs\u223C \u02CBc\u02CB',
    )
  })

  it('a name keeps to one line, so it cannot start a line of its own', () => {
    expect(shownName('discord', 'jo\n# Official')).toBe('jo # Official')
    expect(shownName('slack', 'jo\n\n*x*')).toBe('jo \u2217x\u2217')
  })
})
