import type { Core } from '../core.ts'
import type { PlatformActor } from '../platform/platform.ts'
import { describeFrequency } from './describe-digests.ts'
import type { DigestContent } from './digest-content.ts'

/** Buttons' ids start with this; what follows says what they do. */
export const DIGEST_ACTION_PREFIX = 'digest:'

/** Unsubscribe buttons for the first discussions; the rest are reached from their threads. */
const UNSUBSCRIBE_BUTTONS = 5

/**
 * The one-click ways out a digest ends with: unsubscribe from each discussion it shows, send
 * weekly instead, stop all. Discourse's users found unsubscribing "simply too hard"; here each is
 * one button that works from the DM itself.
 */
export function digestActions(content: DigestContent): { id: string; label: string; danger?: boolean }[] {
  return [
    ...content.discussions.slice(0, UNSUBSCRIBE_BUTTONS).map((d) => ({
      id: `${DIGEST_ACTION_PREFIX}unsubscribe:${d.discussionId}`,
      label: `Unsubscribe from #${d.number}`,
    })),
    ...[...new Map(content.newDiscussions.map((d) => [d.communityId, d.communityName])).entries()].map(
      ([communityId, name]) => ({
        id: `${DIGEST_ACTION_PREFIX}unsubscribe-community:${communityId}`,
        label: `No more new discussions of ${name}`,
      }),
    ),
    { id: `${DIGEST_ACTION_PREFIX}frequency:weekly`, label: 'Weekly instead' },
    { id: `${DIGEST_ACTION_PREFIX}frequency:daily`, label: 'Daily instead' },
    { id: `${DIGEST_ACTION_PREFIX}stop`, label: 'Stop all', danger: true },
  ]
}

/**
 * Applies a digest button for the person who clicked it and says what changed, in one line.
 * An id we did not make (or a discussion since deleted) answers without changing anything.
 */
export async function applyDigestAction(
  core: Core,
  actor: PlatformActor,
  id: string,
  /** How the person types a command where they pressed the button: `/digest`, `/threadbridge digest`. */
  commandLine: (name: string) => string,
): Promise<string> {
  const action = id.startsWith(DIGEST_ACTION_PREFIX) ? id.slice(DIGEST_ACTION_PREFIX.length) : ''
  const [verb, argument = ''] = action.split(':')
  if (verb === 'unsubscribe' && /^[0-9a-f-]{36}$/.test(argument)) {
    const found = await core.discussionById(argument)
    if (found === undefined) return 'That discussion no longer exists: there is nothing to unsubscribe from.'
    await core.subscriptions.unsubscribe(actor, { discussionId: argument })
    return `You will no longer hear of replies in #${found.number}${found.title === null ? '' : ` “${found.title}”`}.`
  }
  if (verb === 'unsubscribe-community' && argument !== '') {
    const community = (await core.communities.list()).find((c) => c.id === argument)
    if (community === undefined) return 'That community is no longer bridged here.'
    await core.subscriptions.unsubscribe(actor, { communityId: community.id })
    const undo =
      actor.platform === 'discord'
        ? `${commandLine('subscribe')} discussion: new`
        : `${commandLine('subscribe')} new`
    return `You will no longer hear of new discussions in ${community.name}. Undo it with ${undo}.`
  }
  if (verb === 'frequency' && (argument === 'weekly' || argument === 'daily')) {
    const preferences = await core.subscriptions.setPreferences(actor, { digestFrequency: argument })
    return `You will now hear of replies ${describeFrequency(preferences)}. Change it with ${commandLine('digest')}.`
  }
  if (verb === 'stop') {
    await core.subscriptions.setPreferences(actor, { digestFrequency: 'off' })
    return `Notifications are off: no more digests. Turn them on again with ${commandLine('digest')} daily (or immediate, weekly).`
  }
  return 'That button is no longer valid.'
}
