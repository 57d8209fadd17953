import type { CommunityBridge } from '../../src/communities/community-registry.ts'
import type { Platform } from '../../src/platform/platform.ts'
import type { Person } from '../../src/platform/platform-port.ts'
import { FakePlatformPort } from './fake-platform-port.ts'

/**
 * A platform whose threads can be locked, as the mirror engine changes them. Like Discord, a
 * lock changes the thread's state and is reported back (`onChange`, the test's gateway: it
 * decides when the report arrives). Like Slack, which has no thread locks, a change gets a
 * notice in the thread instead, once per key (a retry finds it).
 */
export class FakeThreadPlatform extends FakePlatformPort {
  /** Each thread's lock as the platform holds it now. */
  readonly locks = new Map<string, boolean>()
  /** Every change the bridge asked for (Discord's PATCH /channels/{id}). */
  readonly lockCalls: { threadId: string; locked: boolean }[] = []
  /** The notices posted into threads, in order, with their keys. */
  readonly notices: { threadId: string; locked: boolean; key: string }[] = []
  /** Called after each change the bridge made, with the thread's new state. */
  onChange: (threadId: string, locked: boolean) => void | Promise<void> = () => {}
  /** The thread's lock as the platform holds it now; only a platform whose threads lock can say. */
  readonly readLocked?: (threadId: string) => Promise<boolean | undefined>

  constructor(
    platform: Platform,
    private readonly style: 'locks' | 'notices',
    people: Record<string, Person> = {},
  ) {
    super(platform, people)
    if (style === 'locks') this.readLocked = async (threadId) => this.locks.get(threadId)
  }

  async updateThread(input: {
    bridge: CommunityBridge
    threadId: string
    title?: string
    locked?: boolean
    key?: string
  }): Promise<void> {
    if (input.locked === undefined) return
    if (this.style === 'notices') {
      if (input.key === undefined || this.notices.some((n) => n.key === input.key)) return
      this.notices.push({ threadId: input.threadId, locked: input.locked, key: input.key })
      return
    }
    this.lockCalls.push({ threadId: input.threadId, locked: input.locked })
    this.locks.set(input.threadId, input.locked)
    await this.onChange(input.threadId, input.locked)
  }

  /** A person (the platform's moderator) locks or unlocks the thread on the platform itself. */
  setByPerson(threadId: string, locked: boolean): void {
    this.locks.set(threadId, locked)
  }
}
