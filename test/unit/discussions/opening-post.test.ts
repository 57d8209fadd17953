import { describe, expect, it } from 'vitest'
import { openingPostOf } from '../../../src/discussions/opening-post.ts'

describe('a top-level Slack message as an opening post', () => {
  it('takes its first line, in plain words, as the title and the rest as the body', () => {
    expect(openingPostOf('*Hi* all :wave:\nMore to say')).toEqual({ title: 'Hi all 👋', body: 'More to say' })
  })

  it('keeps a one-line message as its own body', () => {
    expect(openingPostOf('Just one line')).toEqual({ title: 'Just one line', body: 'Just one line' })
  })

  it('names the people and channels the title mentions, and defuses a broadcast', () => {
    const ctx = { userName: (id: string) => ({ U0ALEX: 'alex' })[id], channelName: () => 'general' }
    expect(openingPostOf('<!channel> topic with <@U0ALEX> in <#C1>\nsecond line', ctx)).toEqual({
      title: '@\u2060channel topic with @alex in #general',
      body: 'second line',
    })
  })

  it('keeps a first line too long to show whole as a title in the body as well', () => {
    const long = `${'word '.repeat(30).trim()} end`
    expect(openingPostOf(`${long}\nsecond line`)).toEqual({ title: long, body: `${long}\nsecond line` })
  })
})

describe('a first line a title cannot show whole', () => {
  it('stays in the body when it has a link, or opens a code block; blank lines above are skipped', () => {
    const linked = 'Please review <https://example.com/pull/42|this PR> by Friday\nThanks!'
    expect(openingPostOf(linked)).toEqual({ title: 'Please review this PR by Friday', body: linked })
    const code = '```\nconst x = 1\n```\nthen prose'
    expect(openingPostOf(code).body).toBe(code)
    expect(openingPostOf(code).title).not.toBe('```')
    expect(openingPostOf('\n\n  Real title\nbody')).toEqual({ title: 'Real title', body: 'body' })
  })
})
