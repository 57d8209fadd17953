import type { App } from '@slack/bolt'
import { ZodError } from 'zod'
import { asThreadbridgeError } from '../../src/errors.ts'
import type { InboundDecisions } from '../../src/inbound/inbound-decisions.ts'
import type { InboundRunner } from '../../src/inbound/inbound-runner.ts'
import type { InboundEvent } from '../../src/inbound/inbound-spool.ts'
import type { Logger } from '../../src/logger.ts'
import { fromSlackEvent, slackEnvelope } from './slack-events.ts'

/** The channel events we take in, as Bolt's `app.event` and the app's manifest name them. */
const CHANNEL_EVENTS = ['channel_archive', 'channel_deleted', 'channel_unarchive'] as const
const REACTION_EVENTS = ['reaction_added', 'reaction_removed'] as const

/**
 * Every event the bridge listens to, as the app's manifest subscribes to them
 * (settings.event_subscriptions.bot_events, https://api.slack.com/events): messages in the
 * public channels it is in (`app.message` hears them as `message.channels`), and the channel
 * and reaction events above. test/unit/adapters/slack-manifest.test.ts holds slack-manifest.yml to it.
 */
export const SLACK_BOT_EVENTS: readonly string[] = ['message.channels', ...CHANNEL_EVENTS, ...REACTION_EVENTS]

export interface SlackInboundDeps {
  decisions: InboundDecisions
  logger: Logger
  runner: InboundRunner
  /**
   * Whether events in this channel are taken in; every channel when absent. The bot is in every
   * channel someone invites it to: events from the others are dropped before they are spooled.
   */
  bridged?: (channelId: string) => boolean
}

/**
 * Takes Slack's events in: each is kept as it came (plain JSON, in the spool until applied, so a
 * replay after a restart applies it exactly as the first attempt would have), parsed into the
 * core's terms, and decided on by InboundDecisions. Bot messages (ours above all: Bolt's
 * ignoreSelf drops them first) are never taken back in, and events from channels no community is
 * bridged to are dropped before they are kept.
 */
export function listenToSlack(app: App, { decisions, logger, runner, bridged }: SlackInboundDeps): void {
  const apply = async (event: InboundEvent): Promise<void> => {
    let parsed: ReturnType<typeof fromSlackEvent>
    try {
      parsed = fromSlackEvent(event.kind, event.data, event.eventId)
    } catch (error) {
      if (!(error instanceof ZodError)) throw error
      // Never a crash, never the message's words in the log: where it was malformed, and how.
      logger.warn(
        { platform: 'slack', kind: event.kind, event: event.eventId, issues: issuesOf(error) },
        'refused a Slack event that does not have the shape Threadbridge reads',
      )
      return
    }
    if (parsed !== undefined) await decisions.apply(parsed)
  }
  const submit = async (kind: string, key: string, eventId: string, data: unknown) => {
    // Every event we take in is keyed by its channel.
    if (bridged !== undefined && !bridged(key)) return
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
    const { channel, ts, subtype } = message as { channel?: unknown; ts?: unknown; subtype?: unknown }
    const fallback = `${String(channel)}:${String(ts)}:${typeof subtype === 'string' ? subtype : 'new'}`
    await submit('message', String(channel), eventIdOf(body, fallback), message)
  })
  for (const name of CHANNEL_EVENTS) {
    app.event(name, async ({ event, body }) => {
      await submit(name, event.channel, eventIdOf(body, `${name}:${event.channel}`), {
        channel: event.channel,
      })
    })
  }
  for (const name of REACTION_EVENTS) {
    app.event(name, async ({ event, body, context }) => {
      const item = event.item as { type: string; channel?: string; ts?: string }
      if (item.type !== 'message' || !item.channel || !item.ts || event.user === context.botUserId) return
      const reaction = { channel: item.channel, ts: item.ts, user: event.user, reaction: event.reaction }
      await submit(name, item.channel, eventIdOf(body, `${name}:${item.ts}:${event.user}`), reaction)
    })
  }
}

function eventIdOf(body: unknown, fallback: string): string {
  const envelope = slackEnvelope.safeParse(body)
  return (envelope.success ? envelope.data.event_id : undefined) ?? fallback
}

/** Where and how a payload was malformed: paths and codes only, never values (they may be someone's words). */
export function issuesOf(error: ZodError): string[] {
  return error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.code}`)
}
