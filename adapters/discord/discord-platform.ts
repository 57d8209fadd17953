import type { Client, ForumChannel, Message, TextChannel, ThreadChannel, Webhook } from 'discord.js'
import { PermissionFlagsBits, RESTJSONErrorCodes, Routes } from 'discord.js'
import type { BridgeModerators, CommunityBridge } from '../../src/communities/community-registry.ts'
import { DeliveryError } from '../../src/errors.ts'
import { platformEmoji } from '../../src/format/emoji.ts'
import { defuseMassMentionWords } from '../../src/format/format-context.ts'
import { escapeDiscord } from '../../src/format/slack-to-discord.ts'
import { RateShaper, type RateShaperOptions } from '../../src/mirror/rate-shaper.ts'
import type {
  AuthorView,
  MessageAt,
  PlatformPort,
  PostedPart,
  PublishDiscussion,
  PublishReply,
} from '../../src/platform/platform-port.ts'
import { sendDiscordDigest } from './discord-digests.ts'
import { isDiscordError, toDeliveryError } from './discord-errors.ts'
import { DiscordHomes } from './discord-homes.ts'
import { userModeratesBridge } from './discord-moderators.ts'
import { DiscordPeople } from './discord-people.ts'
import { DISCORD_SHAPES } from './discord-shapes.ts'
import { lockedNow } from './discord-thread-lock.ts'
import { threadName, webhookIdentity } from './discord-webhook-names.ts'
import { inOpenThread } from './in-open-thread.ts'

/**
 * The Discord port. Shows our discussions on Discord: a discussion is a forum post made through
 * the forum's webhook (so it carries its author's name and avatar), replies are webhook messages
 * in its thread. Mentions are switched off on every call, but for one: a person who linked their
 * accounts, mentioned from the other side, is notified as if mentioned here (they are the same person).
 */
export class DiscordPlatform extends DiscordPeople implements PlatformPort {
  readonly platform = 'discord' as const
  readonly maxMessageLength = 2000
  private readonly homes: DiscordHomes
  private readonly shaper: RateShaper

  // The people-facing methods (direct messages, look-ups) come from DiscordPeople.
  constructor(client: Client, shaping: RateShaperOptions = {}) {
    super(client)
    this.homes = new DiscordHomes(client)
    this.shaper = new RateShaper('discord', DISCORD_SHAPES, shaping)
  }
  /** A digest as a DM: embeds and buttons (see discord-digests). */
  sendDigest(input: Parameters<PlatformPort['sendDigest']>[0]): Promise<void> {
    return this.call('direct-message', 'all', () => sendDiscordDigest(this.client, input))
  }

  /** Our webhooks' ids: messages from them are our own and never taken back in. */
  get webhookIds(): Promise<Set<string>> {
    return this.homes.webhookIds()
  }

  async composeDiscussion(bridge: CommunityBridge, title: string, body: string): Promise<string> {
    // A forum post's title is its thread's name; a text channel's starter message says it in bold.
    if ((await this.homes.of(bridge)).kind === 'forum') return body
    return `**${defuseMassMentionWords(escapeDiscord(title.trim()))}**\n${body}`
  }

  quote(line: string): string {
    return `> ${line}`
  }

  async publishDiscussion(input: PublishDiscussion): Promise<PostedPart[]> {
    const { webhook, kind } = await this.homes.of(input.bridge)
    const [first, ...rest] = input.parts
    let posted: PostedPart[]
    let threadId: string
    if (kind === 'forum') {
      const starter = await this.execute(webhook, input.bridge.channelId, {
        content: first ?? '',
        threadName: threadName(input.title),
        ...webhookIdentity(input.author),
        ...notifying(input.mentionUsers),
      })
      threadId = starter.channelId
      posted = [{ part: 0, messageId: starter.id, threadId, channelId: threadId }]
    } else {
      // A text channel: the opening post goes in the channel and a thread is started from it
      // (webhooks cannot start one), so the thread takes the post's id.
      const starter = await this.execute(webhook, input.bridge.channelId, {
        content: first ?? '',
        ...webhookIdentity(input.author),
        ...notifying(input.mentionUsers),
      })
      threadId = await this.threadFrom(input.bridge.channelId, starter.id, input.title)
      posted = [{ part: 0, messageId: starter.id, threadId, channelId: input.bridge.channelId }]
    }
    for (const [index, content] of rest.entries()) {
      const message = await this.execute(webhook, input.bridge.channelId, {
        content,
        threadId,
        ...webhookIdentity(input.author),
        ...notifying(input.mentionUsers),
      })
      posted.push({ part: index + 1, messageId: message.id, threadId, channelId: threadId })
    }
    return posted
  }

