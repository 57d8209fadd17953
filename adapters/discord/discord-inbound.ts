import {
  ChannelType,
  type Client,
  Events,
  type Message,
  type MessageReaction,
  type PartialMessageReaction,
  type PartialUser,
  RESTJSONErrorCodes,
  type ThreadChannel,
  type User,
} from 'discord.js'
import { ZodError } from 'zod'
import { asThreadbridgeError, ValidationError } from '../../src/errors.ts'
import { canonicalEmoji } from '../../src/format/emoji.ts'
import type { InboundDecisions } from '../../src/inbound/inbound-decisions.ts'
import type { InboundRunner } from '../../src/inbound/inbound-runner.ts'
import type { InboundEvent } from '../../src/inbound/inbound-spool.ts'
import type { PlatformEvent } from '../../src/inbound/platform-event.ts'
import type { Logger } from '../../src/logger.ts'
import { messageUpdateEventId } from './discord-edit-ids.ts'
import { isDiscordError } from './discord-errors.ts'
import {
  type DiscordReaction,
  discordDeletedChannel,
  discordDeletedThread,
  discordMessageIds,
  discordReaction,
  discordThreadIds,
  discordThreadLock,
  isFromPerson,
  postedInThread,
  starterOfThread,
  viewOfMessage,
} from './discord-events.ts'
import { lockedNow } from './discord-thread-lock.ts'

export interface DiscordInboundDeps {
  decisions: InboundDecisions
  logger: Logger
  runner: InboundRunner
}

/**
 * Takes Discord's events in: each is parsed into the core's terms and decided on by
 * InboundDecisions. discord.js hands us live objects, which cannot be kept on disk: the spool
 * keeps ids, and a replay after a restart fetches the message again (its latest state, which is
 * what counts); deletions, reactions and thread deletions need nothing but their ids.
 */
