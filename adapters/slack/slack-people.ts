import type { WebClient } from '@slack/web-api'
import type { Clock } from '../../src/clock.ts'
import { escapeSlack } from '../../src/format/discord-to-slack.ts'
import type { RateShaper } from '../../src/mirror/rate-shaper.ts'
import { visibleName } from '../../src/names/visible-name.ts'
import type { Person, PrivateNotice } from '../../src/platform/platform-port.ts'
import { toDeliveryError } from './slack-errors.ts'

/** Slack takes 40,000 characters; our notices stay under the 4,000 it recommends. */
const MAX_TEXT = 4000
/** People rename themselves rarely; their name and avatar are remembered this long. */
const PERSON_TTL_MS = 5 * 60_000

/**
 * The people-facing half of the Slack port: ephemeral messages, direct messages, and names
 * looked up for attribution and mentions. Every inbound message needs its author's name, so
 * users.info answers are remembered for a few minutes.
 */
export class SlackPeople {
  private readonly people = new Map<string, { person: Person; at: number }>()
  /** The bot user's id, asked of auth.test once it answers. */
  private ownId: Promise<string | undefined> | undefined

  constructor(
    protected readonly client: WebClient,
    protected readonly clock: Clock,
    protected readonly shaper: RateShaper,
  ) {}

  /**
   * chat.postEphemeral where the person wrote (in their thread when they wrote in one); only they
   * see it. Not spaced with the channel's posts: it is Tier 4, and a notice must not hold up mirrors.
   */
  async tellPrivately(notice: PrivateNotice): Promise<void> {
    try {
      await this.client.chat.postEphemeral({
        channel: notice.channelId,
        user: notice.platformUserId,
        text: escapeSlack(notice.text).slice(0, MAX_TEXT),
        ...(notice.threadId ? { thread_ts: notice.threadId } : {}),
      })
    } catch (error) {
      throw toDeliveryError(error)
    }
  }

  /** chat.postMessage with the user's id as channel: Slack opens the DM with them. */
  async directMessage(platformUserId: string, text: string): Promise<void> {
    await this.call('post-message', platformUserId, () =>
      this.client.chat.postMessage({ channel: platformUserId, text: escapeSlack(text).slice(0, MAX_TEXT) }),
    )
  }

  /**
   * users.info: the display name, else the real name, else the handle (the first that shows
   * something once bidi controls, fillers and zero-width characters are removed), and the 72 px
   * avatar (https://api.slack.com/types/user: `profile.display_name` may be empty).
   * Undefined when Slack cannot say (no such user, or it did not answer): callers fall back to
   * the id rather than hold up a message for a name.
   */
  async lookUpUser(platformUserId: string): Promise<Person | undefined> {
    const now = this.clock.now().getTime()
    const cached = this.people.get(platformUserId)
    if (cached && now - cached.at < PERSON_TTL_MS) return cached.person
    const info = await this.client.users.info({ user: platformUserId }).catch(() => undefined)
    if (info?.user === undefined) return undefined
    const profile = info.user.profile
    const person: Person = {
      displayName: visibleName([profile?.display_name, profile?.real_name, info.user.name], platformUserId),
      avatarUrl: profile?.image_72 ?? null,
    }
    this.people.set(platformUserId, { person, at: now })
    return person
  }

  /** auth.test's `user_id`: the bot user. Asked again after a failure, so an outage is not remembered. */
  async isOwnAccount(platformUserId: string): Promise<boolean> {
    this.ownId ??= this.client.auth.test().then(
      (answer) => answer.user_id,
      () => {
        this.ownId = undefined
        return undefined
      },
    )
    return (await this.ownId) === platformUserId
  }

  /** conversations.info: the channel's name without its #; undefined for a channel Slack does not show us. */
  async lookUpChannel(channelId: string): Promise<string | undefined> {
    const info = await this.client.conversations.info({ channel: channelId }).catch(() => undefined)
    return info?.channel?.name
  }

  protected async call<T>(bucket: string, key: string, work: () => Promise<T>): Promise<T> {
    try {
      return await this.shaper.schedule(bucket, key, work)
    } catch (error) {
      throw toDeliveryError(error)
    }
  }
}
