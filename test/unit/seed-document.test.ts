import { readFile } from 'node:fs/promises'
import { describe, expect, it } from 'vitest'
import { parseSeedDocument, readSeedDocument, SEED_FILE } from '../../sandbox/seed/seed-document.ts'

describe('the seed document', () => {
  it('is split into a post and its replies, one of them deleted', async () => {
    const seed = await readSeedDocument()
    expect(seed.title).toBe('I love this thought from Mark Britz on Twitter')
    expect(seed.post).toMatch(/^I love this thought from Mark Britz on Twitter:/)
    expect(seed.post).toContain('you can’t fix what you can’t see')
    expect(seed.post).not.toContain('You need to be a member')
    expect(seed.replies.map((r) => [r.text.split('\n')[0], r.deleted])).toEqual([
      ['I think that is a great aspiration and something we should all do.', false],
      ['Woah! Loads to say :-)', false],
      ['(This reply was later deleted by its author.)', true],
    ])
    expect(seed.replies[1]?.text).toContain(
      "I'm a huge believer in the context of what Mark is saying here. What about you?",
    )
  })

  it('is the community’s page, copied from shared/ so a fresh clone has it', async () => {
    const shared = await readFile(
      new URL('../../../shared/seed/lightbulb-moment.txt', import.meta.url),
      'utf8',
    ).catch(() => undefined)
    const ours = await readFile(SEED_FILE, 'utf8')
    if (shared !== undefined) expect(ours).toBe(shared)
    expect(ours).toContain('Lightbulb Moment')
  })

  it('refuses a page without the parts it needs', () => {
    expect(() => parseSeedDocument('just some text')).toThrow(/no membership notice/)
  })
})
