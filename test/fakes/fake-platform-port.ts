import type { CommunityBridge } from '../../src/communities/community-registry.ts'
import { DeliveryError } from '../../src/errors.ts'
import type { Platform } from '../../src/platform/platform.ts'
import {
  type DigestMessage,
  DMS_CLOSED,
  type MessageAt,
  type Person,
  type PlatformPort,
  type PostedPart,
  type PrivateNotice,
  type PublishDiscussion,
  type PublishReply,
} from '../../src/platform/platform-port.ts'

/**
 * A platform in memory: it records what it was asked to post, tell and look up, and knows the
 * people it was given. Message ids count up from 1 per fake.
 */
export class FakePlatformPort implements PlatformPort {
  readonly maxMessageLength = 2000
  readonly posted: { threadId: string; parts: string[] }[] = []
  readonly edited: (MessageAt & { text: string })[] = []
  readonly deleted: MessageAt[] = []
  /** Originals (people's own messages) removed; `removesOriginals` false makes it Slack-like. */
  readonly removedOriginals: MessageAt[] = []
  removesOriginals = true
  readonly reactions: (MessageAt & { emoji: string; present: boolean })[] = []
  readonly told: PrivateNotice[] = []
  readonly directMessages: { platformUserId: string; text: string }[] = []
  readonly digests: { platformUserId: string; key: string; message: DigestMessage }[] = []
  /** People whose DMs are closed: a digest to them fails as the platform says so. */
  readonly dmsClosed = new Set<string>()
  readonly lookedUp: string[] = []
  /** Errors the next private notices fail with, in order (then they succeed again). */
  readonly failNotices: Error[] = []
  private next = 0

  constructor(
    readonly platform: Platform,
    private readonly people: Record<string, Person> = {},
  ) {}

  async composeDiscussion(_bridge: CommunityBridge, title: string, body: string): Promise<string> {
    return `*${title}*\n${body}`
  }

  async sendDigest(input: {
    platformUserId: string
    key: string
    message: DigestMessage
    lookFirst: boolean
  }) {
    if (this.dmsClosed.has(input.platformUserId))
      throw new DeliveryError(this.platform, DMS_CLOSED, { retryable: false })
    if (input.lookFirst && this.digests.some((d) => d.key === input.key)) return
    this.digests.push({ platformUserId: input.platformUserId, key: input.key, message: input.message })
  }

  quote(line: string): string {
    return `> ${line}`
  }

  async publishDiscussion(input: PublishDiscussion): Promise<PostedPart[]> {
    const root = this.id()
    this.posted.push({ threadId: root, parts: input.parts })
    return input.parts.map((_, part) => ({
      part,
      messageId: part === 0 ? root : this.id(),
      threadId: root,
      channelId: input.bridge.channelId,
    }))
  }

  async publishReply(input: PublishReply): Promise<PostedPart[]> {
    this.posted.push({ threadId: input.threadId, parts: input.parts })
    return input.parts.map((_, part) => ({
      part,
      messageId: this.id(),
      threadId: input.threadId,
      channelId: input.bridge.channelId,
    }))
  }

  async editMessage(input: MessageAt & { text: string }): Promise<void> {
    this.edited.push(input)
  }

  async deleteMessage(input: MessageAt): Promise<void> {
    this.deleted.push(input)
  }

  async removeOriginal(input: MessageAt): Promise<boolean> {
    if (!this.removesOriginals) return false
    this.removedOriginals.push(input)
    return true
  }

  async mayRemoveOriginals(): Promise<boolean> {
    return this.removesOriginals
  }

  /** Accounts this platform says moderate the bridged channel by its own rights. */
  readonly platformModerators = new Set<string>()

  async moderates(_bridge: CommunityBridge, platformUserId: string): Promise<boolean> {
    return this.platformModerators.has(platformUserId)
  }

  async setReaction(input: MessageAt & { emoji: string; present: boolean }): Promise<void> {
    this.reactions.push(input)
  }

  async findPublished(): Promise<PostedPart[]> {
    return []
  }

  async tellPrivately(notice: PrivateNotice): Promise<void> {
    const failure = this.failNotices.shift()
    if (failure !== undefined) throw failure
    this.told.push(notice)
  }

  async directMessage(platformUserId: string, text: string): Promise<void> {
    this.directMessages.push({ platformUserId, text })
  }

  async lookUpUser(platformUserId: string): Promise<Person | undefined> {
    this.lookedUp.push(platformUserId)
    return this.people[platformUserId]
  }

  /** The bot's own account here, when a test gives it one. */
  ownAccountId: string | undefined

  async isOwnAccount(platformUserId: string): Promise<boolean> {
    return platformUserId === this.ownAccountId
  }

  async lookUpChannel(): Promise<string | undefined> {
    return undefined
  }

  private id(): string {
    this.next += 1
    return `${this.platform}-${this.next}`
  }
}
