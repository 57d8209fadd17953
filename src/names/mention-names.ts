import type { Clock } from '../clock.ts'
import type { Executor } from '../db/in-transaction.ts'
import type { BodyFormat } from '../db/schema.ts'
import type { FormatContext } from '../format/format-context.ts'
import { mentionedIds } from '../format/mentioned-ids.ts'
import { identityNames } from '../members/identity-names.ts'
import type { Platform } from '../platform/platform.ts'

/** What a platform can say about the names behind ids (the lookup half of its port). */
export interface NameSource {
  lookUpUser(platformUserId: string): Promise<{ displayName: string } | undefined>
  lookUpChannel(channelId: string): Promise<string | undefined>
  lookUpRole?(roleId: string): Promise<string | undefined>
}

/** The names our own records hold for accounts on one platform, by platform user id. */
export type KnownNames = (
  platform: Platform,
  platformUserIds: readonly string[],
) => Promise<Map<string, string>>

export interface MentionNamesOptions {
  /** How long a found name is trusted; people and channels are renamed rarely. Default 10 min. */
  ttlMs?: number
  /** How long "nobody knows" is remembered before asking again. Default 1 min. */
  unknownTtlMs?: number
  /** How long a failed lookup (the platform away or refusing) is remembered. Default 10 s. */
  failedTtlMs?: number
  /**
   * How long a message waits for a name the cache does not have. Default 1.5 s. A lookup that
   * takes longer still lands in the cache for the next message; this one shows the fallback.
   */
  lookupTimeoutMs?: number
  /** Names kept at most; the oldest go first. Default 10,000. */
  maxEntries?: number
  /** Platform lookups one message may cost. Default {@link MENTION_LOOKUPS_PER_MESSAGE}. */
  lookupsPerMessage?: number
}

type Kind = 'user' | 'channel' | 'role'

/**
 * How many names one message may ask a platform for (people, channels and roles together). Each
 * lookup is a REST call (a Discord person costs two: the member, then the user) on the rate
 * limits every mirror shares, so a message of nothing but unknown mentions must not spend them.
 */
export const MENTION_LOOKUPS_PER_MESSAGE = 10

/**
 * Names for the people, channels and roles a message mentions, so a mention crosses as the name
 * people know (`@mark`, `#discussions`, `@Moderators`). People are named from our identities
 * first (one statement for all of a message's mentions), then by their platform; channels and
 * roles by their platform. Answers are cached with an expiry, so a message without mentions costs
 * nothing and a known name costs a map read; only a name never seen waits, and at most
 * `lookupTimeoutMs`. One message asks the platforms at most `lookupsPerMessage` times (channels
 * and roles first, then people our records do not name); a mention past that shows as the
 * neutral placeholder (`@unknown-user`), as an unknown one does, and is asked for by a later
 * message if it is mentioned again.
 */
export class MentionNames {
  private readonly cache = new Map<string, { name: string | null; expiresAt: number }>()
  private readonly inFlight = new Map<string, Promise<string | undefined>>()
  private readonly ttlMs: number
  private readonly unknownTtlMs: number
  private readonly failedTtlMs: number
  private readonly lookupTimeoutMs: number
  private readonly maxEntries: number
  private readonly lookupsPerMessage: number

  constructor(
    private readonly known: KnownNames,
    private readonly sources: ReadonlyMap<Platform, NameSource>,
    private readonly clock: Clock,
    options: MentionNamesOptions = {},
  ) {
    this.ttlMs = options.ttlMs ?? 10 * 60_000
    this.unknownTtlMs = options.unknownTtlMs ?? 60_000
    this.failedTtlMs = options.failedTtlMs ?? 10_000
    this.lookupTimeoutMs = options.lookupTimeoutMs ?? 1500
    this.maxEntries = options.maxEntries ?? 10_000
    this.lookupsPerMessage = options.lookupsPerMessage ?? MENTION_LOOKUPS_PER_MESSAGE
  }

