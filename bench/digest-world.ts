import { type Kysely, sql } from 'kysely'
import type { Database } from '../src/db/schema.ts'

/** How big a community `buildDigestWorld` writes. */
export interface DigestWorldShape {
  members: number
  discussions: number
  replies: number
}

/** The community every generated row belongs to. */
export const BENCH_COMMUNITY = 'digest-bench'

/** The time zones preferences are spread over: both sides of UTC, with and without daylight saving. */
const TIME_ZONES = [
  'UTC',
  'Europe/London',
  'Europe/Berlin',
  'America/New_York',
  'America/Los_Angeles',
  'Asia/Tokyo',
]

/**
 * Writes one bridged community with set-based statements (generate_series, never a row at a time),
 * shaped so that at `now` every member's digest is due at once: no digest cursors yet, and every
 * subscription older than every reply.
 *
 * - Members `0 … members-1`, each with one identity (Discord and Slack alternately) and a joined
 *   membership. Ids are md5 hashes of the number: random order, as gen_random_uuid's would be,
 *   yet derivable by the statements that follow.
 * - Discussions created from three days to one day before `now` (so those after the
 *   subscriptions, two days before, are new to community watchers), authors spread over members.
 * - Replies created over the day before `now` in sequence order, 1% deleted; discussions are
 *   skewed (a reply lands on discussion ⌊d·u²⌋ for uniform u, so the busiest hold about 1% of
 *   them and the quietest a handful), authors uniform over members.
 * - Subscriptions, all two days old: five watched discussions each, drawn with the same skew
 *   (popular ones are watched more; a collision leaves fewer), and one member in nineteen (5%,
 *   and every preference among them) also watches the whole community and has muted one discussion.
 * - Preferences: 80% daily and 10% weekly, at hour `n mod 24` (weekday `n mod 7`), in six time
 *   zones; 8% immediate; 2% no preferences row at all (the defaults: daily at 09:00 UTC).
 */
export async function buildDigestWorld(db: Kysely<Database>, shape: DigestWorldShape, now: Date) {
  const { members, discussions, replies } = shape
  const memberId = (n: string) => sql.raw(`md5('member-' || ${n})::uuid`)
  const discussionId = (n: string) => sql.raw(`md5('discussion-' || ${n})::uuid`)
  const platformOf = (n: string) => sql.raw(`(case when ${n} % 2 = 0 then 'discord' else 'slack' end)`)
  // random() below is seeded per statement, so every run writes the same community.
  const seeded = async (seed: number, statement: ReturnType<typeof sql>) =>
    db.connection().execute(async (connection) => {
      await sql`select setseed(${seed})`.execute(connection)
      await statement.execute(connection)
    })

  await sql`insert into communities (id, name, last_discussion_number) values (${BENCH_COMMUNITY}, 'Digest bench', ${discussions})`.execute(
    db,
  )
  await sql`
    insert into community_bridges (community_id, platform, workspace_id, channel_id) values
      (${BENCH_COMMUNITY}, 'discord', 'G-BENCH', 'C-BENCH-FORUM'),
      (${BENCH_COMMUNITY}, 'slack', 'T-BENCH', 'C-BENCH-CHANNEL')`.execute(db)
  await sql`
    insert into members (id, display_name, created_at)
    select ${memberId('n')}, 'member ' || n, ${now}::timestamptz - interval '30 days'
    from generate_series(0, ${members - 1}) n`.execute(db)
  await sql`
    insert into identities (platform, platform_user_id, member_id, display_name)
    select ${platformOf('n')}, 'U' || n, ${memberId('n')}, 'member ' || n
    from generate_series(0, ${members - 1}) n`.execute(db)
  await sql`
    insert into memberships (community_id, member_id, status, joined_at)
    select ${BENCH_COMMUNITY}, ${memberId('n')}, 'joined', ${now}::timestamptz - interval '30 days'
    from generate_series(0, ${members - 1}) n`.execute(db)
  await sql`
    insert into member_preferences (member_id, digest_frequency, timezone, digest_hour, digest_weekday)
    select ${memberId('n')},
      case when n % 100 < 80 then 'daily' when n % 100 < 90 then 'weekly' else 'immediate' end,
      (${TIME_ZONES}::text[])[1 + (n / 100) % ${TIME_ZONES.length}],
      n % 24, 1 + n % 7
    from generate_series(0, ${members - 1}) n
    where n % 100 < 98`.execute(db)
  // Spread evenly from three days to one day before now: the later half is newer than the
  // subscriptions.
  await sql`
    insert into discussions (id, community_id, number, author_member_id, author_platform,
                             author_platform_user_id, title, body, body_format, created_at)
    select ${discussionId('n')}, ${BENCH_COMMUNITY}, n + 1, ${memberId('a')}, ${platformOf('a')}, 'U' || a,
      'Discussion ' || n, 'Opening post ' || n, 'plain',
      ${now}::timestamptz - interval '3 days' + n * (interval '2 days' / ${discussions})
    from generate_series(0, ${discussions - 1}) n
    cross join lateral (select (n * 7919) % ${members} as a) author`.execute(db)
  await seeded(
    0.42,
    sql`
    insert into replies (discussion_id, author_member_id, author_platform, author_platform_user_id,
                         body, body_format, created_at, deleted_at)
    select ${discussionId('d')}, ${memberId('a')}, ${platformOf('a')}, 'U' || a,
      case when i % 100 = 99 then null else 'Reply ' || i end, 'plain', at,
      case when i % 100 = 99 then at + interval '1 minute' end
    from (
      select i,
        floor(${discussions} * random() ^ 2)::int as d,
        floor(${members} * random())::int as a,
        ${now}::timestamptz - interval '1 day' + i * (interval '23 hours' / ${replies}) as at
      from generate_series(0, ${replies - 1}) i
    ) g`,
  )
  await seeded(
    0.17,
    sql`
    insert into subscriptions (member_id, discussion_id, level, created_at, updated_at)
    select ${memberId('n')}, ${discussionId(`floor(${discussions} * random() ^ 2)::int`)}, 'watching',
      ${now}::timestamptz - interval '2 days', ${now}::timestamptz - interval '2 days'
    from generate_series(0, ${members - 1}) n, generate_series(1, 5) k
    on conflict do nothing`,
  )
  await sql`
    insert into subscriptions (member_id, community_id, level, created_at, updated_at)
    select ${memberId('n')}, ${BENCH_COMMUNITY}, 'watching',
      ${now}::timestamptz - interval '2 days', ${now}::timestamptz - interval '2 days'
    from generate_series(0, ${members - 1}, 19) n`.execute(db)
  await sql`
    insert into subscriptions (member_id, discussion_id, level, created_at, updated_at)
    select ${memberId('n')}, ${discussionId(`((n * 31) % ${discussions})`)}, 'muted',
      ${now}::timestamptz - interval '2 days', ${now}::timestamptz - interval '2 days'
    from generate_series(0, ${members - 1}, 19) n
    on conflict do nothing`.execute(db)
  // What autovacuum would have done by the time a scheduler runs on data this size: statistics
  // for the planner and a visibility map for index-only scans.
  await sql`vacuum analyze`.execute(db)
}
