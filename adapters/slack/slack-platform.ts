import type { WebClient } from '@slack/web-api'
import type { Clock } from '../../src/clock.ts'
import type { BridgeModerators, CommunityBridge } from '../../src/communities/community-registry.ts'
import { DeliveryError } from '../../src/errors.ts'
import { platformEmoji } from '../../src/format/emoji.ts'
import { slackWords } from '../../src/format/slack-words.ts'
import { RateShaper, type RateShaperOptions } from '../../src/mirror/rate-shaper.ts'
import { signedName } from '../../src/names/signed-name.ts'
import type {
  AuthorView,
  MessageAt,
  PlatformPort,
  PostedPart,
  PublishDiscussion,
  PublishReply,
} from '../../src/platform/platform-port.ts'
import { sendSlackDigest } from './slack-digests.ts'
import { toDeliveryError } from './slack-errors.ts'
import { isWorkspaceAdmin } from './slack-moderators.ts'
import { SlackPeople } from './slack-people.ts'

/**
 * Slack's limits for what we send (https://api.slack.com/apis/rate-limits): chat.postMessage about
 * one per second per channel; chat.update and chat.delete Tier 3 (50 a minute); history Tier 3.
 */
/** The app's one slash command; the commands are its subcommands. */
export const SLACK_COMMAND = '/threadbridge'

export const SLACK_SHAPES = {
  'post-message': { minTimeMs: 1000 },
  'update-message': { minTimeMs: 1200 },
  history: { minTimeMs: 1200 },
  // Digests open a DM each (conversations.open, Tier 4: 100+ a minute) before posting in it.
  digest: { reservoir: { amount: 100, intervalMs: 60_000 } },
}

/** The metadata event type that marks our own posts, and carries the job key for exactly-once. */
export const MIRROR_EVENT_TYPE = 'threadbridge_mirror'

/** How the bot signs its own notes in a thread. */
const THREADBRIDGE_AUTHOR: AuthorView = { displayName: 'Threadbridge', avatarUrl: null, platform: null }

/**
 * The Slack port. Shows our discussions on Slack: a discussion is a top-level message with its title in bold,
 * replies are messages in its thread, each under its author's name and avatar. Every post
 * carries message metadata with its job key, so a retry can find what an earlier attempt posted.
 */
export class SlackPlatform extends SlackPeople implements PlatformPort {
  readonly platform = 'slack' as const
  /** Slack takes 40,000 characters but recommends staying under 4,000 for readability. */
  readonly maxMessageLength = 4000

  // The people-facing methods (ephemeral and direct messages, look-ups) come from SlackPeople.
  constructor(client: WebClient, clock: Clock, shaping: RateShaperOptions = {}) {
    super(client, clock, new RateShaper('slack', SLACK_SHAPES, shaping))
  }
  /** A digest as a DM: blocks and buttons (see slack-digests). */
  sendDigest(input: Parameters<PlatformPort['sendDigest']>[0]): Promise<void> {
    return this.call('digest', 'all', () => sendSlackDigest(this.client, input))
  }

  /**
   * Slack threads cannot be locked: a locked (or unlocked) discussion gets a short note in its
   * thread instead, once per job (a retry looks for the note's key first). Titles are not
   * renamed: a Slack root's first line is its own text.
   */
  async updateThread(input: {
    bridge: CommunityBridge
    threadId: string
    locked?: boolean
    key?: string
  }): Promise<void> {
    if (input.locked === undefined || input.key === undefined) return
    const posted = await this.findPublished({
      bridge: input.bridge,
      key: input.key,
      threadId: input.threadId,
      since: new Date(0),
    })
    if (posted.length > 0) return
    const text = input.locked
      ? ':lock: This discussion is locked: replies are not taken on Slack or Discord.'
      : ':unlock: This discussion is open again: replies cross to Discord as before.'
    await this.post(input.bridge, input.key, 0, text, THREADBRIDGE_AUTHOR, input.threadId)
  }

  /** chat.getPermalink: the address Slack's clients open a message at. */
  async permalink(
    _bridge: CommunityBridge,
    message: { channelId: string; messageId: string },
  ): Promise<string | undefined> {
    const answer = await this.client.chat
      .getPermalink({ channel: message.channelId, message_ts: message.messageId })
      .catch(() => undefined)
    return answer?.permalink
  }

  /**
   * The title in bold on top. Slack has no escape for its markers, so an asterisk in the title
   * (which would end the bold early), or an underscore, tilde or backtick, is shown as a
   * look-alike (`slackWords`).
   */
  async composeDiscussion(_bridge: CommunityBridge, title: string, body: string): Promise<string> {
    return `*${slackWords(title)}*\n${body}`
  }

  quote(line: string): string {
    return `> ${line}`
  }

  /** Slack keeps /join and the like for itself: our commands are subcommands of /threadbridge. */
  commandLine(name: string): string {
    return `${SLACK_COMMAND} ${name}`
  }