  /** The converter's context for a stored body: names for every id it mentions that anyone knows. */
  async contextFor(text: string, format: BodyFormat): Promise<FormatContext> {
    if (format === 'plain') return {}
    const ids = mentionedIds(text, format)
    if (ids.users.length + ids.channels.length + ids.roles.length === 0) return {}
    // One budget for the message's three kinds; what it does not cover shows as the placeholder.
    const budget = { lookups: this.lookupsPerMessage }
    const [users, channels, roles] = await Promise.all([
      this.names(format, 'user', ids.users, budget),
      this.names(format, 'channel', ids.channels, budget),
      this.names(format, 'role', ids.roles, budget),
    ])
    return {
      userName: (id) => users.get(id),
      channelName: (id) => channels.get(id),
      roleName: (id) => roles.get(id),
    }
  }

  private async names(
    platform: Platform,
    kind: Kind,
    ids: string[],
    budget: { lookups: number },
  ): Promise<Map<string, string>> {
    const found = new Map<string, string>()
    let missing: string[] = []
    const now = this.clock.now().getTime()
    for (const id of ids) {
      const hit = this.cache.get(`${platform}:${kind}:${id}`)
      if (hit === undefined || hit.expiresAt <= now) missing.push(id)
      else if (hit.name !== null) found.set(id, hit.name)
    }
    if (missing.length === 0) return found
    if (kind === 'user') {
      const ours = await this.known(platform, missing)
      for (const [id, name] of ours) {
        this.remember(platform, kind, id, name)
        found.set(id, name)
      }
      missing = missing.filter((id) => !ours.has(id))
    }
    const asked = missing.slice(0, Math.max(0, budget.lookups))
    budget.lookups -= asked.length
    await Promise.all(
      asked.map(async (id) => {
        const name = await this.withinTimeout(this.lookUp(platform, kind, id))
        if (name !== 'late' && name !== undefined) found.set(id, name)
      }),
    )
    return found
  }

  /**
   * Asks the platform, once however many messages wait for the same name. No answer is "unknown"
   * for `unknownTtlMs`; a failed lookup (the platform away) only for `failedTtlMs`, since it may
   * pass. A late answer still fills the cache.
   */
  private lookUp(platform: Platform, kind: Kind, id: string): Promise<string | undefined> {
    const key = `${platform}:${kind}:${id}`
    const pending = this.inFlight.get(key)
    if (pending !== undefined) return pending
    const source = this.sources.get(platform)
    const asked =
      kind === 'user'
        ? source?.lookUpUser(id).then((person) => person?.displayName)
        : kind === 'channel'
          ? source?.lookUpChannel(id)
          : source?.lookUpRole?.(id)
    const answer = (asked ?? Promise.resolve(undefined)).then(
      (name) => {
        this.remember(platform, kind, id, name)
        return name
      },
      () => {
        this.remember(platform, kind, id, undefined, this.failedTtlMs)
        return undefined
      },
    )
    const settled = answer.finally(() => this.inFlight.delete(key))
    this.inFlight.set(key, settled)
    return settled
  }

  private async withinTimeout(lookup: Promise<string | undefined>): Promise<string | undefined | 'late'> {
    let timer: NodeJS.Timeout | undefined
    const late = new Promise<'late'>((resolve) => {
      timer = setTimeout(() => resolve('late'), this.lookupTimeoutMs)
    })
    try {
      return await Promise.race([lookup, late])
    } finally {
      clearTimeout(timer)
    }
  }

  private remember(
    platform: Platform,
    kind: Kind,
    id: string,
    name: string | undefined,
    ttlMs = name === undefined ? this.unknownTtlMs : this.ttlMs,
  ) {
    const key = `${platform}:${kind}:${id}`
    const ttl = ttlMs
    this.cache.delete(key) // re-inserted last: the Map's order is the eviction order
    this.cache.set(key, { name: name ?? null, expiresAt: this.clock.now().getTime() + ttl })
    if (this.cache.size > this.maxEntries) {
      const oldest = this.cache.keys().next().value
      if (oldest !== undefined) this.cache.delete(oldest)
    }
  }
}

/** The names a running bridge uses: our identities in `db`, then each platform's port. */
export function mentionNames(
  db: Executor,
  sources: ReadonlyMap<Platform, NameSource>,
  clock: Clock,
  options?: MentionNamesOptions,
): MentionNames {
  return new MentionNames((platform, ids) => identityNames(db, platform, ids), sources, clock, options)
}