  async publishReply(input: PublishReply): Promise<PostedPart[]> {
    const { webhook } = await this.homes.of(input.bridge)
    const posted: PostedPart[] = []
    for (const [index, content] of input.parts.entries()) {
      const message = await this.execute(webhook, input.bridge.channelId, {
        content,
        threadId: input.threadId,
        ...webhookIdentity(input.author),
        ...notifying(input.mentionUsers),
      })
      posted.push({ part: index, messageId: message.id, threadId: input.threadId, channelId: input.threadId })
    }
    return posted
  }

  async editMessage(input: MessageAt & { text: string }): Promise<void> {
    const { webhook } = await this.homes.of(input.bridge)
    const edit = () =>
      this.homes.viaWebhook(input.bridge.channelId, () =>
        this.call('webhook-edit', webhook.id, () =>
          webhook.editMessage(input.messageId, {
            content: input.text,
            ...threadOption(input),
            allowedMentions: { parse: [] },
          }),
        ),
      )
    await (threadOption(input).threadId ? this.inOpenThread(input.threadId, edit) : edit())
  }

  async deleteMessage(input: MessageAt): Promise<void> {
    const { webhook } = await this.homes.of(input.bridge)
    const remove = () =>
      this.homes.viaWebhook(input.bridge.channelId, () =>
        this.call('webhook-edit', webhook.id, () =>
          webhook.deleteMessage(input.messageId, threadOption(input).threadId),
        ),
      )
    await (threadOption(input).threadId ? this.inOpenThread(input.threadId, remove) : remove())
  }

  async removeOriginal(input: MessageAt): Promise<boolean> {
    // The message's own channel: a thread, or the text channel beside it for a thread's starter.
    const remove = () =>
      this.call('message-delete', input.channelId, () =>
        this.client.rest.delete(Routes.channelMessage(input.channelId, input.messageId)),
      )
    try {
      await (input.channelId === input.threadId ? this.inOpenThread(input.threadId, remove) : remove())
    } catch (error) {
      if (error instanceof DeliveryError && isDiscordError(error.cause, RESTJSONErrorCodes.UnknownMessage))
        return true
      if (
        error instanceof DeliveryError &&
        isDiscordError(error.cause, RESTJSONErrorCodes.MissingPermissions)
      )
        throw new DeliveryError(
          'discord',
          'the bot lacks Manage Messages in the bridged Discord channel, so the original message stays there',
          { retryable: false, cause: error },
        )
      throw error
    }
    return true
  }

  async mayRemoveOriginals(bridge: CommunityBridge): Promise<boolean> {
    const channel = await this.client.channels.fetch(bridge.channelId).catch(() => null)
    if (channel === null || !('permissionsFor' in channel) || !('guild' in channel)) return false
    // Fetched afresh: the bot's own roles may have changed since the gateway last said.
    const me = await channel.guild.members.fetchMe({ force: true }).catch(() => null)
    return me !== null && (channel.permissionsFor(me)?.has(PermissionFlagsBits.ManageMessages) ?? false)
  }

  moderates(bridge: CommunityBridge & BridgeModerators, platformUserId: string): Promise<boolean> {
    return userModeratesBridge(this.client, bridge, platformUserId)
  }

