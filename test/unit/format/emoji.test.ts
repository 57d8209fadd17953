import { describe, expect, it } from 'vitest'
import { canonicalEmoji, platformEmoji } from '../../../src/format/emoji.ts'

describe('reaction emoji', () => {
  it('stores standard emoji as Unicode, whichever platform they came from', () => {
    expect(canonicalEmoji('discord', { name: '👍' })).toBe('👍')
    expect(canonicalEmoji('slack', { name: '+1' })).toBe('👍')
    expect(canonicalEmoji('slack', { name: '+1::skin-tone-3' })).toBe('👍')
  })

  it('keeps a platform’s own emoji by name, and shows it only where it exists', () => {
    expect(canonicalEmoji('discord', { name: 'blob', customId: '123456789012345678' })).toBe(':blob:')
    expect(canonicalEmoji('slack', { name: 'partyparrot' })).toBe(':partyparrot:')
    expect(platformEmoji('discord', ':partyparrot:')).toBeUndefined()
    expect(platformEmoji('slack', ':blob:')).toBe('blob')
    expect(platformEmoji('slack', '🎉')).toBe('tada')
    expect(platformEmoji('discord', '🎉')).toBe('🎉')
  })
})
