import type { Executor } from '../db/in-transaction.ts'
import { NotFoundError } from '../errors.ts'
import type { Platform } from '../platform/platform.ts'
import { discussionRecords, replyRecords } from './content-records.ts'
import { type ExportRecord, iso } from './export-records.ts'

/** A person, by our member id or by one of their platform accounts. */
export type MemberRef = { memberId: string } | { platform: Platform; platformUserId: string }

/**
 * What Threadbridge holds about one person, for their access request: who they are (member,
 * accounts), their preferences, memberships, subscriptions and reactions, then every discussion
 * and reply they wrote, deleted ones as tombstones without words. Streams like exportCommunity,
 * and likewise belongs in a REPEATABLE READ transaction.
 */
export async function* exportMember(
  db: Executor,
  ref: MemberRef,
  { pageSize = 500 }: { pageSize?: number } = {},
): AsyncGenerator<ExportRecord> {
  const member = await findMember(db, ref)
  if (member === undefined)
    throw new NotFoundError(
      'member',
      'memberId' in ref ? ref.memberId : `${ref.platform}:${ref.platformUserId}`,
    )
  const memberId = member.id
  yield { type: 'member', id: member.id, name: member.display_name, createdAt: iso(member.created_at) }

  const identities = await db
    .selectFrom('identities')
    .select(['platform', 'platform_user_id', 'display_name', 'avatar_url', 'created_at'])
    .where('member_id', '=', memberId)
    .orderBy('platform')
    .execute()
  for (const identity of identities)
    yield {
      type: 'identity',
      platform: identity.platform,
      platformUserId: identity.platform_user_id,
      name: identity.display_name,
      avatarUrl: identity.avatar_url,
      createdAt: iso(identity.created_at),
    }

  const preferences = await db
    .selectFrom('member_preferences')
    .selectAll()
    .where('member_id', '=', memberId)
    .executeTakeFirst()
  if (preferences !== undefined)
    yield {
      type: 'preferences',
      autoSubscribe: preferences.auto_subscribe,
      digestFrequency: preferences.digest_frequency,
      timeZone: preferences.timezone,
      digestHour: preferences.digest_hour,
      digestWeekday: preferences.digest_weekday,
      preferredPlatform: preferences.preferred_platform,
      updatedAt: iso(preferences.updated_at),
    }

  const memberships = await db
    .selectFrom('memberships')
    .select(['community_id', 'status', 'role', 'joined_at'])
    .where('member_id', '=', memberId)
    .orderBy('community_id')
    .execute()
  for (const membership of memberships)
    yield {
      type: 'membership',
      communityId: membership.community_id,
      status: membership.status,
      role: membership.role,
      joinedAt: iso(membership.joined_at),
    }

  // A person's subscriptions and reactions are few next to what they wrote: one read each.
  const subscriptions = await db
    .selectFrom('subscriptions')
    .select(['discussion_id', 'community_id', 'level', 'created_at'])
    .where('member_id', '=', memberId)
    .orderBy('created_at')
    .orderBy('id')
    .execute()
  for (const subscription of subscriptions)
    yield {
      type: 'subscription',
      discussionId: subscription.discussion_id,
      communityId: subscription.community_id,
      level: subscription.level,
      createdAt: iso(subscription.created_at),
    }

  for (const identity of identities) {
    const reactions = await db
      .selectFrom('reactions')
      .select(['discussion_id', 'reply_id', 'emoji', 'platform', 'created_at'])
      .where('platform', '=', identity.platform)
      .where('platform_user_id', '=', identity.platform_user_id)
      .orderBy('created_at')
      .execute()
    for (const reaction of reactions)
      yield {
        type: 'reaction',
        discussionId: reaction.discussion_id,
        replyId: reaction.reply_id,
        emoji: reaction.emoji,
        platform: reaction.platform,
        createdAt: iso(reaction.created_at),
      }
  }

  yield* discussionRecords(db, { authorMemberId: memberId }, pageSize)
  yield* replyRecords(db, { authorMemberId: memberId }, pageSize)
}

async function findMember(db: Executor, ref: MemberRef) {
  const query = db.selectFrom('members as m').select(['m.id', 'm.display_name', 'm.created_at'])
  if ('memberId' in ref) {
    // Not a uuid: nobody, rather than the database's refusal to compare.
    if (!UUID.test(ref.memberId)) return undefined
    return query.where('m.id', '=', ref.memberId).executeTakeFirst()
  }
  return query
    .innerJoin('identities as i', 'i.member_id', 'm.id')
    .where('i.platform', '=', ref.platform)
    .where('i.platform_user_id', '=', ref.platformUserId)
    .executeTakeFirst()
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
