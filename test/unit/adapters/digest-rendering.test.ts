import { describe, expect, it } from 'vitest'
import { embedsOf, rowsOf } from '../../../adapters/discord/discord-digests.ts'
import { blocksOf } from '../../../adapters/slack/slack-digests.ts'
import type { DigestMessage } from '../../../src/platform/platform-port.ts'

/** A digest far bigger than any platform shows in one message: the renderers must stay within limits. */
const huge: DigestMessage = {
  summary: '240 new replies in 12 discussions',
  sections: Array.from({ length: 12 }, (_, i) => ({
    heading: `#${i + 1} “${'A long title '.repeat(30)}” in Lightbulb Moment`,
    subheading: '20 new replies',
    lines: Array.from({ length: 3 }, () => `jo (Discord): ${'word '.repeat(60)}`),
    links: [
      { label: 'Open on Discord', url: `https://discord.com/channels/1/2/${i}` },
      { label: 'Open on Slack', url: `https://acme.slack.com/archives/C1/p${1700000000000100 + i}` },
    ],
  })),
  more: '…and 2 more discussions (40 replies).',
  actions: [
    ...Array.from({ length: 30 }, (_, i) => ({
      id: `digest:unsubscribe:${i}`,
      label: `Unsubscribe from #${i}`,
    })),
    { id: 'digest:stop', label: 'Stop all', danger: true },
  ],
}

describe('a digest rendered for each platform', () => {
  it('fits Discord: at most 10 embeds, 6,000 characters across them, 5 rows of 5 buttons, the key in the footer', () => {
    const embeds = embedsOf(huge, 'tbd42')
    expect(embeds.length).toBeLessThanOrEqual(10)
    const total = embeds.reduce(
      (sum, e) => sum + (e.title?.length ?? 0) + (e.description?.length ?? 0) + (e.footer?.text.length ?? 0),
      0,
    )
    expect(total).toBeLessThanOrEqual(6000)
    expect(embeds.every((e) => (e.title?.length ?? 0) <= 256 && (e.description?.length ?? 0) <= 4096)).toBe(
      true,
    )
    expect(embeds.at(-1)?.footer?.text).toBe('Threadbridge digest tbd42')
    expect(embeds.at(-1)?.description).toContain('…and 2 more discussions (40 replies).')
    const rows = rowsOf(huge.actions)
    expect(rows.length).toBeLessThanOrEqual(5)
    expect(rows.every((row) => row.components.length <= 5)).toBe(true)
  })

  it('fits Slack: at most 50 blocks, 3,000 characters a section, 25 buttons', () => {
    const blocks = blocksOf(huge)
    expect(blocks.length).toBeLessThanOrEqual(50)
    for (const block of blocks)
      if (block.type === 'section') expect(block.text?.text.length ?? 0).toBeLessThanOrEqual(3000)
    const actions = blocks.find((b) => b.type === 'actions')
    expect(actions?.type === 'actions' && actions.elements.length).toBeLessThanOrEqual(25)
    expect(JSON.stringify(blocks)).toContain('…and 2 more discussions (40 replies).')
  })
})
