import type { App } from '@slack/bolt'
import type { WebClient } from '@slack/web-api'
import type { Core } from '../../src/core.ts'
import { DELETED_DISCUSSION_TEXT } from '../../src/discussions/content-rules.ts'
import { asThreadbridgeError, isRefusalToTell, ValidationError } from '../../src/errors.ts'
import { canonicalEmoji } from '../../src/format/emoji.ts'
import { slackToPlain } from '../../src/format/index.ts'
import type { InboundRunner } from '../../src/inbound/inbound-runner.ts'
import type { InboundEvent } from '../../src/inbound/inbound-spool.ts'
import type { Logger } from '../../src/logger.ts'
import type { DeadLetters, ModeratorAlerts } from '../../src/mirror/mirror-gone.ts'
import type { PlatformActor } from '../../src/platform/platform.ts'

interface SlackMessageEvent {
  type: 'message'
  subtype?: string
  channel: string
  user?: string
  bot_id?: string
  text?: string
  ts: string
  thread_ts?: string
  files?: { name?: string; url_private?: string; permalink?: string; size?: number; mimetype?: string }[]
  message?: SlackMessageEvent
  deleted_ts?: string
  previous_message?: SlackMessageEvent
}

/**
 * Takes Slack's events into the core: a top-level message in a bridged channel starts a
 * discussion (its first line is the title), thread replies are replies, and message_changed /
 * message_deleted follow. Bot messages (ours above all: Bolt's ignoreSelf drops them first) are
 * never taken back in.
 */
export interface SlackInboundDeps {
  core: Core
  logger: Logger
  alerts: ModeratorAlerts
  runner: InboundRunner
  deadLetters: DeadLetters
}

export function listenToSlack(
  app: App,
  { core, logger, alerts, runner, deadLetters }: SlackInboundDeps,
): void {
  const people = new PeopleCache(app.client)
  // Slack's events are plain JSON: the spool keeps them as they came, and a replay after a
  // restart applies them exactly as the first attempt would have.
  const apply = (event: InboundEvent): Promise<void> => {
    switch (event.kind) {
      case 'message':
        return onMessage(core, people, app.client, alerts, event.data as SlackMessageEvent, event.eventId)
      case 'reaction_added':
      case 'reaction_removed':
        return onReaction(core, event.data as SlackReactionEvent, event.kind === 'reaction_added')
      case 'channel_archive':
      case 'channel_deleted':
        return onChannelGone(core, alerts, event.kind, (event.data as { channel: string }).channel)
      case 'channel_unarchive':
        return onChannelBack(core, alerts, deadLetters, (event.data as { channel: string }).channel)
      default:
        throw new ValidationError(`${event.kind} is not a Slack event Threadbridge knows`)
    }
  }
  const submit = (kind: string, key: string, eventId: string, data: unknown) => {
    const event: InboundEvent = { platform: 'slack', key, kind, eventId, data }
    return runner
      .submit(event, () => apply(event))
      .catch((error: unknown) => {
        const failure = asThreadbridgeError(error)
        logger.error(
          { code: failure.code, event: kind, eventId, reason: failure.message },
          'a Slack event could not be applied',
        )
      })
  }
  runner.resume('slack', apply)

  app.message(async ({ message, body }) => {
    const event = message as unknown as SlackMessageEvent
    const eventId =
      (body as { event_id?: string }).event_id ?? `${event.channel}:${event.ts}:${event.subtype ?? 'new'}`
    await submit('message', event.channel, eventId, event)
  })
  for (const name of ['channel_archive', 'channel_deleted', 'channel_unarchive'] as const) {
    app.event(name, async ({ event, body }) => {
      await submit(name, event.channel, eventIdOf(body, `${name}:${event.channel}`), {
        channel: event.channel,
      })
    })
  }
  for (const name of ['reaction_added', 'reaction_removed'] as const) {
    app.event(name, async ({ event, body, context }) => {
      const item = event.item as { type: string; channel?: string; ts?: string }
      if (item.type !== 'message' || !item.channel || !item.ts || event.user === context.botUserId) return
      const reaction: SlackReactionEvent = {
        channel: item.channel,
        ts: item.ts,
        user: event.user,
        reaction: event.reaction,
      }
      await submit(name, item.channel, eventIdOf(body, `${name}:${item.ts}:${event.user}`), reaction)
    })
  }
}

