import { type RawBuilder, sql } from 'kysely'
import type { Executor } from '../db/in-transaction.ts'
import { inTransaction } from '../db/in-transaction.ts'

/** What a run of the scheduler did, for its log line and for tests. */
export interface DigestRunResult {
  /** Digests claimed in this run (each one now waits in the outbox). */
  claimed: number
  /** Members whose slot came with nothing new: their cursor moved on, nothing is sent. */
  empty: number
  /** Members looked at. */
  members: number
  /** False when another scheduler was running: this one did nothing. */
  ran: boolean
}

export interface ClaimOptions {
  /** Members per page: each page is one set-based statement. Default 2,000. */
  pageSize?: number
  /**
   * How long replies of an immediate subscriber may keep arriving before their digest is due,
   * counted from the first (a burst). Default 60 s.
   */
  burstMs?: number
  /**
   * How old a reply or discussion must be to be counted: one written by a transaction that has
   * not committed yet has a lower sequence number than ones already visible, and a cursor moved
   * past it would skip it for ever. Default 10 s.
   */
  settleMs?: number
}

/** One key for every scheduler: whoever holds it is the one deciding digests now. */
const SCHEDULER_LOCK = 0x7462_6467 // "tbdg"

/**
 * Decides, for every member with a subscription, whether a digest is due now, and claims each one
 * exactly once: a `digests` row (unique per member and slot) and its `digest.ready` outbox row,
 * written together, the member's cursor moved on in the same statement. Set-based and paged by
 * member id: a page is a handful of statements whatever its size, never one per person.
 *
 * Due means: daily or weekly, the member's most recent local slot (their hour, in their IANA time
 * zone, on their weekday for weekly) is later than the last one decided (so after downtime one
 * combined digest covers everything missed, and a day whose clocks change still has one slot);
 * immediate, their oldest unseen reply is at least `burstMs` old. What a digest covers is new
 * replies by others in discussions they watch (directly, or through a whole community they watch
 * and did not mute the discussion of), written after they began watching, in communities they
 * are still a member of, not deleted; and new discussions of communities they watch.
 *
 * Only one scheduler decides at a time (a transaction-scoped advisory lock); a second one that
 * finds it taken does nothing this tick. The unique key would stop a second claim anyway.
 */
export async function claimDueDigests(
  db: Executor,
  now: Date,
  options: ClaimOptions = {},
): Promise<DigestRunResult> {
  const pageSize = options.pageSize ?? 2000
  const burstMs = options.burstMs ?? 60_000
  const settled = new Date(now.getTime() - (options.settleMs ?? 10_000))
  return inTransaction(db, async (tx) => {
    const lock = await sql<{
      locked: boolean
    }>`select pg_try_advisory_xact_lock(${SCHEDULER_LOCK}) as locked`.execute(tx)
    if (!lock.rows[0]?.locked) return { claimed: 0, empty: 0, members: 0, ran: false }
    const bounds = await sql<{ reply_upto: string; discussion_upto: string }>`
      select
        coalesce((select max(seq) from replies where created_at <= ${settled}), 0)::text as reply_upto,
        coalesce((select max(seq) from discussions where created_at <= ${settled}), 0)::text as discussion_upto
    `.execute(tx)
    const { reply_upto: replyUpto = '0', discussion_upto: discussionUpto = '0' } = bounds.rows[0] ?? {}
    const result: DigestRunResult = { claimed: 0, empty: 0, members: 0, ran: true }
    let after = '00000000-0000-0000-0000-000000000000'
    for (;;) {
      const page = await claimPage(tx, { after, pageSize, now, burstMs, replyUpto, discussionUpto })
      result.claimed += page.claimed
      result.empty += page.empty
      result.members += page.members
      if (page.last === null || page.members < pageSize) return result
      after = page.last
    }
  })
}

interface PageInput {
  after: string
  pageSize: number
  now: Date
  burstMs: number
  replyUpto: string
  discussionUpto: string
}

/**
 * Past how many new items (replies or discussions) since an immediate member's cursor their
 * earliest one is found in time order rather than by reading them all; see claimPage.
 */
const CATCH_UP_ITEMS = 10_000

/** Picks one of two exact ways to find a member's earliest new item; only the chosen one runs. */
function firstSince(
  catchingUp: RawBuilder<unknown>,
  inTimeOrder: RawBuilder<unknown>,
  bySequence: RawBuilder<unknown>,
) {
  return sql`case when ${catchingUp} then ${inTimeOrder} else ${bySequence} end`
}

