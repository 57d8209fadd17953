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

  channelUnarchived(platform: Platform, retried: number): string {
    const retrying =
      retried === 0
        ? ''
        : `; ${retried} ${retried === 1 ? 'delivery that' : 'deliveries that'} failed meanwhile ${retried === 1 ? 'is' : 'are'} being retried`
    return `The ${NAMES[platform]} channel bridged to this community was unarchived, so Threadbridge posts there again${retrying}.`
  },
}
