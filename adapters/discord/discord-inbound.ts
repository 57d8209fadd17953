import {
  ChannelType,
  type Client,
  Events,
  type Message,
  type MessageReaction,
  type PartialMessageReaction,
  type PartialUser,
  RESTJSONErrorCodes,
  SnowflakeUtil,
  type ThreadChannel,
  type User,
} from 'discord.js'
import type { Core } from '../../src/core.ts'
import { asThreadbridgeError, isRefusalToTell, ValidationError } from '../../src/errors.ts'
import { canonicalEmoji } from '../../src/format/emoji.ts'
import type { InboundRunner } from '../../src/inbound/inbound-runner.ts'
import type { InboundEvent } from '../../src/inbound/inbound-spool.ts'
import type { Logger } from '../../src/logger.ts'
import type { ModeratorAlerts } from '../../src/mirror/mirror-gone.ts'
import type { InboundOrigin, PlatformActor, PlatformMessageRef } from '../../src/platform/platform.ts'
import { isDiscordError } from './discord-errors.ts'

/**
 * Takes Discord's events into the core: a post in a bridged forum starts a discussion, messages
 * in its thread are replies (a Discord reply to a reply is a nested reply), and edits and
 * deletions follow. Bots and webhooks (ours above all) are never taken back in: no echo, no loop.
 */
export interface DiscordInboundDeps {
  core: Core
  logger: Logger
  alerts: ModeratorAlerts
  runner: InboundRunner
}

export function listenToDiscord(client: Client, { core, logger, alerts, runner }: DiscordInboundDeps): void {
  // discord.js hands us live objects, which cannot be kept on disk. The spool keeps ids, and a
  // replay after a restart fetches the message again (its latest state, which is what counts);
  // deletions, reactions and thread deletions need nothing but their ids.
  const apply = async (event: InboundEvent): Promise<void> => {
    switch (event.kind) {
      case 'message_create': {
        const { channelId, messageId } = event.data as MessageIds
        return onCreate(client, core, await fetchMessage(client, channelId, messageId))
      }
      case 'message_update': {
        const { channelId, messageId } = event.data as MessageIds
        return onUpdate(core, await fetchMessage(client, channelId, messageId))
      }
      case 'thread_create': {
        const thread = await client.channels.fetch((event.data as { threadId: string }).threadId)
        if (thread === null || !thread.isThread()) return
        return onThreadCreate(core, thread)
      }
      case 'channel_delete':
        return onChannelDelete(core, alerts, event.data as { channelId: string; name: string })
      case 'message_delete':
        return onDelete(core, event.data as MessageIds)
      case 'reaction':
        return onReaction(client, core, event.data as DiscordReaction)
      case 'thread_delete':
        return onThreadDelete(core, alerts, event.data as DeletedThread)
      default:
        throw new ValidationError(`${event.kind} is not a Discord event Threadbridge knows`)
    }
  }
  const submit = (kind: string, key: string, eventId: string, data: unknown, live?: () => Promise<void>) => {
    const event: InboundEvent = { platform: 'discord', key, kind, eventId, data }
    runner.submit(event, live ?? (() => apply(event))).catch((error: unknown) => {
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
      () => onCreate(client, core, message),
    ),
  )
  client.on(Events.MessageUpdate, (_old, message) =>
    submit(
      'message_update',
      message.channelId,
      `message_update:${message.id}:${message.editedTimestamp ?? ''}`,
      { channelId: message.channelId, messageId: message.id },
      async () => onUpdate(core, message.partial ? await message.fetch() : message),
    ),
  )
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
    submit('thread_create', thread.id, `thread_create:${thread.id}`, { threadId: thread.id }, () =>
      onThreadCreate(core, thread),
    )
  })
  client.on(Events.ThreadDelete, (thread) => {
    const data: DeletedThread = { threadId: thread.id, parentId: thread.parentId, name: thread.name }
    submit('thread_delete', thread.id, `thread_delete:${thread.id}`, data)
  })
  client.on(Events.MessageDelete, (message) =>
    submit('message_delete', message.channelId, `message_delete:${message.id}`, {
      channelId: message.channelId,
      messageId: message.id,
    }),
  )
}

interface MessageIds {
  channelId: string
  messageId: string
}

interface DiscordReaction extends MessageIds {
  userId: string
  bot: boolean
  emoji: { name: string | null; id: string | null }
  added: boolean
}

interface DeletedThread {
  threadId: string
  parentId: string | null
  name: string
}

