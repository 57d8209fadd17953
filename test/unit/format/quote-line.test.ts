import { describe, expect, it } from 'vitest'
import { quoteLine } from '../../../src/format/quote-line.ts'
import { truncate } from '../../../src/format/truncate.ts'

describe('the line a nested reply quotes', () => {
  it('is plain words: markup gone, mentions named, broadcasts defused, spoilers hidden', () => {
    const ctx = { userName: () => 'alex' }
    expect(quoteLine('<!channel> *meeting* now <@U0ALEX> :tada:\nsecond line', 'slack', ctx)).toBe(
      '@\u2060channel meeting now @alex 🎉',
    )
    expect(quoteLine('**Important**: ||Snape|| <@123456789012345678>', 'discord', ctx)).toBe(
      'Important: (spoiler hidden: read it on Discord) @alex',
    )
    expect(quoteLine('\n\n  first words  \nmore', 'plain')).toBe('first words')
  })

  it('is cut at 120 characters, never inside an emoji', () => {
    const line = quoteLine(`${'x'.repeat(118)}👨‍👩‍👧‍👦 tail`, 'plain')
    expect(line).toBe(`${'x'.repeat(118)}…`)
  })
})

describe('truncate', () => {
  it('keeps short text, and cuts long text between graphemes with an ellipsis', () => {
    expect(truncate('short', 10)).toBe('short')
    expect(truncate(`${'x'.repeat(98)}😀 and more`, 100)).toBe(`${'x'.repeat(98)}…`)
    expect(truncate('abcdefghij', 5)).toBe('abcd…')
  })
})
