import type { WebClient } from '@slack/web-api'
import { ZodError } from 'zod'
import type { HistoryReader, HistoryThread } from '../../src/backfill/history-reader.ts'
import type { MessagePosted } from '../../src/inbound/platform-event.ts'
import { fromSlackEvent } from './slack-events.ts'

/** Slack's recommended page size for conversations.history and conversations.replies. */
const PAGE = 200

interface HistoryPage {
  messages?: { ts?: string; thread_ts?: string; reply_count?: number }[]
  response_metadata?: { next_cursor?: string }
}

/**
 * A bridged Slack channel's past, read through the Web API: its top-level messages since then
 * (conversations.history with `oldest`, cursor by cursor) and each one's thread
 * (conversations.replies). Each message is parsed as its live `message` event would be
 * (slack-events.ts), under a placeholder origin the backfill replaces.
 */
export class SlackHistory implements HistoryReader {
  readonly platform = 'slack' as const

  constructor(private readonly client: WebClient) {}

  async threads(channelId: string, since: Date): Promise<HistoryThread[]> {
    const oldest = (since.getTime() / 1000).toFixed(6)
    const roots = await this.pages((cursor) =>
      this.client.conversations.history({
        channel: channelId,
        oldest,
        limit: PAGE,
        ...(cursor ? { cursor } : {}),
      }),
    )
    const threads: HistoryThread[] = []
    // History is newest first: the oldest thread first.
    for (const root of roots.reverse()) {
      if (root.ts === undefined) continue
      const rootTs = root.ts
      const replies =
        (root.reply_count ?? 0) > 0
          ? await this.pages((cursor) =>
              this.client.conversations.replies({
                channel: channelId,
                ts: rootTs,
                oldest,
                limit: PAGE,
                ...(cursor ? { cursor } : {}),
              }),
            )
          : []
      // Whether a page of replies repeats the parent is Slack's to decide: each ts is taken once.
      const seen = new Set<string>([rootTs])
      const messages = [
        root,
        ...replies.filter((m) => m.ts !== undefined && !seen.has(m.ts) && seen.add(m.ts)),
      ]
      threads.push({
        openedAt: new Date(Number(rootTs) * 1000),
        messages: messages.flatMap((m) => posted(channelId, m) ?? []),
      })
    }
    return threads
  }

  private async pages(read: (cursor: string | undefined) => Promise<HistoryPage>) {
    const messages: NonNullable<HistoryPage['messages']> = []
    let cursor: string | undefined
    do {
      const page = await read(cursor)
      messages.push(...(page.messages ?? []))
      cursor = page.response_metadata?.next_cursor || undefined
    } while (cursor !== undefined)
    return messages
  }
}

/** A person's message as its live event reads, or nothing (a bot's, ours, a subtype we do not mirror, malformed). */
function posted(channel: string, message: object): MessagePosted | undefined {
  try {
    const event = fromSlackEvent('message', { ...message, channel }, 'history')
    return event?.kind === 'message_posted' ? event : undefined
  } catch (error) {
    if (error instanceof ZodError) return undefined
    throw error
  }
}