  async setReaction(input: MessageAt & { emoji: string; present: boolean }): Promise<void> {
    const name = platformEmoji('discord', input.emoji)
    if (name === undefined) return // a Slack-only emoji has no Discord equivalent to show
    const route = Routes.channelMessageOwnReaction(input.channelId, input.messageId, encodeURIComponent(name))
    await this.call('reaction', input.channelId, () =>
      input.present ? this.client.rest.put(route) : this.client.rest.delete(route),
    )
  }

  async updateThread(input: {
    bridge: CommunityBridge
    threadId: string
    title?: string
    locked?: boolean
  }): Promise<void> {
    await this.call('thread-update', input.threadId, async () => {
      const thread = (await this.client.channels.fetch(input.threadId)) as ThreadChannel | null
      if (thread === null) return
      if (input.title !== undefined && thread.name !== threadName(input.title))
        await thread.setName(threadName(input.title))
      if (input.locked !== undefined) await thread.edit({ locked: input.locked, archived: input.locked })
    })
  }

  async readLocked(threadId: string): Promise<boolean | undefined> {
    return lockedNow(this.client, threadId).catch((error: unknown) => {
      throw toDeliveryError(error)
    })
  }

  async findPublished(input: {
    bridge: CommunityBridge
    threadId: string | null
    since: Date
    parts: string[]
    author: AuthorView
    title?: string
  }): Promise<PostedPart[]> {
    const { webhook, kind } = await this.homes.of(input.bridge)
    // Ours: from our webhook since the attempt began (a second's leeway for the clocks). The
    // author's name only breaks ties: it can change between attempts (a rename, a restart), and
    // a post must still be recognised. In a thread the newest match is the job's own, since a
    // discussion's jobs run in order; an earlier job's identical words ("+1") are older, and
    // the engine never adopts a message another mirror already claims.
    const since = input.since.getTime() - 1000
    const ours = (m: Message) => m.webhookId === webhook.id && m.createdTimestamp >= since
    const { username } = webhookIdentity(input.author)
    const newest = <T extends { author: { username: string } }>(matches: T[]): T | undefined =>
      matches.filter((m) => m.author.username === username).at(-1) ?? matches.at(-1)
    const oldestFirst = (messages: Iterable<Message>) =>
      [...messages].sort(
        (a, b) => a.createdTimestamp - b.createdTimestamp || (BigInt(a.id) < BigInt(b.id) ? -1 : 1),
      )
    const posted: PostedPart[] = []
    let threadId = input.threadId
    if (threadId === null && kind === 'forum') {
      // A forum post whose creation timed out: look for a new thread from our webhook.
      threadId = await this.call('thread-update', input.bridge.channelId, async () => {
        const forum = (await this.client.channels.fetch(input.bridge.channelId)) as ForumChannel
        const active = await forum.guild.channels.fetchActiveThreads()
        const candidates = active.threads.filter(
          (t) =>
            t.parentId === forum.id &&
            t.ownerId === webhook.id &&
            t.name === threadName(input.title ?? '') &&
            (t.createdTimestamp ?? 0) >= since,
        )
        const starters: Message[] = []
        for (const thread of candidates.values()) {
          const starter = await thread.messages.fetch(thread.id).catch(() => undefined)
          if (starter !== undefined && ours(starter) && starter.content === input.parts[0])
            starters.push(starter)
        }
        return newest(oldestFirst(starters))?.channelId ?? null
      })
    } else if (threadId === null) {
      // A text channel's opening post: find it beside the thread, and start the thread if the
      // attempt stopped before it could.
      const starter = await this.call('thread-update', input.bridge.channelId, async () => {
        const channel = (await this.client.channels.fetch(input.bridge.channelId)) as TextChannel
        const recent = await channel.messages.fetch({ limit: 50 })
        return newest(oldestFirst(recent.values()).filter((m) => ours(m) && m.content === input.parts[0]))
      })
      if (starter === undefined) return []
      threadId = await this.threadFrom(input.bridge.channelId, starter.id, input.title ?? '')
      posted.push({ part: 0, messageId: starter.id, threadId, channelId: input.bridge.channelId })
    }
    if (threadId === null) return []
    const searched = threadId
    const found = await this.call('thread-update', searched, async () => {
      const thread = (await this.client.channels.fetch(searched)) as ThreadChannel
      const recent = await thread.messages.fetch({ limit: 50 })
      return oldestFirst(recent.values()).filter(ours)
    })
    // The parts still to find follow one another from the newest place the first of them is.
    const first = posted.length
    let at = found.findLastIndex((m) => m.content === input.parts[first])
    for (let index = first; at !== -1 && index < input.parts.length; index++, at++) {
      const match = found[at]
      if (match === undefined || match.content !== input.parts[index]) break
      posted.push({ part: index, messageId: match.id, threadId: searched, channelId: searched })
    }
    return posted
  }

