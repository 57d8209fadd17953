import {
  type Client,
  Events,
  type Message,
  type MessageReaction,
  type PartialMessage,
  type PartialMessageReaction,
  type PartialUser,
  type User,
} from 'discord.js'
import type { Core } from '../../src/core.ts'
import {
  asThreadbridgeError,
  BannedError,
  ContentDeletedError,
  DiscussionLockedError,
  NotAMemberError,
} from '../../src/errors.ts'
import { canonicalEmoji } from '../../src/format/emoji.ts'
import { KeyedQueue } from '../../src/inbound/keyed-queue.ts'
import type { Logger } from '../../src/logger.ts'
import type { ModeratorAlerts } from '../../src/mirror/mirror-gone.ts'
import type { PlatformActor } from '../../src/platform/platform.ts'

/**
 * Takes Discord's events into the core: a post in a bridged forum starts a discussion, messages
 * in its thread are replies (a Discord reply to a reply is a nested reply), and edits and
 * deletions follow. Bots and webhooks (ours above all) are never taken back in: no echo, no loop.
 */
export function listenToDiscord(client: Client, core: Core, logger: Logger, alerts: ModeratorAlerts): void {
  const order = new KeyedQueue()
  const handle = (what: string, channelId: string, work: () => Promise<void>) => {
    order.run(channelId, work).catch((error: unknown) => {
      const failure = asThreadbridgeError(error)
      logger.error(
        { code: failure.code, event: what, reason: failure.message },
        'a Discord event could not be applied',
      )
    })
  }
  client.on(Events.MessageCreate, (message) =>
    handle('message_create', message.channelId, () => onCreate(client, core, message)),
  )
  client.on(Events.MessageUpdate, (_old, message) =>
    handle('message_update', message.channelId, () => onUpdate(core, message)),
  )
  const onReaction =
    (added: boolean) => (reaction: MessageReaction | PartialMessageReaction, user: User | PartialUser) =>
      handle('reaction', reaction.message.channelId, async () => {
        if (user.bot || user.id === client.user?.id) return
        const link = await core.linkedContent({
          platform: 'discord',
          channelId: reaction.message.channelId,
          messageId: reaction.message.id,
        })
        if (link === undefined || reaction.emoji.name === null) return
        await core.react({
          discussionId: link.discussionId,
          replyId: link.replyId,
          emoji: canonicalEmoji('discord', { name: reaction.emoji.name, customId: reaction.emoji.id }),
          platform: 'discord',
          platformUserId: user.id,
          added,
        })
      })
  client.on(Events.MessageReactionAdd, onReaction(true))
  client.on(Events.MessageReactionRemove, onReaction(false))
  client.on(Events.ThreadDelete, (thread) =>
    handle('thread_delete', thread.id, async () => {
      if (thread.parentId === null) return
      const community = await core.communities.findByChannel('discord', thread.parentId)
      const link = await core.linkedContent({
        platform: 'discord',
        channelId: thread.id,
        messageId: thread.id,
      })
      if (community === undefined || link === undefined) return
      // The discussion lives on elsewhere; only Discord's copy is gone. Stop writing to it (no
      // endless retries into a deleted channel) and say so, once.
      if (link.origin === 'source')
        await core
          .atSource('discord')
          .openingPostDeleted(link.discussionId)
          .catch(() => {})
      if (await core.mirrorGone(link.discussionId, 'discord', 'the Discord thread was deleted')) {
        await alerts.tellModerators(
          community.id,
          `The Discord thread "${thread.name}" was deleted, so Threadbridge no longer mirrors that discussion to Discord. It continues on the other platforms.`,
        )
      }
    }),
  )
  client.on(Events.MessageDelete, (message) =>
    handle('message_delete', message.channelId, () => onDelete(core, message)),
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

async function onCreate(client: Client, core: Core, message: Message): Promise<void> {
  if (message.author.bot || message.webhookId !== null || message.author.id === client.user?.id) return
  const thread = message.channel
  if (!thread.isThread() || thread.parentId === null) return
  const community = await core.communities.findByChannel('discord', thread.parentId)
  if (community === undefined) return
  const actor = actorOf(message)
  const attachments = [...message.attachments.values()].map((a) => ({
    fileName: a.name,
    url: a.url,
    sizeBytes: a.size,
    contentType: a.contentType,
  }))
  const source = {
    platform: 'discord' as const,
    channelId: thread.id,
    messageId: message.id,
    threadId: thread.id,
  }
  const origin = { platform: 'discord' as const, eventId: `message_create:${message.id}` }

  if (message.id === thread.id) {
    // A forum post's starter message has the thread's id: this is a new discussion.
    await core
      .inbound(origin, (s) =>
        s.discussions.start({
          communityId: community.id,
          author: actor,
          title: thread.name,
          body: message.content,
          format: 'discord',
          attachments,
          source,
        }),
      )
      .catch((error: unknown) => tellPrivately(core, message, error, null))
    return
  }
  // Only a thread made moments ago can be a mirror whose link is still being written.
  const recentThread = Date.now() - Number((BigInt(thread.id) >> 22n) + 1420070400000n) < 60_000
  const discussion = await (recentThread ? core.linkedContentSoon.bind(core) : core.linkedContent.bind(core))(
    {
      platform: 'discord',
      channelId: thread.id,
      messageId: thread.id,
    },
  )
  if (discussion === undefined) return // a thread from before the bridge, or not ours
  const parentRef = message.reference?.messageId
  const parent = parentRef
    ? await core.linkedContent({ platform: 'discord', channelId: thread.id, messageId: parentRef })
    : undefined
  await core
    .inbound(origin, (s) =>
      s.replies.post({
        discussionId: discussion.discussionId,
        parentReplyId: parent?.replyId ?? null,
        author: actor,
        body: message.content,
        format: 'discord',
        attachments,
        source,
      }),
    )
    .catch((error: unknown) => tellPrivately(core, message, error, discussion.discussionId))
}

async function onUpdate(core: Core, partial: Message | PartialMessage): Promise<void> {
  const message = partial.partial ? await partial.fetch() : partial
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

async function onDelete(core: Core, message: Message | PartialMessage): Promise<void> {
  const link = await core.linkedContent({
    platform: 'discord',
    channelId: message.channelId,
    messageId: message.id,
  })
  // A deleted mirror (someone removed our copy on Discord) does not delete the original.
  if (link === undefined || link.origin !== 'source') return
  await core.inbound({ platform: 'discord', eventId: `message_delete:${message.id}` }, async (s) => {
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
  if (
    !(
      error instanceof NotAMemberError ||
      error instanceof BannedError ||
      error instanceof DiscussionLockedError ||
      error instanceof ContentDeletedError
    )
  )
    throw error
  if (discussionId !== null && !(await core.firstNonMemberNotice('discord', message.author.id, discussionId)))
    return
  await message.author.send({ content: error.message, allowedMentions: { parse: [] } })
}
