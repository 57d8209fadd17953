import type { Client, ForumChannel, Message, ThreadChannel, Webhook } from 'discord.js'
import { ChannelType, DiscordAPIError, RESTJSONErrorCodes, Routes } from 'discord.js'
import type { CommunityBridge } from '../../src/communities/community-registry.ts'
import { DeliveryError } from '../../src/errors.ts'
import { platformEmoji } from '../../src/format/emoji.ts'
import type {
  AuthorView,
  MirrorTarget,
  PostedPart,
  PublishDiscussion,
  PublishReply,
} from '../../src/mirror/mirror-target.ts'
import { RateShaper, type RateShaperOptions } from '../../src/mirror/rate-shaper.ts'
import { toDeliveryError } from './discord-errors.ts'

/**
 * Discord's limits for what we send (shared/reference/platform-apis.md §1.2, observed values):
 * webhook executions 5 per 2 s per webhook and 30 per minute per channel; edits and deletes
 * through the webhook 5 per 2 s.
 */
export const DISCORD_SHAPES = {
  'webhook-execute': { minTimeMs: 400 },
  'channel-webhook-messages': { reservoir: { amount: 30, intervalMs: 60_000 } },
  'webhook-edit': { minTimeMs: 400 },
  'thread-update': { minTimeMs: 1000 },
  reaction: { minTimeMs: 250 },
}

const WEBHOOK_NAME = 'Threadbridge'

/**
 * Shows our discussions on Discord: a discussion is a forum post made through the forum's
 * webhook (so it carries its author's name and avatar), replies are webhook messages in its
 * thread. Mentions are switched off on every call: nothing we post can ping anyone.
 */
export class DiscordMirrorTarget implements MirrorTarget {
  readonly platform = 'discord' as const
  readonly maxMessageLength = 2000
  private readonly webhooks = new Map<string, Promise<Webhook>>()
  private readonly shaper: RateShaper

  constructor(
    private readonly client: Client,
    shaping: RateShaperOptions = {},
  ) {
    this.shaper = new RateShaper('discord', DISCORD_SHAPES, shaping)
  }

  /** Our webhooks' ids: messages from them are our own and never taken back in. */
  get webhookIds(): Promise<Set<string>> {
    return Promise.all([...this.webhooks.values()].map((w) => w.catch(() => undefined))).then(
      (hooks) => new Set(hooks.filter((h): h is Webhook => h !== undefined).map((h) => h.id)),
    )
  }

  composeDiscussion(_title: string, body: string): string {
    return body // the title becomes the forum post's name
  }

  quote(line: string): string {
    return `> ${line}`
  }

  async publishDiscussion(input: PublishDiscussion): Promise<PostedPart[]> {
    const webhook = await this.webhook(input.bridge)
    const [first, ...rest] = input.parts
    const starter = await this.execute(webhook, input.bridge.channelId, {
      content: first ?? '',
      threadName: threadName(input.title),
      ...identity(input.author),
    })
    const threadId = starter.channelId
    const posted: PostedPart[] = [{ part: 0, messageId: starter.id, threadId }]
    for (const [index, content] of rest.entries()) {
      const message = await this.execute(webhook, input.bridge.channelId, {
        content,
        threadId,
        ...identity(input.author),
      })
      posted.push({ part: index + 1, messageId: message.id, threadId })
    }
    return posted
  }

  async publishReply(input: PublishReply): Promise<PostedPart[]> {
    const webhook = await this.webhook(input.bridge)
    const posted: PostedPart[] = []
    for (const [index, content] of input.parts.entries()) {
      const message = await this.execute(webhook, input.bridge.channelId, {
        content,
        threadId: input.threadId,
        ...identity(input.author),
      })
      posted.push({ part: index, messageId: message.id, threadId: input.threadId })
    }
    return posted
  }

  async editMessage(input: {
    bridge: CommunityBridge
    threadId: string
    messageId: string
    text: string
  }): Promise<void> {
    const webhook = await this.webhook(input.bridge)
    await this.inOpenThread(input.threadId, () =>
      this.call('webhook-edit', webhook.id, () =>
        webhook.editMessage(input.messageId, {
          content: input.text,
          threadId: input.threadId,
          allowedMentions: { parse: [] },
        }),
      ),
    )
  }

  async deleteMessage(input: {
    bridge: CommunityBridge
    threadId: string
    messageId: string
  }): Promise<void> {
    const webhook = await this.webhook(input.bridge)
    await this.inOpenThread(input.threadId, () =>
      this.call('webhook-edit', webhook.id, () => webhook.deleteMessage(input.messageId, input.threadId)),
    )
  }

  async setReaction(input: {
    threadId: string
    messageId: string
    emoji: string
    present: boolean
  }): Promise<void> {
    const name = platformEmoji('discord', input.emoji)
    if (name === undefined) return // a Slack-only emoji has no Discord equivalent to show
    const route = Routes.channelMessageOwnReaction(input.threadId, input.messageId, encodeURIComponent(name))
    await this.call('reaction', input.threadId, () =>
      input.present ? this.client.rest.put(route) : this.client.rest.delete(route),
    )
  }

