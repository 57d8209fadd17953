import type { Transaction } from 'kysely'
import type { Clock } from '../clock.ts'
import { type Executor, inTransaction } from '../db/in-transaction.ts'
import type { Database, DigestFrequency, MemberPreferences, SubscriptionLevel } from '../db/schema.ts'
import { reopenDms } from '../digests/closed-dms.ts'
import { findTimeZone } from '../digests/time-zones.ts'
import { NotFoundError, ValidationError } from '../errors.ts'
import { resolveMember } from '../members/resolve-member.ts'
import type { Platform, PlatformActor } from '../platform/platform.ts'

export type SubscriptionTarget = { discussionId: string } | { communityId: string }

export interface PreferencesUpdate {
  /** Starting or replying to a discussion subscribes you to it ("Email me when people reply"). */
  autoSubscribe?: boolean
  digestFrequency?: DigestFrequency
  /** An IANA time zone such as "Europe/London". */
  timezone?: string
  /** The local hour (0–23) at which daily and weekly digests are sent. */
  digestHour?: number
  /** The weekly digest's day, ISO: 1 Monday … 7 Sunday. */
  digestWeekday?: number
  /** Where digests go; null: the platform they last posted from. */
  preferredPlatform?: Platform | null
}

export const DEFAULT_PREFERENCES = {
  auto_subscribe: true,
  digest_frequency: 'daily',
  timezone: 'UTC',
  digest_hour: 9,
  digest_weekday: 1,
  preferred_platform: null,
} as const satisfies Omit<MemberPreferences, 'member_id' | 'updated_at'>

/** "Notify me when people reply": who watches what, and how they want to hear about it. */
export class Subscriptions {
  constructor(
    private readonly db: Executor,
    private readonly clock: Clock,
  ) {}

  async subscribe(actor: PlatformActor, target: SubscriptionTarget): Promise<void> {
    await this.setLevel(actor, target, 'watching')
  }

  /** Stops notifications and remembers it, so the next reply does not subscribe them again. */
  async unsubscribe(actor: PlatformActor, target: SubscriptionTarget): Promise<void> {
    await this.setLevel(actor, target, 'muted')
  }

  async preferences(actor: PlatformActor): Promise<Omit<MemberPreferences, 'updated_at'>> {
    return inTransaction(this.db, async (tx) => {
      const memberId = await resolveMember(tx, actor, this.clock.now())
      return readPreferences(tx, memberId)
    })
  }

  async setPreferences(
    actor: PlatformActor,
    update: PreferencesUpdate,
  ): Promise<Omit<MemberPreferences, 'updated_at'>> {
    const timezone = update.timezone === undefined ? undefined : await findTimeZone(this.db, update.timezone)
    if (timezone === null && /^(utc|gmt)?[+-]\d/i.test(update.timezone ?? '')) {
      throw new ValidationError(
        `"${update.timezone?.slice(0, 64)}" is a UTC offset, which ignores daylight saving (a 09:00 digest would drift by an hour twice a year): use a time zone name such as Europe/London or America/New_York`,
      )
    }
    if (timezone === null) {
      throw new ValidationError(
        `"${update.timezone?.slice(0, 64)}" is not a time zone; use a name such as Europe/London or America/New_York`,
      )
    }
    if (
      update.digestHour !== undefined &&
      !(Number.isInteger(update.digestHour) && update.digestHour >= 0 && update.digestHour <= 23)
    ) {
      throw new ValidationError('the digest hour must be a whole number from 0 to 23')
    }
    if (
      update.digestWeekday !== undefined &&
      !(Number.isInteger(update.digestWeekday) && update.digestWeekday >= 1 && update.digestWeekday <= 7)
    ) {
      throw new ValidationError('the digest day must be one of Monday to Sunday')
    }
    const now = this.clock.now()
    return inTransaction(this.db, async (tx) => {
      const memberId = await resolveMember(tx, actor, now)
      if (update.preferredPlatform) {
        const account = await tx
          .selectFrom('identities')
          .select('platform')
          .where('member_id', '=', memberId)
          .where('platform', '=', update.preferredPlatform)
          .executeTakeFirst()
        if (account === undefined)
          throw new ValidationError(
            `you have no ${update.preferredPlatform === 'discord' ? 'Discord' : 'Slack'} account linked, so digests cannot go there: link one first, or choose latest`,
          )
      }
      const changes = {
        ...(update.autoSubscribe === undefined ? {} : { auto_subscribe: update.autoSubscribe }),
        ...(update.digestFrequency === undefined ? {} : { digest_frequency: update.digestFrequency }),
        ...(timezone === undefined ? {} : { timezone }),
        ...(update.digestHour === undefined ? {} : { digest_hour: update.digestHour }),
        ...(update.digestWeekday === undefined ? {} : { digest_weekday: update.digestWeekday }),
        ...(update.preferredPlatform === undefined ? {} : { preferred_platform: update.preferredPlatform }),
      }
      await tx
        .insertInto('member_preferences')
        .values({ member_id: memberId, ...changes, updated_at: now })
        .onConflict((conflict) => conflict.column('member_id').doUpdateSet({ ...changes, updated_at: now }))
        .execute()
      // Choosing how digests arrive is the moment to try their DMs again (they may have opened them).
      await reopenDms(tx, memberId)
      return readPreferences(tx, memberId)
    })
  }