  async publishDiscussion(input: PublishDiscussion): Promise<PostedPart[]> {
    const [first, ...rest] = input.parts
    const root = await this.post(input.bridge, input.key, 0, first ?? '', input.author, undefined)
    const channelId = input.bridge.channelId
    const posted: PostedPart[] = [{ part: 0, messageId: root, threadId: root, channelId }]
    for (const [index, text] of rest.entries()) {
      posted.push({
        part: index + 1,
        messageId: await this.post(input.bridge, input.key, index + 1, text, input.author, root),
        threadId: root,
        channelId,
      })
    }
    return posted
  }

  async publishReply(input: PublishReply): Promise<PostedPart[]> {
    const posted: PostedPart[] = []
    for (const [index, text] of input.parts.entries()) {
      posted.push({
        part: index,
        messageId: await this.post(input.bridge, input.key, index, text, input.author, input.threadId),
        threadId: input.threadId,
        channelId: input.bridge.channelId,
      })
    }
    return posted
  }

  async editMessage(input: MessageAt & { text: string }): Promise<void> {
    await this.call('update-message', input.bridge.channelId, () =>
      this.client.chat.update({ channel: input.bridge.channelId, ts: input.messageId, text: input.text }),
    )
  }

  async deleteMessage(input: MessageAt): Promise<void> {
    await this.call('update-message', input.bridge.channelId, () =>
      this.client.chat.delete({ channel: input.bridge.channelId, ts: input.messageId }),
    )
  }

  /**
   * "When used with a typical bot token, chat.delete may only delete messages posted by that
   * bot" (https://api.slack.com/methods/chat.delete): a person's own message stays, and no call
   * is spent learning so.
   */
  async removeOriginal(_input: MessageAt): Promise<boolean> {
    return false
  }

  async mayRemoveOriginals(_bridge: CommunityBridge): Promise<boolean> {
    return false
  }

  /** Slack's only moderators of its own are the workspace's admins and owners, where configured to count. */
  async moderates(bridge: CommunityBridge & BridgeModerators, platformUserId: string): Promise<boolean> {
    return bridge.workspaceAdminsModerate && (await isWorkspaceAdmin(this.client, platformUserId))
  }

  async setReaction(input: MessageAt & { emoji: string; present: boolean }): Promise<void> {
    const name = platformEmoji('slack', input.emoji)
    if (name === undefined) return
    const call = { channel: input.bridge.channelId, timestamp: input.messageId, name }
    try {
      await this.call('update-message', input.bridge.channelId, () =>
        input.present ? this.client.reactions.add(call) : this.client.reactions.remove(call),
      )
    } catch (error) {
      // Already there, or already gone: the state we wanted.
      if (
        error instanceof DeliveryError &&
        (error.reason === 'already_reacted' || error.reason === 'no_reaction')
      )
        return
      throw error
    }
  }

  async findPublished(input: {
    bridge: CommunityBridge
    key: string
    threadId: string | null
    since: Date
  }): Promise<PostedPart[]> {
    // A second's margin for clocks that disagree, never below zero: Slack takes no negative ts.
    const oldest = Math.max(0, input.since.getTime() / 1000 - 1).toFixed(6)
    const response = await this.call('history', input.bridge.channelId, () =>
      input.threadId === null
        ? this.client.conversations.history({
            channel: input.bridge.channelId,
            oldest,
            include_all_metadata: true,
            limit: 200,
          })
        : this.client.conversations.replies({
            channel: input.bridge.channelId,
            ts: input.threadId,
            oldest,
            include_all_metadata: true,
            limit: 200,
          }),
    )
    const found: PostedPart[] = []
    for (const message of response.messages ?? []) {
      const payload = message.metadata?.event_payload as { key?: string; part?: number } | undefined
      if (
        message.metadata?.event_type !== MIRROR_EVENT_TYPE ||
        payload?.key !== input.key ||
        message.ts === undefined
      )
        continue
      found.push({
        part: Number(payload.part ?? 0),
        messageId: message.ts,
        threadId: input.threadId ?? message.ts,
        channelId: input.bridge.channelId,
      })
    }
    found.sort((a, b) => a.part - b.part)
    // Only a gap-free run from the first part counts; anything after a gap is posted again.
    return found.filter((part, index) => part.part === index)
  }

  async stop(): Promise<void> {
    await this.shaper.stop()
  }

  private async post(
    bridge: CommunityBridge,
    key: string,
    part: number,
    text: string,
    author: AuthorView,
    threadTs: string | undefined,
  ): Promise<string> {
    const response = await this.call('post-message', bridge.channelId, () =>
      this.client.chat.postMessage({
        channel: bridge.channelId,
        text,
        ...(threadTs ? { thread_ts: threadTs } : {}),
        username: signedName(author),
        ...(author.avatarUrl ? { icon_url: author.avatarUrl } : {}),
        metadata: { event_type: MIRROR_EVENT_TYPE, event_payload: { key, part } },
        unfurl_links: false,
        unfurl_media: false,
      }),
    )
    if (typeof response.ts !== 'string')
      throw toDeliveryError(new Error('chat.postMessage answered without a ts'))
    return response.ts
  }
}