async function fetchMessage(client: Client, channelId: string, messageId: string): Promise<Message> {
  const channel = await client.channels.fetch(channelId)
  if (channel === null || !channel.isTextBased())
    throw new ValidationError(`Discord channel ${channelId} holds no messages`)
  return channel.messages.fetch(messageId)
}

async function onReaction(client: Client, core: Core, reaction: DiscordReaction): Promise<void> {
  if (reaction.bot || reaction.userId === client.user?.id || reaction.emoji.name === null) return
  const link = await core.linkedContent({
    platform: 'discord',
    channelId: reaction.channelId,
    messageId: reaction.messageId,
  })
  if (link === undefined) return
  await core.react({
    discussionId: link.discussionId,
    replyId: link.replyId,
    emoji: canonicalEmoji('discord', { name: reaction.emoji.name, customId: reaction.emoji.id }),
    platform: 'discord',
    platformUserId: reaction.userId,
    added: reaction.added,
  })
}

async function onThreadDelete(core: Core, alerts: ModeratorAlerts, thread: DeletedThread): Promise<void> {
  if (thread.parentId === null) return
  const community = await core.communities.findByChannel('discord', thread.parentId)
  const discussion = await core.discussionInThread({ platform: 'discord', threadId: thread.threadId })
  if (community === undefined || discussion === undefined) return
  // A forum post's opening message lives in its thread and went with it; a text channel's
  // starter stays in the channel. Either way the discussion lives on elsewhere and only
  // Discord's copy is gone: stop writing to it (no endless retries into a deleted channel) and
  // say so, once.
  const starterInThread = await core.linkedContent({
    platform: 'discord',
    channelId: thread.threadId,
    messageId: thread.threadId,
  })
  if (starterInThread?.origin === 'source')
    await core.atSource('discord').openingPostDeleted(discussion.discussionId)
  if (await core.mirrorGone(discussion.discussionId, 'discord', 'the Discord thread was deleted')) {
    await alerts.tellModerators(
      community.id,
      `The Discord thread "${thread.name}" was deleted, so Threadbridge no longer mirrors that discussion to Discord. It continues on the other platforms.`,
    )
  }
}

/**
 * The bridged channel itself was deleted: nothing more can reach Discord for this community
 * until it is bridged to another channel. Moderators hear it now, once; what fails meanwhile is
 * kept as dead letters, with the reason.
 */
async function onChannelDelete(
  core: Core,
  alerts: ModeratorAlerts,
  channel: { channelId: string; name: string },
): Promise<void> {
  const community = await core.communities.findByChannel('discord', channel.channelId)
  if (community === undefined) return
  await alerts.tellModerators(
    community.id,
    `The Discord channel #${channel.name} bridged to this community was deleted, so Threadbridge can no longer mirror to Discord. Bridge the community to another Discord channel in its configuration.`,
  )
}

function actorOf(message: Message): PlatformActor {
  return {
    platform: 'discord',
    platformUserId: message.author.id,
    displayName: message.member?.displayName ?? message.author.globalName ?? message.author.username,
    avatarUrl: message.author.displayAvatarURL(),
  }
}

function attachmentsOf(message: Message) {
  return [...message.attachments.values()].map((a) => ({
    fileName: a.name,
    url: a.url,
    sizeBytes: a.size,
    contentType: a.contentType,
  }))
}

/** A new discussion from a Discord message: a forum post, a text channel thread's starter or first message. */
function startDiscussion(
  core: Core,
  communityId: string,
  message: Message,
  title: string,
  source: PlatformMessageRef,
  origin: InboundOrigin,
): Promise<void> {
  return core
    .inbound(origin, (s) =>
      s.discussions.start({
        communityId,
        author: actorOf(message),
        title,
        body: message.content,
        format: 'discord',
        attachments: attachmentsOf(message),
        source,
      }),
    )
    .then(
      () => undefined,
      (error: unknown) => tellPrivately(core, message, error, null),
    )
}

/**
 * A thread started from a message in a bridged text channel: the message (which stays in the
 * channel, beside the thread) is the opening post and the thread's name its title. Threads of
 * their own start with their first message instead (see onCreate); forum posts with their starter.
 */
