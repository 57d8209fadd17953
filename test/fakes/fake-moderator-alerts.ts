import type { DeadLetters, ModeratorAlerts } from '../../src/mirror/mirror-gone.ts'

/** Moderator alerts and dead letters in memory: what moderators were told, and what was put back. */
export class FakeModeratorAlerts implements ModeratorAlerts, DeadLetters {
  readonly sent: { communityId: string; text: string }[] = []
  readonly retried: { communityId: string; reasonPrefix: string }[] = []
  /** How many dead letters retryDeadFailedWith reports it put back. */
  deadLetterCount = 0

  async tellModerators(communityId: string, text: string): Promise<void> {
    this.sent.push({ communityId, text })
  }

  async retryDeadFailedWith(communityId: string, reasonPrefix: string): Promise<number> {
    this.retried.push({ communityId, reasonPrefix })
    return this.deadLetterCount
  }
}
