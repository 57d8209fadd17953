import {
  type AnyThreadChannel,
  ChannelType,
  type Client,
  type Message,
  SnowflakeUtil,
  type ThreadChannel,
} from 'discord.js'
import { ZodError } from 'zod'
import type { HistoryReader, HistoryThread } from '../../src/backfill/history-reader.ts'
import type { MessagePosted } from '../../src/inbound/platform-event.ts'
import {
  type DiscordMessageView,
  isFromPerson,
  postedInThread,
  starterOfThread,
  viewOfMessage,
} from './discord-events.ts'

/** Discord's largest page of messages and of archived threads. */
const PAGE = 100

/**
 * A bridged forum's (or text channel's) past, read through Discord's REST API with discord.js:
 * its open threads (GET /guilds/{id}/threads/active), its archived public ones
 * (GET /channels/{id}/threads/archived/public, most recently archived first), and each thread's
 * messages oldest first (GET /channels/{thread}/messages?after=…). Each message is parsed as the
 * gateway's would be (discord-events.ts), under a placeholder origin the backfill replaces.
 */
export class DiscordHistory implements HistoryReader {
  readonly platform = 'discord' as const

  constructor(private readonly client: Client) {}

  async threads(channelId: string, since: Date): Promise<HistoryThread[]> {
    const channel = await this.client.channels.fetch(channelId)
    if (
      channel === null ||
      (channel.type !== ChannelType.GuildForum && channel.type !== ChannelType.GuildText)
    )
      return []
    const threads = new Map<string, AnyThreadChannel>()
    const active = await channel.threads.fetchActive(false)
    for (const thread of active.threads.values())
      if (thread.parentId === channel.id) threads.set(thread.id, thread)
    let before: Date | undefined
    for (;;) {
      const page = await channel.threads.fetchArchived(
        { type: 'public', limit: PAGE, ...(before ? { before } : {}) },
        false,
      )
      for (const thread of page.threads.values()) threads.set(thread.id, thread)
      const archivedAt = Math.min(...page.threads.map((t) => t.archiveTimestamp ?? Number.POSITIVE_INFINITY))
      // A thread archived before `since` has had no message since: older pages hold nothing to read.
      if (!page.hasMore || !Number.isFinite(archivedAt) || archivedAt < since.getTime()) break
      before = new Date(archivedAt)
    }
    const opened = [...threads.values()].filter((t) => openedAt(t).getTime() >= since.getTime())
    const read: HistoryThread[] = []
    for (const thread of opened)
      read.push({ openedAt: openedAt(thread), messages: await this.messagesOf(thread, since) })
    return read
  }

  private async messagesOf(thread: ThreadChannel, since: Date): Promise<MessagePosted[]> {
    const me = this.client.user?.id
    const origin = { platform: 'discord' as const, eventId: `history:${thread.id}` }
    const posted: MessagePosted[] = []
    // A text channel's thread started from a message: that message, in the channel, opens it.
    const starter =
      thread.parent?.type === ChannelType.GuildText
        ? await thread.fetchStarterMessage().catch(() => null)
        : null
    if (starter !== null) {
      const view = viewOfMessage(starter)
      const opening = isFromPerson(view, me) ? starterOfThread(thread, view, origin) : undefined
      if (opening !== undefined) posted.push(opening)
    }
    let after = SnowflakeUtil.generate({ timestamp: since.getTime() - 1 }).toString()
    for (;;) {
      const page = await thread.messages.fetch({ after, limit: PAGE, cache: false })
      const oldestFirst = [...page.values()].sort(byId)
      for (const message of oldestFirst) {
        const view = readable(message)
        if (view === undefined || !isFromPerson(view, me)) continue
        const event = postedInThread(thread, view, origin, async () => starter === null)
        if (event !== undefined) posted.push(event)
      }
      const last = oldestFirst.at(-1)
      if (page.size < PAGE || last === undefined) return posted
      after = last.id
    }
  }
}

/** A message without the fields we read is left out, as it would be live (never its words in a log). */
function readable(message: Message): DiscordMessageView | undefined {
  try {
    return viewOfMessage(message)
  } catch (error) {
    if (error instanceof ZodError) return undefined
    throw error
  }
}

function openedAt(thread: ThreadChannel): Date {
  return new Date(SnowflakeUtil.timestampFrom(thread.id))
}

function byId(a: Message, b: Message): number {
  const x = BigInt(a.id)
  const y = BigInt(b.id)
  return x < y ? -1 : x > y ? 1 : 0
}