  /** Starts a thread from a message in a text channel (or finds the one already started from it). */
  private async threadFrom(channelId: string, messageId: string, title: string): Promise<string> {
    try {
      await this.shaper.schedule('thread-create', channelId, () =>
        this.client.rest.post(Routes.threads(channelId, messageId), {
          body: { name: threadName(title), auto_archive_duration: 10080 },
        }),
      )
    } catch (error) {
      if (!isDiscordError(error, RESTJSONErrorCodes.ThreadAlreadyCreatedForMessage))
        throw toDeliveryError(error)
    }
    return messageId // a thread started from a message takes its id
  }

  async stop(): Promise<void> {
    await this.shaper.stop()
  }

  /** Work on a message in a thread, reopening the thread first if it was archived (see in-open-thread). */
  private inOpenThread(threadId: string, work: () => Promise<unknown>): Promise<void> {
    return inOpenThread(work, (change) =>
      this.call('thread-update', threadId, () =>
        this.client.rest.patch(Routes.channel(threadId), { body: change }),
      ),
    )
  }

  /** The channel's budget first, then the webhook's spacing: a full channel never blocks the others. */
  private async execute(
    webhook: Webhook,
    forumId: string,
    options: {
      content: string
      threadName?: string
      threadId?: string
      username: string
      avatarURL?: string
      mentionUsers?: readonly string[]
    },
  ): Promise<Message> {
    const { mentionUsers = [], ...message } = options
    try {
      return await this.homes.viaWebhook(forumId, () =>
        this.shaper.schedule('channel-webhook-messages', message.threadId ?? forumId, () =>
          this.shaper.schedule('webhook-execute', webhook.id, () =>
            // Nothing is parsed (no @everyone, no roles); only the linked people named are notified.
            webhook.send({
              ...message,
              allowedMentions: {
                parse: [],
                ...(mentionUsers.length > 0 ? { users: [...mentionUsers] } : {}),
              },
            }),
          ),
        ),
      )
    } catch (error) {
      // Posting reopens an archived thread by itself; one that is locked takes no posts from a
      // webhook, and unlocking it would overrule Discord's moderators. Say so, and stop.
      if (
        isDiscordError(
          error,
          RESTJSONErrorCodes.ThreadLocked,
          RESTJSONErrorCodes.InvalidActionOnArchivedThread,
        )
      )
        throw new DeliveryError(
          'discord',
          'the Discord thread is locked, so nothing can be posted into it (unlock it on Discord, or lock the discussion)',
          { retryable: false, cause: error },
        )
      throw toDeliveryError(error)
    }
  }

  private async call<T>(
    bucket: keyof typeof DISCORD_SHAPES,
    key: string,
    work: () => Promise<T>,
  ): Promise<T> {
    try {
      return await this.shaper.schedule(bucket, key, work)
    } catch (error) {
      throw toDeliveryError(error)
    }
  }
}

/**
 * Webhook calls name the thread a message is in; a text channel's thread starter is not in its
 * thread but beside it, in the channel the webhook belongs to.
 */
function threadOption(input: { threadId: string; channelId: string }): { threadId?: string } {
  return input.channelId === input.threadId ? { threadId: input.threadId } : {}
}

/** Discord takes at most 100 users in allowed_mentions; a message naming more notifies the first 100. */
function notifying(users: readonly string[] | undefined): { mentionUsers?: readonly string[] } {
  return users === undefined || users.length === 0 ? {} : { mentionUsers: users.slice(0, 100) }
}
