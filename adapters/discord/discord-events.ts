import { ChannelType, type Message, SnowflakeUtil, type ThreadChannel } from 'discord.js'
import { z } from 'zod'
import { escapeDiscord } from '../../src/format/slack-to-discord.ts'
import type { MessagePosted } from '../../src/inbound/platform-event.ts'
import type { InboundOrigin } from '../../src/platform/platform.ts'
import { discordShownName } from './discord-shown-name.ts'

/**
 * What we read of discord.js's objects and what the spool keeps of Discord's gateway events
 * (discord.com/developers/docs/events/gateway-events: MESSAGE_CREATE, MESSAGE_UPDATE,
 * MESSAGE_DELETE, MESSAGE_REACTION_ADD/REMOVE, THREAD_CREATE, THREAD_DELETE, CHANNEL_DELETE),
 * checked once at the edge so nothing further in has to trust a cast.
 */
export const discordMessageIds = z.object({ channelId: z.string(), messageId: z.string() })

export const discordReaction = discordMessageIds.extend({
  userId: z.string(),
  bot: z.boolean(),
  emoji: z.object({ name: z.string().nullable(), id: z.string().nullable() }),
  added: z.boolean(),
})
export type DiscordReaction = z.infer<typeof discordReaction>

export const discordDeletedThread = z.object({
  threadId: z.string(),
  parentId: z.string().nullable(),
  name: z.string(),
})

/** A thread's lock as a THREAD_UPDATE left it (thread_metadata.locked). */
export const discordThreadLock = z.object({ threadId: z.string(), locked: z.boolean() })

export const discordDeletedChannel = z.object({ channelId: z.string(), name: z.string() })

export const discordThreadIds = z.object({ threadId: z.string() })

const discordMessageView = z.object({
  id: z.string(),
  channelId: z.string(),
  content: z.string(),
  author: z.object({
    id: z.string(),
    bot: z.boolean(),
    displayName: z.string(),
    avatarUrl: z.string().nullable(),
  }),
  webhookId: z.string().nullable(),
  editedTimestamp: z.number().nullable(),
  answers: z.string().optional(),
  attachments: z.array(
    z.object({ name: z.string(), url: z.string(), size: z.number(), contentType: z.string().nullable() }),
  ),
})
/** A Discord message as the bridge reads it. */
export type DiscordMessageView = z.infer<typeof discordMessageView>

/** The fields we read of a discord.js Message, checked (throws ZodError). */
export function viewOfMessage(message: Message): DiscordMessageView {
  return discordMessageView.parse({
    id: message.id,
    channelId: message.channelId,
    content: message.content,
    author: {
      id: message.author.id,
      bot: message.author.bot,
      displayName: discordShownName(message.author, message.member),
      avatarUrl: message.author.displayAvatarURL(),
    },
    webhookId: message.webhookId,
    editedTimestamp: message.editedTimestamp,
    ...(message.reference?.messageId ? { answers: message.reference.messageId } : {}),
    attachments: [...message.attachments.values()].map((a) => ({
      name: a.name,
      url: a.url,
      size: a.size,
      contentType: a.contentType,
    })),
  })
}

/** Bots and webhooks (ours above all) are never taken back in: no echo, no loop. */
export function isFromPerson(message: DiscordMessageView, botUserId: string | undefined): boolean {
  return !message.author.bot && message.webhookId === null && message.author.id !== botUserId
}

/**
 * A message written in a thread of a bridged channel, in the core's terms. A forum post's
 * starter message has the thread's id and opens the discussion; any other message replies to
 * the thread's, and in a text channel's thread of its own the creator's first message may open it.
 */
export function postedInThread(
  thread: ThreadChannel,
  message: DiscordMessageView,
  origin: InboundOrigin,
  isThreadOfItsOwn: () => Promise<boolean>,
): MessagePosted | undefined {
  if (thread.parentId === null) return undefined
  const posted = postedMessage(message, origin, thread.parentId, {
    platform: 'discord',
    channelId: thread.id,
    messageId: message.id,
    threadId: thread.id,
  })
  if (message.id === thread.id) return { ...posted, opens: { title: thread.name, body: message.content } }
  const ownThread = thread.parent?.type === ChannelType.GuildText && thread.ownerId === message.author.id
  return {
    ...posted,
    thread: {
      threadId: thread.id,
      startedAt: new Date(SnowflakeUtil.timestampFrom(thread.id)),
      ...(message.answers
        ? {
            answersMessageId: message.answers,
            answersPostedAt: new Date(SnowflakeUtil.timestampFrom(message.answers)),
          }
        : {}),
      ...(ownThread ? { mayOpen: { title: thread.name, isThreadOfItsOwn } } : {}),
    },
  }
}

/**
 * The message a text channel's thread was started from: it opens the discussion, titled by the
 * thread's name. Anyone may start a thread on anyone's message, and the title is theirs: the
 * discussion is the thread creator's (`ownerId`, named by a look-up), and the message is quoted
 * under its author's name, so no one is shown saying what someone else chose to headline.
 */
export function starterOfThread(
  thread: ThreadChannel,
  starter: DiscordMessageView,
  origin: InboundOrigin,
): MessagePosted | undefined {
  if (thread.parentId === null) return undefined
  const source = {
    platform: 'discord' as const,
    channelId: thread.parentId,
    messageId: starter.id,
    threadId: thread.id,
  }
  const posted = postedMessage(starter, origin, thread.parentId, source)
  const creator = thread.ownerId
  if (creator === null || creator === starter.author.id)
    return { ...posted, opens: { title: thread.name, body: starter.content } }
  const body = quotedBy(starter.author.displayName, starter.content)
  return { ...posted, author: { platformUserId: creator }, text: body, opens: { title: thread.name, body } }
}

/** Someone's message as another's post quotes it: "Started from a message by mark:", then "> " lines. */
function quotedBy(authorName: string, content: string): string {
  const quoted = content.split('\n').map((line) => `> ${line}`)
  return [`Started from a message by ${escapeDiscord(authorName)}:`, ...quoted].join('\n')
}

function postedMessage(
  message: DiscordMessageView,
  origin: InboundOrigin,
  channelId: string,
  source: MessagePosted['source'],
): MessagePosted {
  return {
    kind: 'message_posted',
    origin,
    channelId,
    author: {
      platformUserId: message.author.id,
      displayName: message.author.displayName,
      avatarUrl: message.author.avatarUrl,
    },
    text: message.content,
    format: 'discord',
    attachments: message.attachments.map((a) => ({
      fileName: a.name,
      url: a.url,
      sizeBytes: a.size,
      contentType: a.contentType,
    })),
    source,
  }
}
