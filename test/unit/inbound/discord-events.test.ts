import { ChannelType, type Message, type ThreadChannel } from 'discord.js'
import { describe, expect, it } from 'vitest'
import { ZodError } from 'zod'
import { isFromPerson, postedInThread, viewOfMessage } from '../../../adapters/discord/discord-events.ts'

/** The fields of a discord.js Message the adapter reads: a hand-built stand-in, not the SDK mocked. */
function message(fields: Partial<Record<string, unknown>> = {}): Message {
  return {
    id: '1100000000000000100',
    channelId: '1100000000000000050',
    content: 'Hello 👋',
    author: {
      id: '1100000000000000002',
      bot: false,
      globalName: 'Mark',
      username: 'mark',
      displayAvatarURL: () => 'https://cdn.example/mark.png',
    },
    member: null,
    webhookId: null,
    editedTimestamp: null,
    reference: null,
    attachments: new Map(),
    ...fields,
  } as unknown as Message
}

const thread = {
  id: '1100000000000000050',
  parentId: '1100000000000000001',
  name: 'Who are we, really?',
  ownerId: '1100000000000000003',
  parent: { type: ChannelType.GuildForum },
} as unknown as ThreadChannel
const origin = { platform: 'discord' as const, eventId: 'MESSAGE_CREATE:1' }

describe('Discord messages, read at the edge', () => {
  it('opens a discussion from a forum post’s starter message, titled by the thread', () => {
    const starter = viewOfMessage(message({ id: thread.id }))
    expect(postedInThread(thread, starter, origin, async () => false)).toMatchObject({
      kind: 'message_posted',
      channelId: thread.parentId,
      opens: { title: 'Who are we, really?', body: 'Hello 👋' },
      author: { platformUserId: '1100000000000000002', displayName: 'Mark' },
    })
  })

  it('reads any other message in the thread as a reply, nested when it answers one', () => {
    const reply = viewOfMessage(message({ reference: { messageId: '1100000000000000099' } }))
    const posted = postedInThread(thread, reply, origin, async () => false)
    expect(posted).toMatchObject({ thread: { threadId: thread.id, answersMessageId: '1100000000000000099' } })
    expect(posted).not.toHaveProperty('opens')
  })

  it('never takes back in what a bot or a webhook (ours above all) wrote', () => {
    expect(isFromPerson(viewOfMessage(message({ webhookId: '1100000000000000077' })), 'bot')).toBe(false)
    const bot = message({ author: { ...message().author, bot: true } })
    expect(isFromPerson(viewOfMessage(bot), 'bot')).toBe(false)
    expect(isFromPerson(viewOfMessage(message()), 'bot')).toBe(true)
  })

  it('refuses a message without the fields it reads, instead of failing deep inside', () => {
    expect(() => viewOfMessage(message({ content: undefined }))).toThrow(ZodError)
    expect(() => viewOfMessage(message({ id: 42 }))).toThrow(ZodError)
  })
})
