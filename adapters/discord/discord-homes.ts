import { ChannelType, type Client, RESTJSONErrorCodes, type Webhook } from 'discord.js'
import type { CommunityBridge } from '../../src/communities/community-registry.ts'
import { DeliveryError } from '../../src/errors.ts'
import { isDiscordError, toDeliveryError } from './discord-errors.ts'

const WEBHOOK_NAME = 'Threadbridge'

/** Where a community lives on Discord: a forum (posts are threads) or a text channel (threads start from messages). */
export interface Home {
  webhook: Webhook
  kind: 'forum' | 'text'
}

/**
 * Each bridged channel's kind and the webhook we post through there, found (ours by name and
 * application) or made once: one webhook per channel serves every thread in it through
 * thread_id (https://discord.com/developers/docs/resources/webhook#execute-webhook).
 */
export class DiscordHomes {
  private readonly homes = new Map<string, Promise<Home>>()

  constructor(private readonly client: Client) {}

  of(bridge: CommunityBridge): Promise<Home> {
    let home = this.homes.get(bridge.channelId)
    if (home === undefined) {
      home = this.find(bridge.channelId)
      this.homes.set(bridge.channelId, home)
    }
    return home
  }

  /** The ids of the webhooks found so far: messages from them are our own. */
  async webhookIds(): Promise<Set<string>> {
    const homes = await Promise.all([...this.homes.values()].map((h) => h.catch(() => undefined)))
    return new Set(homes.filter((h): h is Home => h !== undefined).map((h) => h.webhook.id))
  }

  /**
   * A call through a bridged channel's webhook. If an admin deleted the webhook (10015 Unknown
   * Webhook), it is forgotten, so the next attempt finds or makes another, and the failure is
   * retryable: kept, every later delivery to the channel would fail until a restart.
   */
  async viaWebhook<T>(channelId: string, call: () => Promise<T>): Promise<T> {
    try {
      return await call()
    } catch (error) {
      const cause = error instanceof DeliveryError ? error.cause : error
      if (!isDiscordError(cause, RESTJSONErrorCodes.UnknownWebhook)) throw error
      this.homes.delete(channelId)
      throw new DeliveryError(
        'discord',
        'the webhook Threadbridge posts through was deleted; a new one is made next time',
        { retryable: true, cause },
      )
    }
  }

  private async find(channelId: string): Promise<Home> {
    try {
      const channel = await this.client.channels.fetch(channelId)
      if (
        channel === null ||
        (channel.type !== ChannelType.GuildForum && channel.type !== ChannelType.GuildText)
      )
        throw new DeliveryError('discord', `channel ${channelId} is not a forum or text channel`, {
          retryable: false,
        })
      const existing = await channel.fetchWebhooks()
      const ours = existing.find(
        (w) => w.name === WEBHOOK_NAME && w.applicationId === this.client.application?.id,
      )
      return {
        webhook: ours ?? (await channel.createWebhook({ name: WEBHOOK_NAME })),
        kind: channel.type === ChannelType.GuildForum ? 'forum' : 'text',
      }
    } catch (error) {
      this.homes.delete(channelId)
      throw toDeliveryError(error)
    }
  }
}
