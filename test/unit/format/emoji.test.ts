import { describe, expect, it } from 'vitest'
import { canonicalEmoji, platformEmoji } from '../../../src/format/emoji.ts'

describe('reaction emoji', () => {
  it('stores one form whatever the platform, skin tone included', () => {
    expect(canonicalEmoji('discord', { name: '👍' })).toBe('👍')
    expect(canonicalEmoji('slack', { name: '+1' })).toBe('👍')
    expect(canonicalEmoji('slack', { name: 'thumbsup' })).toBe('👍')
    expect(canonicalEmoji('slack', { name: '+1::skin-tone-3' })).toBe('👍🏼')
    expect(canonicalEmoji('slack', { name: 'thinking_face' })).toBe('🤔')
    expect(canonicalEmoji('slack', { name: 'flag-jp' })).toBe('🇯🇵')
  })

  it('speaks Slack’s names for Slack, skin tones and newer emoji included', () => {
    expect(platformEmoji('slack', '🤔')).toBe('thinking_face')
    expect(platformEmoji('slack', '👌🏾')).toBe('ok_hand::skin-tone-5')
    expect(platformEmoji('slack', '🥲')).toBe('smiling_face_with_tear')
    expect(platformEmoji('slack', '🫠')).toBe('melting_face')
    expect(platformEmoji('slack', '🇯🇵')).toBe('flag-jp')
    expect(platformEmoji('slack', '❤')).toBe('heart') // Discord may send the heart without U+FE0F
    expect(platformEmoji('discord', '🎉')).toBe('🎉')
  })

  it('never sends an emoji under a name the other platform does not have', () => {
    expect(canonicalEmoji('discord', { name: 'blob', customId: '123456789012345678' })).toBe(':blob:')
    expect(canonicalEmoji('slack', { name: 'partyparrot' })).toBe(':partyparrot:')
    expect(platformEmoji('discord', ':partyparrot:')).toBeUndefined()
    expect(platformEmoji('slack', ':blob:')).toBeUndefined()
    expect(platformEmoji('slack', 'x')).toBeUndefined()
  })

  it('crosses every skin-toned Slack reaction and back to the same name', () => {
    for (const tone of [2, 3, 4, 5, 6]) {
      const name = `raised_hands::skin-tone-${tone}`
      expect(platformEmoji('slack', canonicalEmoji('slack', { name }))).toBe(name)
    }
  })
})
