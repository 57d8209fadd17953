import { describe, expect, it } from 'vitest'
import { DeliveryError, ThreadbridgeError } from '../../../src/errors.ts'
import { moderatorMessages } from '../../../src/mirror/moderator-messages.ts'

describe('what moderators read', () => {
  it('says what a platform refusal means and what to do, after the platform’s own reason', () => {
    const archived = new DeliveryError('slack', 'is_archived', { retryable: false })
    expect(moderatorMessages.deadLetter('reply.created', '7', archived)).toBe(
      'Threadbridge could not mirror a reply created event (job 7) and has stopped trying: slack: is_archived. The Slack channel bridged to this community is archived. Unarchive it and what failed meanwhile is delivered.',
    )
    const untagged = new DeliveryError(
      'discord',
      '400 40067 A tag is required to create a forum post in this channel',
      { retryable: false },
    )
    expect(moderatorMessages.deadLetter('discussion.created', '6', untagged)).toMatch(
      /in this channel\. The bridged Discord forum requires a tag on every post .* turn Require tags off in the forum’s settings/,
    )
    const gone = new DeliveryError('discord', '404 10003 Unknown Channel', { retryable: false })
    expect(moderatorMessages.deadLetter('discussion.created', '8', gone)).toMatch(
      /Unknown Channel\. The Discord channel bridged to this community no longer exists\. Bridge the community/,
    )
  })

  it('adds nothing to a reason that already says what to do, and something to one it does not know', () => {
    const locked = new DeliveryError(
      'discord',
      'the Discord thread is locked, so nothing can be posted into it',
      {
        retryable: false,
      },
    )
    expect(moderatorMessages.deadLetter('reply.created', '9', locked)).toMatch(/posted into it\.$/)
    const odd = new DeliveryError('slack', 'something_new', { retryable: false })
    expect(moderatorMessages.deadLetter('reply.edited', '10', odd)).toMatch(
      /something_new\. Slack refused it, and trying again will not help\. Check that the bot/,
    )
    expect(
      moderatorMessages.deadLetter('reply.edited', '11', new ThreadbridgeError('unknown', 'boom')),
    ).toMatch(/boom\. It kept failing/)
  })
})
