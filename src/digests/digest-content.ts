import { sql } from 'kysely'
import type { Executor } from '../db/in-transaction.ts'
import type { BodyFormat } from '../db/schema.ts'
import type { Platform } from '../platform/platform.ts'

/** How many of a discussion's newest replies a digest quotes; the rest are counted. */
export const LATEST_QUOTED = 3
/** Discussions a digest shows in full; more are summed up in one line. */
export const DISCUSSIONS_SHOWN = 10

/** A reply as a digest quotes it: its author, where they wrote, and its words (to be cut to a line). */
export interface QuotedReply {
  author: string
  platform: Platform | null
  body: string
  format: BodyFormat
}

/** One discussion's news in a digest. */
export interface DigestDiscussion {
  discussionId: string
  communityId: string
  communityName: string
  number: number
  title: string | null
  /** New replies by others since the last digest, not deleted. */
  newReplies: number
  /** The newest few, newest last. */
  latest: QuotedReply[]
}

/** A new discussion, for those who watch a whole community. */
export interface NewDiscussion {
  discussionId: string
  communityId: string
  communityName: string
  number: number
  title: string | null
  author: string
  platform: Platform | null
}

export interface DigestContent {
  discussions: DigestDiscussion[]
  /** Discussions with news beyond those shown, and their replies. */
  more: { discussions: number; replies: number }
  newDiscussions: NewDiscussion[]
}

/**
 * What one claimed digest says, read when it is sent: the same rules as the claim (watched
 * discussions, others' replies in its sequence range, communities still joined), so a reply
 * deleted since the claim is left out, its words gone with it. Newest discussions first.
 */
export async function readDigestContent(db: Executor, digestId: string): Promise<DigestContent | undefined> {
  const digest = await db.selectFrom('digests').selectAll().where('id', '=', digestId).executeTakeFirst()
  if (digest === undefined) return undefined
  const member = digest.member_id
  const counted = await sql<{
    discussion_id: string
    community_id: string
    community_name: string
    number: number
    title: string | null
    new_replies: number
    last_seq: string
    since: Date
  }>`
    with watched as (
      select s.discussion_id, s.updated_at as since from subscriptions s
      where s.member_id = ${member} and s.level = 'watching' and s.discussion_id is not null
      union all
      select d.id, s.updated_at from subscriptions s
      join discussions d on d.community_id = s.community_id
      where s.member_id = ${member} and s.level = 'watching' and s.community_id is not null
        and not exists (select 1 from subscriptions m
          where m.member_id = ${member} and m.discussion_id = d.id and m.level = 'muted')
    )
    select d.id as discussion_id, d.community_id, c.name as community_name, d.number, d.title,
      count(distinct r.id)::int as new_replies, max(r.seq)::text as last_seq,
      min(greatest(w.since, ms.joined_at)) as since
    from watched w
    join discussions d on d.id = w.discussion_id and d.deleted_at is null
    join communities c on c.id = d.community_id
    join memberships ms on ms.community_id = d.community_id and ms.member_id = ${member} and ms.status = 'joined'
    join replies r on r.discussion_id = d.id
      and r.seq > ${digest.reply_seq_after}::bigint and r.seq <= ${digest.reply_seq_upto}::bigint
      -- From when they began watching, or last joined if later: the claim's rule (claim-due-digests).
      and r.created_at > greatest(w.since, ms.joined_at) and r.deleted_at is null and r.author_member_id <> ${member}
    group by d.id, c.name
    order by max(r.seq) desc`.execute(db)
  const shown = counted.rows.slice(0, DISCUSSIONS_SHOWN)
  const discussions: DigestDiscussion[] = []
  for (const row of shown) {
    const latest = await sql<QuotedReply & { seq: string }>`
      select coalesce(i.display_name, m.display_name) as author, r.author_platform as platform,
        r.body, r.body_format as format, r.seq::text as seq
      from replies r
      join members m on m.id = r.author_member_id
      left join identities i on i.platform = r.author_platform and i.platform_user_id = r.author_platform_user_id
      where r.discussion_id = ${row.discussion_id}
        and r.seq > ${digest.reply_seq_after}::bigint and r.seq <= ${digest.reply_seq_upto}::bigint
        and r.created_at > ${row.since}
        and r.deleted_at is null and r.body is not null and r.author_member_id <> ${member}
      order by r.seq desc
      limit ${LATEST_QUOTED}`.execute(db)
    discussions.push({
      discussionId: row.discussion_id,
      communityId: row.community_id,
      communityName: row.community_name,
      number: row.number,
      title: row.title,
      newReplies: row.new_replies,
      latest: latest.rows
        .reverse()
        .map(({ author, platform, body, format }) => ({ author, platform, body, format })),
    })
  }
  const rest = counted.rows.slice(DISCUSSIONS_SHOWN)
  const fresh = await sql<{
    discussion_id: string
    community_id: string
    community_name: string
    number: number
    title: string | null
    author: string
    platform: Platform | null
  }>`
    select d.id as discussion_id, d.community_id, c.name as community_name, d.number, d.title,
      coalesce(i.display_name, m.display_name) as author, d.author_platform as platform
    from subscriptions s
    join memberships ms on ms.community_id = s.community_id and ms.member_id = s.member_id and ms.status = 'joined'
    join discussions d on d.community_id = s.community_id
      and d.seq > ${digest.discussion_seq_after}::bigint and d.seq <= ${digest.discussion_seq_upto}::bigint
      and d.created_at > greatest(s.updated_at, ms.joined_at) and d.deleted_at is null
      and d.author_member_id <> s.member_id
    join communities c on c.id = d.community_id
    join members m on m.id = d.author_member_id
    left join identities i on i.platform = d.author_platform and i.platform_user_id = d.author_platform_user_id
    where s.member_id = ${member} and s.level = 'watching' and s.community_id is not null
    order by d.seq desc
    limit ${DISCUSSIONS_SHOWN}`.execute(db)
  return {
    discussions,
    more: { discussions: rest.length, replies: rest.reduce((sum, row) => sum + row.new_replies, 0) },
    newDiscussions: fresh.rows.map((row) => ({
      discussionId: row.discussion_id,
      communityId: row.community_id,
      communityName: row.community_name,
      number: row.number,
      title: row.title,
      author: row.author,
      platform: row.platform,
    })),
  }
}
