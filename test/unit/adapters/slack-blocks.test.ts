import { type Node, NodeType, parse } from 'slack-message-parser'
import { describe, expect, it } from 'vitest'
import { commandAnswer } from '../../../adapters/slack/slack-command-buttons.ts'
import { blocksOf } from '../../../adapters/slack/slack-digests.ts'
import type { DigestMessage } from '../../../src/platform/platform-port.ts'

/** A title and a name written to be read as Slack markup, links, channels and mentions. */
const HOSTILE = 'x* _evil_ ~gone~ `code* #general @channel https://evil.example & <!here> *bold*\nnext'

const digest = (title: string, name = 'jo'): DigestMessage => ({
  summary: '1 new discussion',
  sections: [
    {
      heading: `#1 “${title}” in Lightbulb Moment`,
      subheading: `New discussion by ${name} (Discord)`,
      lines: [`${name} (Discord): see #general and https://example.com`],
      links: [{ label: 'Open on Discord', url: 'https://discord.com/channels/1/2/3' }],
    },
  ],
  more: '…and 1 more discussion by @channel.',
  actions: [{ id: 'digest:stop', label: 'Stop all', danger: true }],
})

/** Every object in the blocks whose `type` is mrkdwn: section texts, context elements, fields. */
function mrkdwnObjects(value: unknown): Record<string, unknown>[] {
  if (Array.isArray(value)) return value.flatMap(mrkdwnObjects)
  if (value === null || typeof value !== 'object') return []
  const object = value as Record<string, unknown>
  const own = object.type === 'mrkdwn' ? [object] : []
  return [...own, ...Object.values(object).flatMap(mrkdwnObjects)]
}

/** The node types that mean text was read as formatting, not as words. */
function formatting(nodes: Node[]): string[] {
  return nodes.flatMap((node) => [
    ...(node.type === NodeType.Text ? [] : [NodeType[node.type]]),
    ...('children' in node ? formatting(node.children) : []),
  ])
}

describe('Slack blocks built from what people wrote (issue 17)', () => {
  it('say verbatim on every mrkdwn text: Slack links no address, channel or mention by itself', () => {
    const built = [
      blocksOf(digest(HOSTILE, HOSTILE)),
      commandAnswer({
        text: `Delete #1 “${HOSTILE}”?`,
        actions: [{ id: 'tb:delete:1', label: 'Delete', danger: true }],
      }).blocks,
    ]
    const texts = mrkdwnObjects(built)
    // The digest's section and its context line, and the answer's section.
    expect(texts).toHaveLength(3)
    for (const text of texts) expect(text.verbatim).toBe(true)
  })

  it('keep a hostile title inside its bold heading, as words', () => {
    const [section] = blocksOf(digest(HOSTILE))
    const text = section?.type === 'section' ? (section.text?.text ?? '') : ''
    const heading = text.split('\n')[0] ?? ''
    const tree = parse(heading)
    // One bold run holding only words: nothing in the title ends it, or starts anything else.
    expect(tree.children.map((node) => NodeType[node.type])).toEqual(['Bold'])
    const [bold] = tree.children
    expect(bold && 'children' in bold ? formatting(bold.children) : ['none']).toEqual([])
    // Slack's control characters are escaped, and the title's own line break does not end it.
    expect(heading).not.toMatch(/[<>]/)
    expect(heading).toContain('&amp;')
    expect(heading).toContain('next')
  })

  it('show a hostile name in the subheading as words', () => {
    const [section] = blocksOf(digest('Fine', HOSTILE))
    const text = section?.type === 'section' ? (section.text?.text ?? '') : ''
    const subheading = text.split('\n')[1] ?? ''
    expect(formatting(parse(subheading).children)).toEqual([])
    expect(subheading).toContain('@\u2060channel')
  })
})