/** One page of members, decided in one statement. */
async function claimPage(
  tx: Executor,
  input: PageInput,
): Promise<{ claimed: number; empty: number; members: number; last: string | null }> {
  const { after, pageSize, now, burstMs, replyUpto, discussionUpto } = input
  const burstBefore = new Date(now.getTime() - burstMs)
  // Every fragment below is correlated with `sc`, the member being decided. A reply `r` is new to
  // them when it is past their cursor, settled, written after `since` (they began watching), not
  // deleted and not their own.
  const newReply = (since: RawBuilder<unknown>, seq = sql`r.seq`) => sql`
    ${seq} > sc.reply_seq and ${seq} <= ${replyUpto}::bigint and r.created_at > ${since}
    and r.deleted_at is null and r.author_member_id <> sc.member_id`
  // Since when they want to hear: from when they began watching (`sub`) and, if later, from when
  // they last joined the community (`ms`): what was said while they were away is not theirs.
  const watchingSince = sql`greatest(sub.updated_at, ms.joined_at)`
  // Discussions they watch directly (`sub`, `d`), in a community they are still a member of.
  const directWatch = sql`
    from subscriptions sub
    join discussions d on d.id = sub.discussion_id and d.deleted_at is null
    join memberships ms on ms.community_id = d.community_id and ms.member_id = sc.member_id and ms.status = 'joined'
    where sub.member_id = sc.member_id and sub.level = 'watching' and sub.discussion_id is not null`
  // Communities they watch as a whole (`sub`) and are still a member of.
  const communityWatch = sql`
    from subscriptions sub
    join memberships ms on ms.community_id = sub.community_id and ms.member_id = sc.member_id and ms.status = 'joined'
    where sub.member_id = sc.member_id and sub.level = 'watching' and sub.community_id is not null`
  // New replies in a watched community's discussions (`d`) that they have not muted.
  const communityReply = (seq = sql`r.seq`) => sql`
    from replies r
    join discussions d on d.id = r.discussion_id
    where d.community_id = sub.community_id and d.deleted_at is null and ${newReply(watchingSince, seq)}
      and not exists (
        select 1 from subscriptions muted
        where muted.member_id = sc.member_id and muted.discussion_id = d.id and muted.level = 'muted'
      )`
  const newDiscussion = (seq = sql`d.seq`) => sql`
    from discussions d
    where d.community_id = sub.community_id
      and ${seq} > sc.discussion_seq and ${seq} <= ${discussionUpto}::bigint
      and d.created_at > ${watchingSince} and d.deleted_at is null and d.author_member_id <> sc.member_id`
  const directReplies = sql`select 1 ${directWatch}
    and exists (select 1 from replies r where r.discussion_id = sub.discussion_id and ${newReply(watchingSince)})`
  const communityReplies = sql`select 1 ${communityWatch} and exists (select 1 ${communityReply()})`
  const newDiscussions = sql`select 1 ${communityWatch} and exists (select 1 ${newDiscussion()})`
  // The earliest new item of an immediate member, two exact ways: steadily (a short range past
  // their cursor) every item in the range is read, by sequence; catching up (a first run, or
  // after downtime: the range is most of the table) the first one in time order is, which stops
  // at once instead of reading, per member, every reply of every community they watch.
  const catchingUp = sql`${replyUpto}::bigint - sc.reply_seq > ${CATCH_UP_ITEMS}`
  // `seq + 0` in time order: the planner, not knowing the range is most of the table, would
  // otherwise read it by sequence and sort, which is the cost the time order is there to avoid.
  const anySeq = sql`r.seq + 0`
  const firstDirect = firstSince(
    catchingUp,
    sql`(select min((select r.created_at from replies r
      where r.discussion_id = sub.discussion_id and ${newReply(watchingSince, anySeq)}
      order by r.created_at limit 1)) ${directWatch})`,
    sql`(select min((select min(r.created_at) from replies r
      where r.discussion_id = sub.discussion_id and ${newReply(watchingSince)})) ${directWatch})`,
  )
  const firstCommunity = firstSince(
    catchingUp,
    sql`(select min((select r.created_at ${communityReply(anySeq)} order by r.created_at limit 1)) ${communityWatch})`,
    sql`(select min((select min(r.created_at) ${communityReply()})) ${communityWatch})`,
  )
  const firstDiscussion = firstSince(
    sql`${discussionUpto}::bigint - sc.discussion_seq > ${CATCH_UP_ITEMS}`,
    sql`(select min((select d.created_at ${newDiscussion(sql`d.seq + 0`)} order by d.created_at limit 1)) ${communityWatch})`,
    sql`(select min((select min(d.created_at) ${newDiscussion()})) ${communityWatch})`,
  )
  const result = await sql<{ claimed: number; empty: number; members: number; last: string | null }>`
    with page as (
      select distinct member_id from subscriptions s
      where level = 'watching' and member_id > ${after}::uuid
        -- Nobody to send to (every account's DMs refused): decided again once one reopens, so
        -- what is said meanwhile waits for them instead of being claimed into the void.
        and exists (select 1 from identities i where i.member_id = s.member_id and i.dms_closed_at is null)
      order by member_id
      limit ${pageSize}
    ),
    settings as (
      select p.member_id,
        coalesce(mp.digest_frequency, 'daily') as frequency,
        coalesce(mp.timezone, 'UTC') as tz,
        coalesce(mp.digest_hour, 9) as hour,
        coalesce(mp.digest_weekday, 1) as weekday,
        c.last_slot_at,
        coalesce(c.reply_seq, 0) as reply_seq,
        coalesce(c.discussion_seq, 0) as discussion_seq,
        (${now}::timestamptz at time zone coalesce(mp.timezone, 'UTC')) as local_now
      from page p
      left join member_preferences mp on mp.member_id = p.member_id
      left join digest_cursors c on c.member_id = p.member_id
    ),
    scheduled as (
      -- The most recent local slot: today's (this week's) hour, or the one before if not reached.
      select s.*, (slot_local at time zone s.tz) as slot_at
      from settings s
      cross join lateral (
        select case
          when s.frequency = 'weekly' then
            date_trunc('week', s.local_now) + (s.weekday - 1) * interval '1 day' + s.hour * interval '1 hour'
          else date_trunc('day', s.local_now) + s.hour * interval '1 hour'
        end as candidate
      ) c
      cross join lateral (
        select case
          when c.candidate <= s.local_now then c.candidate
          when s.frequency = 'weekly' then c.candidate - interval '7 days'
          else c.candidate - interval '1 day'
        end as slot_local
      ) l
      where s.frequency in ('daily', 'weekly', 'immediate')
    ),
    found as materialized (
      -- Whether a member has anything new, and for an immediate one since when. Only that is
      -- needed (never how much), so a daily or weekly member's question is an exists that
      -- stops at the first new reply in sequence order, not a count of every one; see
      -- firstSince for the immediate ones. Materialized: decided reads first_at three times,
      -- and inlined each read would run the search again.
      select sc.member_id,
        case when sc.frequency = 'immediate' then least(
${firstDirect}, ${firstCommunity}, ${firstDiscussion}) end as first_at,
        case when sc.frequency <> 'immediate' then
          exists (${directReplies}) or exists (${communityReplies}) or exists (${newDiscussions})
        end as has_news
      from scheduled sc
    ),
    decided as (
      select sc.member_id, sc.frequency,
        case when sc.frequency = 'immediate' then f.first_at else sc.slot_at end as slot_at,
        coalesce(f.has_news, f.first_at is not null) as has_news
      from scheduled sc
      join found f on f.member_id = sc.member_id
      where case
        when sc.frequency = 'immediate' then coalesce(f.first_at <= ${burstBefore}, false)
        else sc.last_slot_at is null or sc.last_slot_at < sc.slot_at
      end
    ),
    claimed as (
      insert into digests (member_id, slot_at, frequency, reply_seq_after, reply_seq_upto,
                           discussion_seq_after, discussion_seq_upto, created_at)
      select d.member_id, d.slot_at, d.frequency,
        sc.reply_seq, ${replyUpto}::bigint, sc.discussion_seq, ${discussionUpto}::bigint, ${now}::timestamptz
      from decided d join scheduled sc on sc.member_id = d.member_id
      where d.has_news
      on conflict (member_id, slot_at) do nothing
      returning id, member_id, slot_at
    ),
    queued as (
      insert into outbox (community_id, discussion_id, event_type, payload, created_at, available_at)
      select null, null, 'digest.ready',
        jsonb_build_object('type', 'digest.ready', 'digestId', c.id::text), ${now}::timestamptz, ${now}::timestamptz
      from claimed c
      returning id
    ),
    moved as (
      -- The cursor moves for a digest claimed here, or a slot with nothing new; never past a
      -- digest another scheduler claimed (its claim conflicted: nothing here moves).
      insert into digest_cursors (member_id, last_slot_at, reply_seq, discussion_seq, updated_at)
      select d.member_id, d.slot_at, ${replyUpto}::bigint, ${discussionUpto}::bigint, ${now}::timestamptz
      from decided d
      where d.member_id in (select member_id from claimed) or (not d.has_news and d.frequency <> 'immediate')
      on conflict (member_id) do update set
        last_slot_at = excluded.last_slot_at, reply_seq = excluded.reply_seq,
        discussion_seq = excluded.discussion_seq, updated_at = excluded.updated_at
      returning member_id
    )
    select
      (select count(*) from claimed)::int as claimed,
      (select count(*) from decided where not has_news and frequency <> 'immediate')::int as empty,
      (select count(*) from page)::int as members,
      (select max(member_id::text) from page) as last,
      (select count(*) from queued)::int as queued_count,
      (select count(*) from moved)::int as moved_count
  `.execute(tx)
  const row = result.rows[0]
  return {
    claimed: row?.claimed ?? 0,
    empty: row?.empty ?? 0,
    members: row?.members ?? 0,
    last: row?.last ?? null,
  }
}
