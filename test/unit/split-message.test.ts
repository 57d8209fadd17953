import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { splitMessage } from '../../src/mirror/split-message.ts'

describe('splitMessage', () => {
  it('leaves a short message whole', () => {
    expect(splitMessage('hello', 2000)).toEqual(['hello'])
  })

  it('splits 5,000 characters into three ordered parts at paragraph boundaries, losing nothing', () => {
    const paragraphs = Array.from(
      { length: 10 },
      (_, i) => `${String(i).repeat(3)} ${'word '.repeat(98).trim()}.`,
    )
    const text = paragraphs.join('\n\n')
    expect(text.length).toBeGreaterThanOrEqual(4900)
    const parts = splitMessage(text, 2000)
    expect(parts).toHaveLength(3)
    for (const part of parts) expect(part.length).toBeLessThanOrEqual(2000)
    expect(parts.join('\n\n')).toBe(text)
    expect(parts[1]?.startsWith('444') || parts[1]?.startsWith('333')).toBe(true)
  })

  it('falls back to sentences, then words, then a hard cut', () => {
    const sentences = 'One sentence here. '.repeat(20).trim()
    for (const part of splitMessage(sentences, 100)) expect(part).toMatch(/\.$/)
    const words = 'abcdefghi '.repeat(30).trim()
    expect(splitMessage(words, 50).every((p) => !p.startsWith(' ') && p.length <= 50)).toBe(true)
    expect(splitMessage('x'.repeat(130), 50)).toEqual(['x'.repeat(50), 'x'.repeat(50), 'x'.repeat(30)])
  })
})

describe('splitMessage keeps markup whole', () => {
  const fences = (part: string) => part.match(/```/g)?.length ?? 0

  it('closes a code block cut between parts and reopens it, with its language, in the next', () => {
    const code = Array.from({ length: 120 }, (_, i) => `  const line${i} = compute(${i}) // step ${i}`)
    const text = `Here is the file:\n\`\`\`ts\n${code.join('\n')}\n\`\`\`\nThat is all.`
    const parts = splitMessage(text, 2000)
    expect(parts.length).toBeGreaterThanOrEqual(3)
    for (const part of parts) {
      expect(part.length).toBeLessThanOrEqual(2000)
      expect(fences(part) % 2).toBe(0) // balanced: no part turns code into markdown
    }
    for (const part of parts.slice(1, -1)) expect(part.startsWith('```ts\n')).toBe(true)
    // Without the fences added at the cuts, the code comes back line for line, indentation kept.
    const lines = parts
      .map((part, i) => (i === 0 ? part : part.replace(/^```ts\n/, '')))
      .map((part, i, all) => (i === all.length - 1 ? part : part.replace(/\n```$/, '')))
      .join('\n')
    expect(lines).toBe(text)
  })

  it('never cuts inside a link, a mention, an emoji or a grapheme cluster', () => {
    // No spaces: every cut has to be chosen between atoms, not at a word boundary.
    const unit = '<https://example.com/a/b><@123456789012345678>:ok_hand::skin-tone-5:👨‍👩‍👧‍👦👍🏽'
    const text = unit.repeat(12)
    for (const limit of [40, 57, 64, 90]) {
      const parts = splitMessage(text, limit)
      for (const part of parts) {
        expect(part.length).toBeLessThanOrEqual(limit)
        expect(part.split('<').length).toBe(part.split('>').length)
        expect(part).not.toMatch(
          /^[\u{1f3fb}-\u{1f3ff}\u200d]|\u200d$|^skin-tone|<https:\/\/example\.com\/a\/b(?!>)/u,
        )
        expect(part.split(':ok_hand::skin-tone-5:').length).toBe(part.split('ok_hand').length)
        expect(part.split('<@123456789012345678>').length).toBe(part.split('@').length)
      }
      expect(parts.join('')).toBe(text)
    }
  })

  it('cuts between graphemes even where it has to cut mid-word', () => {
    const family = '👨‍👩‍👧‍👦'
    const parts = splitMessage(`${'x'.repeat(45)}${family.repeat(3)}`, 50)
    for (const part of parts) expect(part.length).toBeLessThanOrEqual(50)
    expect(parts[0]).toBe('x'.repeat(45))
    expect(parts.join('')).toBe(`${'x'.repeat(45)}${family.repeat(3)}`)
  })
})

describe('splitMessage, for any text with code blocks, emoji and links', () => {
  const word = fc.constantFrom(
    'alpha',
    '数据',
    'שלום',
    '👍🏽',
    '👨‍👩‍👧‍👦',
    '<@123456789012345678>',
    'https://example.com/x',
    ':tada:',
  )
  const line = fc.array(word, { minLength: 1, maxLength: 12 }).map((words) => words.join(' '))
  const code = fc
    .tuple(fc.constantFrom('', 'ts', 'ansi'), fc.array(line, { minLength: 1, maxLength: 30 }))
    .map(([lang, lines]) => `\`\`\`${lang}\n${lines.map((l) => `  ${l}`).join('\n')}\n\`\`\``)
  const text = fc
    .array(fc.oneof(line, code), { minLength: 1, maxLength: 12 })
    .map((blocks) => blocks.join('\n'))

  it('keeps every part within the limit, with code blocks balanced in each', () => {
    fc.assert(
      fc.property(text, fc.integer({ min: 60, max: 400 }), (input, limit) => {
        for (const part of splitMessage(input, limit)) {
          expect(part.length).toBeLessThanOrEqual(limit)
          expect((part.match(/```/g)?.length ?? 0) % 2).toBe(0)
        }
      }),
      { numRuns: 300 },
    )
  })
})
