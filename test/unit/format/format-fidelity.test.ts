import { rulesExtended } from 'discord-markdown-parser'
import { describe, expect, it } from 'vitest'
import { DISCORD_NODE_TYPES } from '../../../src/format/discord-nodes.ts'
import { discordToSlack, slackToDiscord } from '../../../src/format/index.ts'

const DISCORD_URL = 'https://discord.com/channels/1100000000000000000/1100000000000000011/1100000000000000012'

describe('what a person writes on Discord, as Slack shows it', () => {
  it.each([
    ['café 👋 数据', 'café :wave: 数据'],
    ['👍', ':+1:'],
    [
      '👌🏾 🇯🇵 1️⃣ #️⃣ ❤️ 🫠 🥲',
      ':ok_hand::skin-tone-5: :flag-jp: :one: :hash: :heart: :melting_face: :smiling_face_with_tear:',
    ],
    ['👨‍👩‍👧‍👦 🏳️‍🌈 🫱🏻‍🫲🏿', ':man-woman-girl-boy: :rainbow-flag: :handshake::skin-tone-2-6:'],
    // Not fully qualified, or not in Slack's list: Slack shows Unicode as it is.
    ['❤ ©', '❤ ©'],
    ['<:blob:123456789012345671> and <a:dance:123456789012345672>', ':blob: and :dance:'],
    ['```ansi\n\u001b[1;31mred\u001b[0m and plain\n```', '```\nred and plain\n```'],
    ['<t:1700000000:R>', '<!date^1700000000^{ago}|2023-11-14 22:13 UTC>'],
    ['</join:123456789012345678>', '/join'],
    ['> one\n> two\nafter', '> one\n> two\nafter'],
    ['line A\n-# small print\nline B', 'line A\nsmall print\nline B'],
  ])('%j → %j', (input, expected) => {
    expect(discordToSlack(input)).toBe(expected)
  })

  it('keeps a spoiler hidden and says where to read it', () => {
    const out = discordToSlack('the answer is ||forty-two||', { sourceUrl: DISCORD_URL })
    expect(out).toBe(`the answer is _(spoiler hidden: <${DISCORD_URL}|read it on Discord>)_`)
    expect(out).not.toContain('forty-two')
    expect(discordToSlack('||x||')).toBe('_(spoiler hidden: read it on Discord)_')
  })

  it('has a rendering for every node type the parser can produce', () => {
    for (const rule of Object.keys(rulesExtended)) expect(DISCORD_NODE_TYPES).toContain(rule)
  })
})

describe('what a person writes on Slack, as Discord shows it', () => {
  it.each([
    ['&gt; quoted\nafter', '> quoted\nafter'],
    ['&gt; one\n&gt; two\nafter', '> one\n> two\nafter'],
    ['&gt;&gt;&gt; all\nof this', '> all\n> of this'],
    [':thinking_face: :face_with_monocle:', '🤔 🧐'],
    [':ok_hand::skin-tone-5: :+1::skin-tone-2: :flag-jp:', '👌🏾 👍🏻 🇯🇵'],
    [':partyparrot:', ':partyparrot:'],
    ['<!date^1700000000^{date_short} at {time}|Nov 14>', '<t:1700000000:f>'],
    ['<!date^1700000000^{ago}|a while ago>', '<t:1700000000:R>'],
    ['```\nplain code\n```', '```\nplain code\n```'],
    ['~~double~~', '~~double~~'],
    ['<mailto:a@b.c|write to us>', 'write to us (mailto:a@b.c)'],
    // Typed as text on Slack: stays text on Discord, never a masked link hiding its address.
    ['[text](http://evil.example)', '\\[text\\](http://evil.example)'],
  ])('%j → %j', (input, expected) => {
    expect(slackToDiscord(input)).toBe(expected)
  })
})

describe('mentions as the names people know', () => {
  it('never makes a broadcast or a double sigil of a name', () => {
    const ctx = { roleName: () => '@everyone', userName: () => 'here', channelName: () => 'general' }
    expect(discordToSlack('<@&123456789012345679> <@123456789012345678> <#123456789012345670>', ctx)).toBe(
      '@\u2060everyone @\u2060here #general',
    )
    expect(
      slackToDiscord('<@U0SAM> in <#C0LIGHT>', { userName: () => 'mark_r', channelName: () => 'dev_ops' }),
    ).toBe('@mark\\_r in #dev\\_ops')
  })

  it('names a mention nobody could name as Discord’s client does, never “someone”', () => {
    expect(discordToSlack('<@123456789012345678>')).toBe('@unknown-user')
    expect(slackToDiscord('<@U0GONE>')).toBe('@unknown-user')
    expect(slackToDiscord('<@U0GONE|gone.person>')).toBe('@gone.person')
  })
})