interface SlackReactionEvent {
  channel: string
  ts: string
  user: string
  reaction: string
}

function eventIdOf(body: unknown, fallback: string): string {
  return (body as { event_id?: string }).event_id ?? fallback
}

async function onReaction(core: Core, event: SlackReactionEvent, added: boolean): Promise<void> {
  const link = await core.linkedContent({ platform: 'slack', channelId: event.channel, messageId: event.ts })
  if (link === undefined) return
  await core.react({
    discussionId: link.discussionId,
    replyId: link.replyId,
    emoji: canonicalEmoji('slack', { name: event.reaction }),
    platform: 'slack',
    platformUserId: event.user,
    added,
  })
}

const CHANNEL_GONE_TEXT = {
  channel_archive:
    'The Slack channel bridged to this community was archived, so Threadbridge cannot post there until it is unarchived. What fails meanwhile is kept, with the reason, as dead letters.',
  channel_deleted:
    'The Slack channel bridged to this community was deleted, so Threadbridge can no longer mirror to Slack. Bridge the community to another Slack channel in its configuration.',
}

async function onChannelGone(
  core: Core,
  alerts: ModeratorAlerts,
  kind: keyof typeof CHANNEL_GONE_TEXT,
  channel: string,
): Promise<void> {
  const community = await core.communities.findByChannel('slack', channel)
  if (community !== undefined) await alerts.tellModerators(community.id, CHANNEL_GONE_TEXT[kind])
}

/**
 * The bridged channel is back from the archive: what failed while it was archived (kept as dead
 * letters) is put back in the queue, in order, and moderators hear that it was.
 */
async function onChannelBack(
  core: Core,
  alerts: ModeratorAlerts,
  deadLetters: DeadLetters,
  channel: string,
): Promise<void> {
  const community = await core.communities.findByChannel('slack', channel)
  if (community === undefined) return
  const retried = await deadLetters.retryDeadFailedWith(community.id, 'slack: is_archived')
  await alerts.tellModerators(
    community.id,
    `The Slack channel bridged to this community was unarchived, so Threadbridge posts there again${retried > 0 ? `; ${retried} ${retried === 1 ? 'delivery that' : 'deliveries that'} failed meanwhile ${retried === 1 ? 'is' : 'are'} being retried` : ''}.`,
  )
}