  async notifyPerson(platformUserId: string, text: string): Promise<void> {
    try {
      const user = await this.client.users.fetch(platformUserId)
      await user.send({ content: text.slice(0, 2000), allowedMentions: { parse: [] } })
    } catch (error) {
      throw toDeliveryError(error)
    }
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

  async findPublished(input: {
    bridge: CommunityBridge
    threadId: string | null
    since: Date
    parts: string[]
  }): Promise<PostedPart[]> {
    const webhook = await this.webhook(input.bridge)
    return this.call('thread-update', input.bridge.channelId, async () => {
      let threadId = input.threadId
      if (threadId === null) {
        // A forum post whose creation timed out: look for a new thread from our webhook.
        const forum = (await this.client.channels.fetch(input.bridge.channelId)) as ForumChannel
        const active = await forum.guild.channels.fetchActiveThreads()
        const candidates = active.threads.filter(
          (t) =>
            t.parentId === forum.id &&
            t.ownerId === webhook.id &&
            (t.createdTimestamp ?? 0) >= input.since.getTime() - 1000,
        )
        for (const thread of candidates.values()) {
          const starter = await thread.messages.fetch(thread.id).catch(() => undefined)
          if (starter?.content === input.parts[0]) threadId = thread.id
        }
        if (threadId === null) return []
      }
      const thread = (await this.client.channels.fetch(threadId)) as ThreadChannel
      const recent = await thread.messages.fetch({ limit: 50 })
      const ours = [...recent.values()]
        .filter(
          (m: Message) => m.webhookId === webhook.id && m.createdTimestamp >= input.since.getTime() - 1000,
        )
        .sort((a, b) => a.createdTimestamp - b.createdTimestamp || (BigInt(a.id) < BigInt(b.id) ? -1 : 1))
      const posted: PostedPart[] = []
      for (const [index, content] of input.parts.entries()) {
        const match = ours.find((m) => m.content === content && !posted.some((p) => p.messageId === m.id))
        if (match === undefined) break
        posted.push({ part: index, messageId: match.id, threadId })
      }
      return posted
    })
  }

  async stop(): Promise<void> {
    await this.shaper.stop()
  }

  /** One webhook per bridged forum, found or made once; it serves every thread through thread_id. */
  private webhook(bridge: CommunityBridge): Promise<Webhook> {
    let webhook = this.webhooks.get(bridge.channelId)
    if (webhook === undefined) {
      webhook = (async () => {
        try {
          const channel = await this.client.channels.fetch(bridge.channelId)
          if (
            channel === null ||
            (channel.type !== ChannelType.GuildForum && channel.type !== ChannelType.GuildText)
          ) {
            throw new Error(`channel ${bridge.channelId} is not a forum or text channel`)
          }
          const existing = await channel.fetchWebhooks()
          const ours = existing.find(
            (w) => w.name === WEBHOOK_NAME && w.applicationId === this.client.application?.id,
          )
          return ours ?? (await channel.createWebhook({ name: WEBHOOK_NAME }))
        } catch (error) {
          this.webhooks.delete(bridge.channelId)
          throw toDeliveryError(error)
        }
      })()
      this.webhooks.set(bridge.channelId, webhook)
    }
    return webhook
  }

  /**
   * Discord refuses edits and deletions in an archived thread (threads archive themselves after a
   * day of quiet, and a locked discussion's thread is archived). Reopen it with the bot's Manage
   * Threads, do the work, and archive it again as it was. A thread the bot may not reopen is a
   * permanent failure whose reason names the missing right, for the moderators' alert.
   */
  private async inOpenThread(threadId: string, work: () => Promise<unknown>): Promise<void> {
    try {
      await work()
      return
    } catch (error) {
      if (
        !(
          error instanceof DeliveryError &&
          isDiscordError(error.cause, RESTJSONErrorCodes.InvalidActionOnArchivedThread)
        )
      )
        throw error
    }
    const route = Routes.channel(threadId)
    await this.call('thread-update', threadId, () =>
      this.client.rest.patch(route, { body: { archived: false } }),
    ).catch((error: unknown) => {
      if (
        error instanceof DeliveryError &&
        isDiscordError(error.cause, RESTJSONErrorCodes.MissingPermissions)
      )
        throw new DeliveryError(
          'discord',
          'the Discord thread is archived and the bot lacks Manage Threads to reopen it',
          { retryable: false, cause: error },
        )
      throw error
    })
    await work()
    await this.call('thread-update', threadId, () =>
      this.client.rest.patch(route, { body: { archived: true } }),
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
    },
  ): Promise<Message> {
    try {
      return await this.shaper.schedule('channel-webhook-messages', options.threadId ?? forumId, () =>
        this.shaper.schedule('webhook-execute', webhook.id, () =>
          webhook.send({ ...options, allowedMentions: { parse: [] } }),
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

/** Discord refuses webhook names containing "discord" or "clyde"; a word joiner keeps them readable. */
function identity(author: AuthorView): { username: string; avatarURL?: string } {
  const label =
    author.platform === null
      ? author.displayName
      : `${author.displayName} (${author.platform === 'slack' ? 'Slack' : 'Discord'})`
  const username = label
    .replace(/(disc)(ord)/gi, '$1\u2060$2')
    .replace(/(cl)(yde)/gi, '$1\u2060$2')
    .slice(0, 80)
  return { username, ...(author.avatarUrl ? { avatarURL: author.avatarUrl } : {}) }
}

function threadName(title: string): string {
  const name = title.replace(/\s+/g, ' ').trim()
  return name.length > 100 ? `${name.slice(0, 99)}…` : name || 'Discussion'
}

function isDiscordError(error: unknown, ...codes: RESTJSONErrorCodes[]): boolean {
  return error instanceof DiscordAPIError && codes.includes(error.code as RESTJSONErrorCodes)
}
