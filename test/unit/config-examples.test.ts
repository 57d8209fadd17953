import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { loadConfig } from '../../src/config/load-config.ts'

const root = new URL('../../', import.meta.url)

/** The configuration files the docs show, each a ```json block: an admin copies them as they are. */
function jsonBlocks(file: string): string[] {
  const text = readFileSync(new URL(file, root), 'utf8')
  return [...text.matchAll(/```json\n([\s\S]*?)```/g)].map((match) => match[1] ?? '')
}

describe('the configuration files the docs show', () => {
  it.each(['docs/configuration.md', 'README.md'])('are accepted as they are written in %s', async (file) => {
    const blocks = jsonBlocks(file)
    expect(blocks.length).toBeGreaterThan(0)
    for (const block of blocks) {
      const config = await loadConfig({ THREADBRIDGE_CONFIG: 'communities.json' }, async () => block)
      // Each bridges a community on both sides: a file that bridged nothing would not start.
      expect(config.communities.some((c) => c.discord !== undefined && c.slack !== undefined)).toBe(true)
    }
  })
})