async function onMessage(
  core: Core,
  people: PeopleCache,
  client: WebClient,
  alerts: ModeratorAlerts,
  event: SlackMessageEvent,
  eventId: string,
): Promise<void> {
  const community = await core.communities.findByChannel('slack', event.channel)
  if (community === undefined) return
  const origin = { platform: 'slack' as const, eventId }
  const deleted = async (ts: string, wasThreadRoot: boolean) => {
    const link = await core.linkedContent({ platform: 'slack', channelId: event.channel, messageId: ts })
    if (link === undefined) return
    if (link.origin === 'source') {
      await core.inbound(origin, async (s) => {
        if (link.replyId !== null) await s.atSource('slack').replyDeleted(link.replyId)
        else await s.atSource('slack').openingPostDeleted(link.discussionId)
      })
    } else if (link.replyId === null && wasThreadRoot) {
      // Someone (an admin) deleted our mirror of a discussion: the thread's home on Slack is
      // gone. Stop writing to it, as for a deleted Discord thread, and say so once. (The later
      // parts of a long opening post live in the thread; the bot deletes those itself when an
      // edit makes the post shorter, and that is no reason for alarm.)
      if (await core.mirrorGone(link.discussionId, 'slack', 'the Slack thread was deleted')) {
        const { title } = await core.discussions.get(link.discussionId)
        await alerts.tellModerators(
          community.id,
          `The Slack thread of "${title ?? DELETED_DISCUSSION_TEXT}" was deleted, so Threadbridge no longer mirrors that discussion to Slack. It continues on the other platforms.`,
        )
      }
    }
  }

  if (event.subtype === 'message_changed' && event.message) {
    const edited = event.message
    // A deleted thread parent with replies is not removed but becomes a tombstone.
    if (edited.subtype === 'tombstone') return deleted(edited.ts, true)
    if (edited.bot_id || !edited.user) return
    const link = await core.linkedContent({
      platform: 'slack',
      channelId: event.channel,
      messageId: edited.ts,
    })
    if (link === undefined || link.origin !== 'source') return
    // An edit that only changed the thread's reply count (Slack sends those too) changes nothing.
    if (edited.text === event.previous_message?.text) return
    const editor = await people.actor(edited.user)
    const text = edited.text ?? ''
    await core.inbound(origin, async (s) => {
      if (link.replyId !== null)
        await s.replies.edit({ replyId: link.replyId, editor, body: text, sourcePlatform: 'slack' })
      else
        await s.discussions.edit({
          discussionId: link.discussionId,
          editor,
          ...splitTitle(text),
          sourcePlatform: 'slack',
        })
    })
    return
  }
  if (event.subtype === 'message_deleted' && event.deleted_ts) {
    const rootOf = event.previous_message?.thread_ts
    return deleted(event.deleted_ts, rootOf === undefined || rootOf === event.deleted_ts)
  }
  if (event.subtype !== undefined && event.subtype !== 'thread_broadcast' && event.subtype !== 'file_share')
    return
  if (event.bot_id || !event.user) return

  const author = await people.actor(event.user)
  const text = event.text ?? ''
  const attachments = (event.files ?? []).map((f) => ({
    fileName: f.name ?? 'file',
    url: f.permalink ?? f.url_private ?? '',
    sizeBytes: f.size ?? null,
    contentType: f.mimetype ?? null,
  }))
  const source = {
    platform: 'slack' as const,
    channelId: event.channel,
    messageId: event.ts,
    threadId: event.thread_ts ?? event.ts,
  }

  if (event.thread_ts === undefined || event.thread_ts === event.ts) {
    const { title, body } = splitTitle(text)
    await core
      .inbound(origin, (s) =>
        s.discussions.start({
          communityId: community.id,
          author,
          title,
          body,
          format: 'slack',
          attachments,
          source,
        }),
      )
      .catch((error: unknown) => tellPrivately(core, client, event, error, null))
    return
  }
  // Only a root posted moments ago can be a mirror whose link is still being written.
  const recentRoot = Date.now() / 1000 - Number(event.thread_ts) < 60
  const discussion = await (recentRoot ? core.linkedContentSoon.bind(core) : core.linkedContent.bind(core))({
    platform: 'slack',
    channelId: event.channel,
    messageId: event.thread_ts,
  })
  if (discussion === undefined) return // a thread from before the bridge
  await core
    .inbound(origin, (s) =>
      s.replies.post({
        discussionId: discussion.discussionId,
        author,
        body: text,
        format: 'slack',
        attachments,
        source,
      }),
    )
    .catch((error: unknown) => tellPrivately(core, client, event, error, discussion.discussionId))
}

/** A top-level Slack message's first line is the discussion's title; the rest (or the line) its body. */
function splitTitle(text: string): { title: string; body: string } {
  const [first = '', ...rest] = text.split('\n')
  const title = slackToPlain(first).trim().slice(0, 300) || 'Discussion'
  const body = rest.join('\n').trim()
  return { title, body: body === '' ? text : body }
}

async function tellPrivately(
  core: Core,
  client: WebClient,
  event: SlackMessageEvent,
  error: unknown,
  discussionId: string | null,
) {
  if (!isRefusalToTell(error)) throw error
  if (!event.user) return
  if (discussionId !== null && !(await core.firstNonMemberNotice('slack', event.user, discussionId))) return
  await client.chat.postEphemeral({
    channel: event.channel,
    user: event.user,
    text: error.message,
    ...(event.thread_ts ? { thread_ts: event.thread_ts } : {}),
  })
}

/** Display names and avatars from users.info, remembered for a few minutes. */
class PeopleCache {
  private readonly cache = new Map<string, { actor: PlatformActor; at: number }>()

  constructor(private readonly client: WebClient) {}

  async actor(userId: string): Promise<PlatformActor> {
    const cached = this.cache.get(userId)
    if (cached && Date.now() - cached.at < 5 * 60_000) return cached.actor
    const info = await this.client.users.info({ user: userId }).catch(() => undefined)
    const profile = info?.user?.profile
    const actor: PlatformActor = {
      platform: 'slack',
      platformUserId: userId,
      displayName: profile?.display_name || profile?.real_name || info?.user?.name || userId,
      avatarUrl: profile?.image_72 ?? null,
    }
    this.cache.set(userId, { actor, at: Date.now() })
    return actor
  }
}
