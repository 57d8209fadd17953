import { describe, expect, it } from 'vitest'
import { convertText, discordToSlack, slackToDiscord } from '../../../src/format/index.ts'
import { guardSlackText, ownSlackMention } from '../../../src/format/slack-control-guard.ts'

const ZWJ = '\u2060'

describe('discordToSlack', () => {
  it.each([
    ['**bold** *italic* ~~gone~~', '*bold* _italic_ ~gone~'],
    ['`a*b*c` and\n```js\nx < y && *z*\n```', '`a*b*c` and\n```\nx &lt; y &amp;&amp; *z*\n```'],
    ['[the docs](https://example.com/a?b=1&c=2)', '<https://example.com/a?b=1&amp;c=2|the docs>'],
    ['see https://example.com', 'see <https://example.com>'],
    ['> quoted\nnot', '> quoted\nnot'],
    ['# Heading', '*Heading*\n'],
    ['x < y & z > w', 'x &lt; y &amp; z &gt; w'],
    ['nice 🎉 :tada:', 'nice :tada: :tada:'],
    ['<:blob:123456789012345671>', ':blob:'],
  ])('%j → %j', (input, expected) => {
    expect(discordToSlack(input)).toBe(expected)
  })

  it('turns mentions into names, or real mentions for linked accounts, never raw ids', () => {
    const text = 'hi <@123456789012345678> in <#123456789012345670> with <@&123456789012345679>'
    expect(discordToSlack(text)).toBe('hi @unknown-user in #unknown-channel with @unknown-role')
    expect(
      discordToSlack(text, {
        userName: () => 'jo',
        channelName: () => 'general',
        roleName: () => 'Moderators',
      }),
    ).toBe('hi @jo in #general with @Moderators')
    // Marked as the bridge's own, so the last pass before Slack keeps it.
    expect(discordToSlack('hi <@123456789012345678>', { linkedUser: () => 'U0SAM' })).toBe(
      `hi ${ownSlackMention('U0SAM')}`,
    )
    expect(guardSlackText(discordToSlack('hi <@123456789012345678>', { linkedUser: () => 'U0SAM' }))).toBe(
      'hi <@U0SAM>',
    )
  })

  it.each(['@everyone look', '@here look', '<!channel>', '<!here|here>', '<!everyone>', '@channel'])(
    'never lets %j become a Slack broadcast',
    (input) => {
      const out = discordToSlack(input)
      expect(out).not.toMatch(/<!(channel|here|everyone)/)
      expect(out).not.toMatch(/(^|\s)@(everyone|here|channel)\b/)
    },
  )
})

describe('slackToDiscord', () => {
  it.each([
    ['*bold* _italic_ ~gone~', '**bold** *italic* ~~gone~~'],
    ['`a*b` and ```x &lt; y```', '`a*b` and ```\nx < y\n```'],
    ['<https://example.com|the docs>', '[the docs](<https://example.com>)'],
    ['<https://example.com>', '<https://example.com>'],
    ['fish &amp; chips &lt;3', 'fish & chips \\<3'],
    ['nice :+1: :tada:', 'nice 👍 🎉'],
    ['2 * 3 = 6', '2 \\* 3 = 6'],
  ])('%j → %j', (input, expected) => {
    expect(slackToDiscord(input)).toBe(expected)
  })

  it('resolves user and channel ids, or shows readable text', () => {
    expect(slackToDiscord('ask <@U0SAM> in <#C0LIGHT|lightbulb-moment>')).toBe(
      'ask @unknown-user in #lightbulb-moment',
    )
    expect(slackToDiscord('ask <@U0SAM>', { userName: () => 'sam' })).toBe('ask @sam')
    expect(slackToDiscord('ask <@U0SAM>', { linkedUser: () => '100000000000000001' })).toBe(
      'ask <@100000000000000001>',
    )
  })

  it.each([
    '<!channel> hi',
    '<!here> hi',
    '<!everyone> hi',
    '@everyone hi',
    '@here',
    '&lt;@123456789012345678&gt;',
    '<!subteam^S1|@everyone>',
  ])('never lets %j ping anyone on Discord', (input) => {
    const out = slackToDiscord(input)
    expect(out).not.toMatch(/(^|[^\\])@(everyone|here)\b/)
    expect(out).not.toMatch(/(^|[^\\])<@!?&?\d+>/)
    expect(out.includes(`@${ZWJ}`) || out.includes('\\<@')).toBe(true)
  })
})

describe('convertText', () => {
  it('escapes plain text for the target and defuses mass mentions', () => {
    expect(convertText('a <b> @everyone', 'plain', 'slack')).toBe(`a &lt;b&gt; @${ZWJ}everyone`)
    expect(convertText('*not bold* @here', 'plain', 'discord')).toBe(`\\*not bold\\* @${ZWJ}here`)
    expect(convertText('same', 'slack', 'slack')).toBe('same')
  })
})
