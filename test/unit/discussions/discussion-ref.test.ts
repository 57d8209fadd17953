import { describe, expect, it } from 'vitest'
import { parseDiscussionRef } from '../../../src/discussions/discussion-ref.ts'

describe('naming a discussion', () => {
  it('reads a number, with or without #', () => {
    expect(parseDiscussionRef('12')).toEqual({ kind: 'number', number: 12 })
    expect(parseDiscussionRef(' #7 ')).toEqual({ kind: 'number', number: 7 })
  })

  it('reads Discord message and thread links from every Discord host', () => {
    const message = {
      kind: 'message',
      platform: 'discord',
      channelId: '222222222222222222',
      messageId: '333333333333333333',
      threadId: '222222222222222222',
    }
    for (const host of ['discord.com', 'ptb.discord.com', 'canary.discord.com', 'discordapp.com'])
      expect(
        parseDiscussionRef(
          `https://${host}/channels/111111111111111111/222222222222222222/333333333333333333`,
        ),
      ).toEqual(message)
    expect(parseDiscussionRef('https://discord.com/channels/111111111111111111/222222222222222222')).toEqual({
      kind: 'message',
      platform: 'discord',
      channelId: '222222222222222222',
      threadId: '222222222222222222',
    })
  })

  it('reads Slack permalinks, bare or as Slack wraps them, with the thread of a reply', () => {
    expect(parseDiscussionRef('<https://acme.slack.com/archives/C0LIGHT/p1700000000000100>')).toEqual({
      kind: 'message',
      platform: 'slack',
      channelId: 'C0LIGHT',
      messageId: '1700000000.000100',
    })
    expect(
      parseDiscussionRef(
        'https://acme.slack.com/archives/C0LIGHT/p1700000005000200?thread_ts=1700000000.000100&cid=C0LIGHT',
      ),
    ).toEqual({
      kind: 'message',
      platform: 'slack',
      channelId: 'C0LIGHT',
      messageId: '1700000005.000200',
      threadId: '1700000000.000100',
    })
  })

  it('refuses anything else, lookalike hosts included', () => {
    for (const text of [
      '',
      'twelve',
      '-1',
      '1.5',
      '12 13',
      'https://discord.com.evil.example/channels/1/2/3',
      'https://evil.example/?https://discord.com/channels/111111111111111111/222222222222222222',
      'https://acme.slack.com/archives/C0LIGHT/p17000',
      'javascript:alert(1)',
    ])
      expect(parseDiscussionRef(text), text).toBeUndefined()
  })
})