async function onThreadCreate(core: Core, thread: ThreadChannel): Promise<void> {
  if (thread.parentId === null || thread.parent?.type !== ChannelType.GuildText) return
  const community = await core.communities.findByChannel('discord', thread.parentId)
  if (community === undefined) return
  const starter = await starterOf(thread)
  // No starter: a thread of its own. A bot's or a webhook's: ours, the thread of a mirror.
  if (starter === null || starter.author.bot || starter.webhookId !== null) return
  await startDiscussion(
    core,
    community.id,
    starter,
    thread.name,
    { platform: 'discord', channelId: thread.parentId, messageId: starter.id, threadId: thread.id },
    { platform: 'discord', eventId: `thread_create:${thread.id}` },
  )
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

async function onCreate(client: Client, core: Core, message: Message): Promise<void> {
  if (message.author.bot || message.webhookId !== null || message.author.id === client.user?.id) return
  const thread = message.channel
  if (!thread.isThread() || thread.parentId === null) return
  const community = await core.communities.findByChannel('discord', thread.parentId)
  if (community === undefined) return
  const source = {
    platform: 'discord' as const,
    channelId: thread.id,
    messageId: message.id,
    threadId: thread.id,
  }
  const origin = { platform: 'discord' as const, eventId: `message_create:${message.id}` }

  // A forum post's starter message has the thread's id: this is a new discussion.
  if (message.id === thread.id)
    return startDiscussion(core, community.id, message, thread.name, source, origin)

  let discussion = await core.discussionInThread({ platform: 'discord', threadId: thread.id })
  const threadAgeMs = Date.now() - SnowflakeUtil.timestampFrom(thread.id)
  // A thread of its own in a bridged text channel (not started from a message): its creator's
  // first message opens the discussion.
  if (
    discussion === undefined &&
    threadAgeMs < 10 * 60_000 &&
    thread.parent?.type === ChannelType.GuildText &&
    thread.ownerId === message.author.id &&
    (await starterOf(thread)) === null
  )
    return startDiscussion(core, community.id, message, thread.name, source, origin)
  // A thread made moments ago may be our mirror, whose link is still being written.
  if (discussion === undefined && threadAgeMs < 60_000)
    discussion = await core.discussionInThread({ platform: 'discord', threadId: thread.id }, 5000)
  if (discussion === undefined) return // a thread from before the bridge, or not ours
  const found = discussion
  const parentRef = message.reference?.messageId
  const parent = parentRef
    ? await core.linkedContent({ platform: 'discord', channelId: thread.id, messageId: parentRef })
    : undefined
  await core
    .inbound(origin, (s) =>
      s.replies.post({
        discussionId: found.discussionId,
        parentReplyId: parent?.replyId ?? null,
        author: actorOf(message),
        body: message.content,
        format: 'discord',
        attachments: attachmentsOf(message),
        source,
      }),
    )
    .catch((error: unknown) => tellPrivately(core, message, error, found.discussionId))
}

async function onUpdate(core: Core, message: Message): Promise<void> {
  if (message.author.bot || message.webhookId !== null || message.editedTimestamp === null) return
  const link = await core.linkedContent({
    platform: 'discord',
    channelId: message.channelId,
    messageId: message.id,
  })
  if (link === undefined || link.origin !== 'source') return
  const origin = {
    platform: 'discord' as const,
    eventId: `message_update:${message.id}:${message.editedTimestamp}`,
  }
  const editor = actorOf(message)
  await core.inbound(origin, async (s) => {
    if (link.replyId !== null)
      await s.replies.edit({
        replyId: link.replyId,
        editor,
        body: message.content,
        sourcePlatform: 'discord',
      })
    else
      await s.discussions.edit({
        discussionId: link.discussionId,
        editor,
        body: message.content,
        sourcePlatform: 'discord',
      })
  })
}

async function onDelete(core: Core, message: MessageIds): Promise<void> {
  const link = await core.linkedContent({
    platform: 'discord',
    channelId: message.channelId,
    messageId: message.messageId,
  })
  // A deleted mirror (someone removed our copy on Discord) does not delete the original.
  if (link === undefined || link.origin !== 'source') return
  await core.inbound({ platform: 'discord', eventId: `message_delete:${message.messageId}` }, async (s) => {
    if (link.replyId !== null) await s.atSource('discord').replyDeleted(link.replyId)
    else await s.atSource('discord').openingPostDeleted(link.discussionId)
  })
}

/**
 * Someone whose message the core refused (not a member, banned, a locked discussion) hears why,
 * privately, once per discussion rather than once per message.
 */
async function tellPrivately(
  core: Core,
  message: Message,
  error: unknown,
  discussionId: string | null,
): Promise<void> {
  if (!isRefusalToTell(error)) throw error
  if (discussionId !== null && !(await core.firstNonMemberNotice('discord', message.author.id, discussionId)))
    return
  await message.author.send({ content: error.message, allowedMentions: { parse: [] } })
}
