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
