import type { Transaction } from 'kysely'
import type { Database } from '../db/schema.ts'
import { purgeOpeningPost } from '../discussions/discussions.ts'
import { purgeReply } from '../discussions/replies.ts'
import { requestVacuum } from '../erasure/request-vacuum.ts'
import { enqueue } from '../outbox/outbox.ts'
import type { Platform } from '../platform/platform.ts'
import { markBannedAccounts } from './ban-marks.ts'
import { recordModeration } from './memberships.ts'
import { personBehind } from './person-behind.ts'

/** What an erased member's row is called: it stays, so their tombstones and the audit keep an author. */
export const ERASED_MEMBER_NAME = 'Erased member'

/** What an erasure did, counted for the person: content that is now a tombstone, and the accounts removed. */
export interface ErasureOutcome {
  discussions: number
  replies: number
  accounts: Platform[]
}

type Account = { platform: Platform; platformUserId: string }

/**
 * Erases the person behind `account` (`/forget-me`), in the caller's transaction: everything they
 * wrote becomes a tombstone through the same purge as any deletion (so the outbox tells the
 * mirrors), and nothing that names them, in their words or by their platform ids, is left. The
 * person is the member: a linked account on the other platform goes too. Undefined when we hold
 * no account of theirs (never seen, or erased already): nothing is created to find that out.
 *
 * Every table, and what happens to it (migrations/ is the truth; src/db/schema.ts follows it):
 * - `discussions`, `replies`: their live ones purged (title, body, attachments) as a deletion
 *   does, other people's replies in their discussions kept; on all of theirs, the account written
 *   from is cleared. The rows stay: others' replies hang from them and the mirrors show tombstones.
 * - `attachments`: removed by the purge.
 * - `reactions`: theirs removed, with a `reaction.changed` so the copy on the other platform goes.
 * - `identities`: removed, both platforms (their names, avatars, DM flags). Removing them also
 *   removes their `link_codes` (made or entered), `account_links` and `moderator_accounts` (foreign
 *   keys, on delete cascade); all are deleted here anyway, so the rule does not rest on a cascade
 *   nobody reads.
 * - `members`: the rows stay, renamed ERASED_MEMBER_NAME, because tombstones and audit rows must
 *   name an author (not-null foreign keys); with no identity, nothing leads back to the person.
 *   The member their linked account came from (`account_links.former_member_id`) is treated alike.
 * - `memberships`, `member_preferences`, `subscriptions`, `digest_cursors`, `digests`: removed.
 * - `ban_marks`: written, for every account of theirs, in each community that banned them
 *   (ban-marks.ts): a keyed hash, no name or id, kept so that erasing oneself does not lift a ban.
 *   A `digest.ready` still queued finds its digest gone and sends nothing (digest-delivery).
 * - `non_member_notices`: keyed by platform account: removed.
 * - `moderation_actions`: rows where they moderated or were acted on keep who-did-what by member
 *   id (now anonymous) but lose their reason, whoever wrote it: words about them or by them, and
 *   the name and account a refused attempt of theirs was recorded under. One
 *   `erasure` row per community they had anything in records that an erasure happened.
 * - `message_links`: kept. Platform message ids, not people's: the mirror engine needs them to turn
 *   the mirrors into tombstones after this commits, and to recognise the originals later.
 * - `processed_events`: kept. Platform event ids, not people's; dropping them would let a
 *   redelivered event write their words back.
 * - `outbox`, `mirror_attempts`: kept. Payloads carry ids, never text (outbox-event.ts).
 * - `mirror_gone`: a platform's reason a thread is gone, not a person's words: kept.
 * - `communities`, `community_bridges`: the community's, not a person's: untouched.
 *
 * Purged rows leave old versions on disk until their tables are rewritten: the erasure asks for
 * that (requestVacuum) in its transaction, for every table it touches.
 */
