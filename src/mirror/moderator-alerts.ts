import type { Clock } from '../clock.ts'
import type { Executor } from '../db/in-transaction.ts'
import type { Logger } from '../logger.ts'
import { moderatorAccounts } from '../members/memberships.ts'
import type { Platform } from '../platform/platform.ts'
import type { PlatformPort } from '../platform/platform-port.ts'

/**
 * Tells every moderator of a community, privately, on each platform where we can reach them.
 * What moderators cannot see they cannot fix: a mirror that stopped must not stop silently.
 */
export async function alertModerators(
  db: Executor,
  ports: ReadonlyMap<Platform, PlatformPort>,
  logger: Logger,
  communityId: string,
  text: string,
): Promise<number> {
  let told = 0
  for (const account of await moderatorAccounts(db, communityId)) {
    const port = ports.get(account.platform)
    if (port === undefined) continue
    try {
      await port.directMessage(account.platformUserId, text)
      told += 1
    } catch (error) {
      logger.warn(
        { platform: account.platform, reason: error instanceof Error ? error.message : String(error) },
        'could not alert a moderator',
      )
    }
  }
  return told
}

/**
 * Which alerts went out lately. A cause that repeats (an archived channel fails every job sent
 * to it) is worth one message to the moderators per window, not one per failure; every failure
 * is still recorded as its own dead letter.
 */
export class RecentAlerts {
  private readonly sentAt = new Map<string, number>()

  constructor(
    private readonly clock: Clock,
    private readonly windowMs = 60 * 60_000,
  ) {}

  /** True if nothing was sent for `key` within the window (and notes that something is now). */
  firstIn(key: string): boolean {
    const now = this.clock.now().getTime()
    const last = this.sentAt.get(key)
    if (last !== undefined && now - last < this.windowMs) return false
    this.sentAt.set(key, now)
    for (const [k, at] of this.sentAt) if (now - at >= this.windowMs) this.sentAt.delete(k)
    return true
  }
}