  /**
   * The members to notify about a new reply in a discussion: those watching it, and those
   * watching its community who have not muted it. The reply's author is never notified of their own reply.
   */
  async watchers(discussionId: string, exceptMemberId?: string): Promise<string[]> {
    const discussion = await this.db
      .selectFrom('discussions')
      .select('community_id')
      .where('id', '=', discussionId)
      .executeTakeFirst()
    if (discussion === undefined) throw new NotFoundError('discussion', discussionId)
    const rows = await this.db
      .selectFrom('subscriptions as s')
      .select('s.member_id')
      .where((eb) =>
        eb.or([
          eb.and([eb('s.discussion_id', '=', discussionId), eb('s.level', '=', 'watching')]),
          eb.and([
            eb('s.community_id', '=', discussion.community_id),
            eb('s.level', '=', 'watching'),
            eb.not(
              eb.exists(
                eb
                  .selectFrom('subscriptions as muted')
                  .select('muted.id')
                  .whereRef('muted.member_id', '=', 's.member_id')
                  .where('muted.discussion_id', '=', discussionId)
                  .where('muted.level', '=', 'muted'),
              ),
            ),
          ]),
        ]),
      )
      .$if(exceptMemberId !== undefined, (qb) => qb.where('s.member_id', '!=', exceptMemberId as string))
      .distinct()
      .orderBy('s.member_id')
      .execute()
    return rows.map((row) => row.member_id)
  }

  private async setLevel(
    actor: PlatformActor,
    target: SubscriptionTarget,
    level: SubscriptionLevel,
  ): Promise<void> {
    const now = this.clock.now()
    await inTransaction(this.db, async (tx) => {
      const memberId = await resolveMember(tx, actor, now)
      const [column, exists] =
        'discussionId' in target
          ? ([
              'discussion_id',
              await tx
                .selectFrom('discussions')
                .select('id')
                .where('id', '=', target.discussionId)
                .executeTakeFirst(),
            ] as const)
          : ([
              'community_id',
              await tx
                .selectFrom('communities')
                .select('id')
                .where('id', '=', target.communityId)
                .executeTakeFirst(),
            ] as const)
      if (exists === undefined) {
        throw 'discussionId' in target
          ? new NotFoundError('discussion', target.discussionId)
          : new NotFoundError('community', target.communityId)
      }
      await tx
        .insertInto('subscriptions')
        .values({ member_id: memberId, [column]: exists.id, level, created_at: now, updated_at: now })
        .onConflict((conflict) =>
          conflict.columns(['member_id', column]).doUpdateSet({ level, updated_at: now }),
        )
        .execute()
    })
  }
}

/**
 * Subscribes an author to the discussion they wrote in, unless they turned that off or once
 * unsubscribed from this discussion (an existing row, muted or not, is left as it is).
 */
export async function autoSubscribe(
  tx: Transaction<Database>,
  memberId: string,
  discussionId: string,
  now: Date,
) {
  const preferences = await readPreferences(tx, memberId)
  if (!preferences.auto_subscribe) return
  await tx
    .insertInto('subscriptions')
    .values({
      member_id: memberId,
      discussion_id: discussionId,
      level: 'watching',
      created_at: now,
      updated_at: now,
    })
    .onConflict((conflict) => conflict.columns(['member_id', 'discussion_id']).doNothing())
    .execute()
}

async function readPreferences(
  tx: Transaction<Database>,
  memberId: string,
): Promise<Omit<MemberPreferences, 'updated_at'>> {
  const row = await tx
    .selectFrom('member_preferences')
    .select([
      'member_id',
      'auto_subscribe',
      'digest_frequency',
      'timezone',
      'digest_hour',
      'digest_weekday',
      'preferred_platform',
    ])
    .where('member_id', '=', memberId)
    .executeTakeFirst()
  return row ?? { member_id: memberId, ...DEFAULT_PREFERENCES }
}