export async function eraseMember(
  tx: Transaction<Database>,
  account: Account,
  /** Where it was asked for: the audit records the erasure there too, even with nothing else there. */
  communityId: string,
  now: Date,
): Promise<ErasureOutcome | undefined> {
  const person = await personBehind(tx, account, { lock: true })
  if (person === undefined) return undefined
  const { memberId, memberIds, accounts } = person

  const communities = new Set<string>([communityId])
  // Rows removed or overwritten keep their old versions on disk until their tables are rewritten.
  await requestVacuum(tx, [
    'replies',
    'discussions',
    'attachments',
    'reactions',
    'members',
    'identities',
    'member_preferences',
    'memberships',
    'subscriptions',
    'link_codes',
    'account_links',
    'moderator_accounts',
    'digest_cursors',
    'digests',
    'moderation_actions',
    'non_member_notices',
  ])
  const { discussions, replies } = await purgeContent(tx, memberIds, communities, now)
  await removeReactions(tx, accounts, now)

  // Their records in the audit lose the words; the erasure itself is recorded, with no name.
  await tx
    .updateTable('moderation_actions')
    .set({ reason: null })
    .where((eb) =>
      eb.or([eb('moderator_member_id', 'in', memberIds), eb('target_member_id', 'in', memberIds)]),
    )
    .execute()
  // A refused attempt also names who tried, as they were called then; their member id stands in.
  await tx
    .updateTable('moderation_actions')
    .set({ actor_name: null, actor_platform: null, actor_platform_user_id: null })
    .where('moderator_member_id', 'in', memberIds)
    .execute()
  const memberships = await tx
    .selectFrom('memberships')
    .select('community_id')
    .where('member_id', 'in', memberIds)
    .execute()
  for (const m of memberships) communities.add(m.community_id)
  for (const community of [...communities].sort())
    await recordModeration(tx, community, memberId, 'erasure', { target_member_id: memberId }, now)

  // Their bans stay, as marks that name no one: erasing oneself must not lift a ban.
  await markBannedAccounts(tx, memberIds, now)
  for (const table of [
    'memberships',
    'member_preferences',
    'subscriptions',
    'digest_cursors',
    'digests',
  ] as const)
    await tx.deleteFrom(table).where('member_id', 'in', memberIds).execute()
  await tx
    .deleteFrom('account_links')
    .where((eb) => eb.or([eb('member_id', 'in', memberIds), eb('former_member_id', 'in', memberIds)]))
    .execute()
  for (const { platform, platformUserId } of accounts) {
    await tx
      .deleteFrom('link_codes')
      .where('entered_platform', '=', platform)
      .where('entered_platform_user_id', '=', platformUserId)
      .execute()
    for (const table of ['link_codes', 'non_member_notices', 'moderator_accounts', 'identities'] as const)
      await tx
        .deleteFrom(table)
        .where('platform', '=', platform)
        .where('platform_user_id', '=', platformUserId)
        .execute()
  }
  await tx
    .updateTable('members')
    .set({ display_name: ERASED_MEMBER_NAME })
    .where('id', 'in', memberIds)
    .execute()
  return { discussions, replies, accounts: accounts.map((a) => a.platform) }
}

/**
 * Purges every live discussion and reply the members wrote, and clears the account each of theirs
 * names. Returns how many became tombstones; adds the communities they wrote in to `communities`.
 */
async function purgeContent(
  tx: Transaction<Database>,
  memberIds: string[],
  communities: Set<string>,
  now: Date,
): Promise<{ discussions: number; replies: number }> {
  const replies = await tx
    .selectFrom('replies')
    .innerJoin('discussions', 'discussions.id', 'replies.discussion_id')
    .selectAll('replies')
    .select('discussions.community_id')
    .where('replies.author_member_id', 'in', memberIds)
    .where('replies.deleted_at', 'is', null)
    .orderBy('replies.seq')
    .forUpdate()
    .execute()
  for (const { community_id, ...reply } of replies) {
    communities.add(community_id)
    // No source platform: the engine tombstones every mirror and removes the person's own message
    // where the platform lets the bot (Discord with Manage Messages; Slack never).
    await purgeReply(tx, reply, { id: reply.discussion_id, community_id }, null, now)
  }
  const discussions = await tx
    .selectFrom('discussions')
    .selectAll()
    .where('author_member_id', 'in', memberIds)
    .where('deleted_at', 'is', null)
    .orderBy('seq')
    .forUpdate()
    .execute()
  for (const discussion of discussions) {
    communities.add(discussion.community_id)
    await purgeOpeningPost(tx, discussion, now, null)
  }
  for (const table of ['discussions', 'replies'] as const)
    await tx
      .updateTable(table)
      .set({ author_platform: null, author_platform_user_id: null })
      .where('author_member_id', 'in', memberIds)
      .execute()
  return { discussions: discussions.length, replies: replies.length }
}

/** Their reactions go, and each platform showing a copy of one is told to recount it. */
async function removeReactions(tx: Transaction<Database>, accounts: Account[], now: Date): Promise<void> {
  for (const { platform, platformUserId } of accounts) {
    const removed = await tx
      .deleteFrom('reactions')
      .where('platform', '=', platform)
      .where('platform_user_id', '=', platformUserId)
      .returning(['discussion_id', 'reply_id', 'emoji'])
      .execute()
    for (const reaction of removed) {
      const { community_id } = await tx
        .selectFrom('discussions')
        .select('community_id')
        .where('id', '=', reaction.discussion_id)
        .executeTakeFirstOrThrow()
      await enqueue(
        tx,
        community_id,
        {
          type: 'reaction.changed',
          discussionId: reaction.discussion_id,
          replyId: reaction.reply_id,
          emoji: reaction.emoji,
          sourcePlatform: platform,
        },
        now,
      )
    }
  }
}
