import { DeliveryError, ThreadbridgeError } from '../errors.ts'
import type { Platform } from '../platform/platform.ts'

const NAMES: Record<Platform, string> = { discord: 'Discord', slack: 'Slack' }

/** A platform's name as people write it. */
export function platformName(platform: Platform): string {
  return NAMES[platform]
}

/**
 * The words moderators read, in one place: each says what happened and what, if anything, they
 * should do. Sent privately (see alertModerators), once per cause and hour.
 */
export const moderatorMessages = {
  /** A discussion's thread (or its root message) was deleted on a platform by someone there. */
  threadDeleted(platform: Platform, what: string): string {
    const thread = platform === 'discord' ? `The Discord thread "${what}"` : `The Slack thread of "${what}"`
    return `${thread} was deleted, so Threadbridge no longer mirrors that discussion to ${NAMES[platform]}. It continues on the other platforms.`
  },

  channelDeleted(platform: Platform, name?: string): string {
    const channel = `The ${NAMES[platform]} channel${name ? ` #${name}` : ''}`
    return `${channel} bridged to this community was deleted, so Threadbridge can no longer mirror to ${NAMES[platform]}. Bridge the community to another ${NAMES[platform]} channel in its configuration.`
  },

  channelArchived(platform: Platform): string {
    return `The ${NAMES[platform]} channel bridged to this community was archived, so Threadbridge cannot post there until it is unarchived. What fails meanwhile is kept, with the reason, as dead letters.`
  },

  /**
   * A job was dead-lettered: which, the platform's own reason (it is also the dead letter's
   * record, and what moderators would search for), then what it means and what to do.
   */
  deadLetter(eventType: string, jobId: string, error: ThreadbridgeError): string {
    return `Threadbridge could not mirror a ${eventType.replace('.', ' ')} event (job ${jobId}) and has stopped trying: ${error.message}. ${explainFailure(error)}`.trimEnd()
  },

  channelUnarchived(platform: Platform, retried: number): string {
    const retrying =
      retried === 0
        ? ''
        : `; ${retried} ${retried === 1 ? 'delivery that' : 'deliveries that'} failed meanwhile ${retried === 1 ? 'is' : 'are'} being retried`
    return `The ${NAMES[platform]} channel bridged to this community was unarchived, so Threadbridge posts there again${retrying}.`
  },
}

/** What a platform's refusal means for a moderator, and what they can do about it. */
const SLACK_REASONS: Record<string, string> = {
  is_archived:
    'The Slack channel bridged to this community is archived. Unarchive it and what failed meanwhile is delivered.',
  channel_not_found:
    'Slack cannot find the bridged channel: it was deleted, or the bot was never added. Add the bot to it, or bridge the community to another channel.',
  not_in_channel: 'The bot is not in the bridged Slack channel. Invite it to the channel.',
  msg_too_long:
    'Slack refused the message as too long. Nothing can be done for this one; tell us if it repeats.',
  no_text: 'Slack refused the message as empty. Nothing can be done for this one; tell us if it repeats.',
  cant_update_message:
    'Slack did not let the bot change its own message there. Nothing can be done for this one; tell us if it repeats.',
  message_not_found:
    'The message to change was already deleted on Slack. Nothing needs doing: that copy is gone.',
  thread_not_found: 'The Slack thread was deleted. Nothing more is mirrored into it.',
  invalid_auth:
    'Slack no longer accepts the bot’s token. Reinstall the Slack app and update SLACK_BOT_TOKEN.',
  token_revoked:
    'Slack no longer accepts the bot’s token. Reinstall the Slack app and update SLACK_BOT_TOKEN.',
  account_inactive:
    'The bot’s Slack account was deactivated. Reinstall the Slack app and update SLACK_BOT_TOKEN.',
  missing_scope: 'The Slack app lacks a permission it needs. Reinstall it with the scopes in the README.',
  restricted_action: 'A Slack workspace setting forbids the bot to post there. A Slack admin can allow it.',
}

/** Discord's JSON error codes, as they lead the reason after the HTTP status ("404 10003 …"). */
const DISCORD_CODES: Record<string, string> = {
  '10003':
    'The Discord channel bridged to this community no longer exists. Bridge the community to another channel in its configuration.',
  '10008': 'The message to change was already deleted on Discord. Nothing needs doing: that copy is gone.',
  '10015':
    'The webhook Threadbridge posts through on Discord was deleted; it makes a new one for the next delivery. Retry this one to deliver it.',
  '40067':
    'The bridged Discord forum requires a tag on every post ("Require people to select tags when posting"), and Threadbridge posts without one, so nothing started on Slack reaches Discord. A server admin can turn Require tags off in the forum’s settings (Edit Channel), or the community can be bridged to a channel that does not require tags; then retry what failed (/bridge action: retry on Discord, /threadbridge bridge retry on Slack).',
  '50001': 'The bot cannot see the bridged Discord channel. Give its role View Channel on it.',
  '50013':
    'The bot lacks a permission in the bridged Discord channel. Give its role Manage Webhooks, Send Messages in Threads and Manage Threads there.',
  '50035': 'Discord refused the message as malformed (too long, or an empty title). Tell us if it repeats.',
}

/**
 * What to do about a dead letter, from the reason stored with it (`slack: is_archived`,
 * `discord: 403 50013 Missing Permissions`), in the same words its alert used.
 */
export function explainStoredFailure(lastError: string | null): string {
  const stored = /^(discord|slack): (.*)$/s.exec(lastError ?? '')
  const error =
    stored === null
      ? new ThreadbridgeError('unknown', lastError ?? 'unknown')
      : new DeliveryError(stored[1] as Platform, stored[2] ?? '', { retryable: false })
  return explainFailure(error)
}

function explainFailure(error: ThreadbridgeError): string {
  if (!(error instanceof DeliveryError))
    return 'It kept failing; the reason is kept with the dead letter. Tell us if it repeats.'
  if (error.platform === 'slack') {
    const known = SLACK_REASONS[error.reason]
    if (known !== undefined) return known
  } else {
    const code = /^\d{3} (\d+) /.exec(error.reason)?.[1]
    const known = code === undefined ? undefined : DISCORD_CODES[code]
    if (known !== undefined) return known
    // Our own reasons for Discord (a locked thread, a missing Manage Threads) already say what to do.
    if (error.reason.startsWith('the ')) return ''
  }
  return `${NAMES[error.platform]} refused it, and trying again will not help. Check that the bot still has access to the bridged channel; tell us if it repeats.`
}