export function listenToDiscord(client: Client, { decisions, logger, runner }: DiscordInboundDeps): void {
  const decide = async (read: () => Promise<PlatformEvent | undefined>, kind: string, eventId: string) => {
    let event: PlatformEvent | undefined
    try {
      event = await read()
    } catch (error) {
      if (!(error instanceof ZodError)) throw error
      // Never a crash, never the message's words in the log: where it was malformed, and how.
      logger.warn(
        {
          platform: 'discord',
          kind,
          event: eventId,
          issues: error.issues.map((i) => `${i.path.join('.')}: ${i.code}`),
        },
        'refused a Discord event that does not have the shape Threadbridge reads',
      )
      return
    }
    if (event !== undefined) await decisions.apply(event)
  }
  const me = () => client.user?.id
  const created = (message: Message) => async () => {
    const view = viewOfMessage(message)
    const thread = message.channel
    if (!isFromPerson(view, me()) || !thread.isThread()) return undefined
    const origin = { platform: 'discord' as const, eventId: `message_create:${view.id}` }
    return postedInThread(thread, view, origin, async () => (await starterOf(thread)) === null)
  }
  /** An edit, under the id it was taken in by (live or replayed from the spool, the same one). */
  const updated = (message: Message, eventId: string) => async () => {
    const view = viewOfMessage(message)
    if (view.author.bot || view.webhookId !== null || view.editedTimestamp === null) return undefined
    return {
      kind: 'message_edited' as const,
      origin: { platform: 'discord' as const, eventId },
      ref: { platform: 'discord' as const, channelId: view.channelId, messageId: view.id },
      author: {
        platformUserId: view.author.id,
        displayName: view.author.displayName,
        avatarUrl: view.author.avatarUrl,
      },
      text: view.content,
      // The title is the thread's name, edited on its own.
      asOpeningPost: { body: view.content },
      // discord.js keeps edited_timestamp to the millisecond.
      editedAtUs: view.editedTimestamp * 1000,
    }
  }
  /**
   * A thread started from a message in a bridged text channel: the message (which stays in the
   * channel, beside the thread) is the opening post. Threads of their own start with their first
   * message instead; forum posts with their starter.
   */
  const threadStarted = (thread: ThreadChannel) => async (): Promise<PlatformEvent | undefined> => {
    if (thread.parentId === null || thread.parent?.type !== ChannelType.GuildText) return undefined
    const origin = { platform: 'discord' as const, eventId: `thread_create:${thread.id}` }
    return {
      kind: 'thread_started',
      origin,
      channelId: thread.parentId,
      readStarter: async () => {
        const starter = await starterOf(thread)
        // No starter: a thread of its own. A bot's or a webhook's: ours, the thread of a mirror.
        if (starter === null) return undefined
        const view = viewOfMessage(starter)
        return view.author.bot || view.webhookId !== null ? undefined : starterOfThread(thread, view, origin)
      },
    }
  }

  const apply = (event: InboundEvent): Promise<void> => {
    const read = async (): Promise<PlatformEvent | undefined> => {
      const origin = { platform: 'discord' as const, eventId: event.eventId }
      switch (event.kind) {
        case 'message_create': {
          const { channelId, messageId } = discordMessageIds.parse(event.data)
          return created(await fetchMessage(client, channelId, messageId))()
        }
        case 'message_update': {
          const { channelId, messageId } = discordMessageIds.parse(event.data)
          return updated(await fetchMessage(client, channelId, messageId), event.eventId)()
        }
        case 'thread_create': {
          const thread = await client.channels.fetch(discordThreadIds.parse(event.data).threadId)
          return thread === null || !thread.isThread() ? undefined : threadStarted(thread)()
        }
        case 'channel_delete': {
          const channel = discordDeletedChannel.parse(event.data)
          return { kind: 'channel_deleted', origin, channelId: channel.channelId, name: channel.name }
        }
        case 'message_delete': {
          const { channelId, messageId } = discordMessageIds.parse(event.data)
          const ref = { platform: 'discord' as const, channelId, messageId }
          return { kind: 'message_deleted', origin, ref, wasThreadRoot: false }
        }
        case 'reaction':
          return reactionChanged(discordReaction.parse(event.data), origin, me())
        case 'thread_delete': {
          const thread = discordDeletedThread.parse(event.data)
          if (thread.parentId === null) return undefined
          return {
            kind: 'thread_deleted',
            origin,
            channelId: thread.parentId,
            threadId: thread.threadId,
            name: thread.name,
            // A forum post's starter has the thread's id, and lives in the thread.
            openingPostInThread: {
              platform: 'discord',
              channelId: thread.threadId,
              messageId: thread.threadId,
            },
          }
        }
        case 'thread_lock': {
          const { threadId, locked } = discordThreadLock.parse(event.data)
          const readLocked = () => lockedNow(client, threadId)
          return { kind: 'thread_lock_changed', origin, threadId, locked, readLocked }
        }
        default:
          throw new ValidationError(`${event.kind} is not a Discord event Threadbridge knows`)
      }
    }
    return decide(read, event.kind, event.eventId)
  }
  const submit = (
    kind: string,
    key: string,
    eventId: string,
    data: unknown,
    live?: () => Promise<PlatformEvent | undefined>,
  ) => {
    const event: InboundEvent = { platform: 'discord', key, kind, eventId, data }
    const handle = live ? () => decide(live, kind, eventId) : () => apply(event)
    runner.submit(event, handle).catch((error: unknown) => {
      const failure = asThreadbridgeError(error)
      logger.error(
        { code: failure.code, event: kind, eventId, reason: failure.message },
        'a Discord event could not be applied',
      )
    })
  }
  runner.resume('discord', apply)

  client.on(Events.MessageCreate, (message) =>
    submit(
      'message_create',
      message.channelId,
      `message_create:${message.id}`,
      { channelId: message.channelId, messageId: message.id },
      created(message),
    ),
  )
  client.on(Events.MessageUpdate, (_old, message) => {
    const eventId = messageUpdateEventId(message)
    submit(
      'message_update',
      message.channelId,
      eventId,
      { channelId: message.channelId, messageId: message.id },
      async () => updated(message.partial ? await message.fetch() : message, eventId)(),
    )
  })
  const reacted =
    (added: boolean) => (reaction: MessageReaction | PartialMessageReaction, user: User | PartialUser) => {
      const data: DiscordReaction = {
        channelId: reaction.message.channelId,
        messageId: reaction.message.id,
        userId: user.id,
        bot: user.bot ?? false,
        emoji: { name: reaction.emoji.name, id: reaction.emoji.id },
        added,
      }
      submit('reaction', data.channelId, `reaction:${data.messageId}:${data.userId}:${added}`, data)
    }
  client.on(Events.MessageReactionAdd, reacted(true))
  client.on(Events.MessageReactionRemove, reacted(false))
  client.on(Events.ChannelDelete, (channel) => {
    if (channel.isDMBased()) return
    submit('channel_delete', channel.id, `channel_delete:${channel.id}`, {
      channelId: channel.id,
      name: channel.name,
    })
  })
  client.on(Events.ThreadCreate, (thread, newlyCreated) => {
    if (!newlyCreated || thread.parent?.type !== ChannelType.GuildText) return
    submit(
      'thread_create',
      thread.id,
      `thread_create:${thread.id}`,
      { threadId: thread.id },
      threadStarted(thread),
    )
  })
  client.on(Events.ThreadDelete, (thread) => {
    const data = { threadId: thread.id, parentId: thread.parentId, name: thread.name }
    submit('thread_delete', thread.id, `thread_delete:${thread.id}`, data)
  })
  // Locked or unlocked by Discord's moderators, or our own lock echoed back (THREAD_UPDATE names no
  // one, and may arrive after we changed the thread again): the core tells them apart by what it
  // wants and what the thread is now (readLocked). It carries no id of its own; the state it
  // leaves is what matters, so applying one twice changes nothing.
  client.on(Events.ThreadUpdate, (before, thread) => {
    if (before.locked === thread.locked || thread.locked === null) return
    const data = { threadId: thread.id, locked: thread.locked }
    submit('thread_lock', thread.id, `thread_lock:${thread.id}:${thread.locked}:${Date.now()}`, data)
  })
  client.on(Events.MessageDelete, (message) =>
    submit('message_delete', message.channelId, `message_delete:${message.id}`, {
      channelId: message.channelId,
      messageId: message.id,
    }),
  )
}

function reactionChanged(
  reaction: DiscordReaction,
  origin: { platform: 'discord'; eventId: string },
  botUserId: string | undefined,
): PlatformEvent | undefined {
  if (reaction.bot || reaction.userId === botUserId || reaction.emoji.name === null) return undefined
  return {
    kind: 'reaction_changed',
    origin,
    ref: { platform: 'discord', channelId: reaction.channelId, messageId: reaction.messageId },
    platformUserId: reaction.userId,
    emoji: canonicalEmoji('discord', { name: reaction.emoji.name, customId: reaction.emoji.id }),
    added: reaction.added,
  }
}

async function fetchMessage(client: Client, channelId: string, messageId: string): Promise<Message> {
  const channel = await client.channels.fetch(channelId)
  if (channel === null || !channel.isTextBased())
    throw new ValidationError(`Discord channel ${channelId} holds no messages`)
  return channel.messages.fetch(messageId)
}

/** The message a thread was started from, or null for a thread of its own. Other failures are thrown (and retried). */
async function starterOf(thread: ThreadChannel): Promise<Message | null> {
  try {
    return await thread.fetchStarterMessage()
  } catch (error) {
    if (isDiscordError(error, RESTJSONErrorCodes.UnknownMessage)) return null
    throw error
  }
}
