/**
 * `npm run bench:vacuum`: what erasing deleted words from disk costs. Builds a community with
 * 100,000 replies (`--replies N` for another size) of chat-like lengths, 1% of them long enough
 * for TOAST; then, five times, deletes 100 replies the way a purge does (with its vacuum request)
 * and times the vacuum job that serves the requests (vacuumRequested: VACUUM FULL of `replies`
 * and `attachments`, and on the embedded database the log switch and checkpoint), and separately
 * a plain VACUUM of `replies`, which is cheaper but leaves deleted words readable
 * (src/erasure/vacuum-requested.ts). Prints the medians.
 *
 * The embedded database is on disk in a temporary directory (file I/O is the cost being
 * measured); with DATABASE_URL, a fresh database on that server, dropped afterwards. The
 * exclusive lock is held for the whole VACUUM FULL: its time is how long replies wait.
 */

import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { sql } from 'kysely'
import { migrateToLatest } from '../src/db/migrate.ts'
import { type DatabaseHandle, openDatabase } from '../src/db/open-database.ts'
import { requestVacuum } from '../src/erasure/request-vacuum.ts'
import { vacuumRequested } from '../src/erasure/vacuum-requested.ts'
import { createServerDatabase } from './bench-world.ts'

const args = process.argv.slice(2)
const replies = args[0] === '--replies' ? Number(args[1]) : 100_000
if (!Number.isInteger(replies) || replies < 1000) {
  console.error('usage: npm run bench:vacuum [-- --replies N] (N a whole number, at least 1000)')
  process.exit(2)
}
const ROUNDS = 5
const DELETED_PER_ROUND = 100

const adminUrl = process.env.DATABASE_URL
const server = adminUrl ? await createServerDatabase(adminUrl) : undefined
const dataDir = server ? undefined : mkdtempSync(path.join(tmpdir(), 'threadbridge-vacuum-bench-'))
const database: DatabaseHandle = server
  ? await openDatabase({ kind: 'postgres', url: server.url })
  : await openDatabase({ kind: 'embedded', dataDir })
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0

try {
  await migrateToLatest(database.db)
  const built = performance.now()
  await build(database, replies)
  const size = await sql<{ bytes: string }>`select pg_total_relation_size('replies')::text as bytes`.execute(
    database.db,
  )
  console.log(
    `${database.kind === 'embedded' ? 'embedded PostgreSQL (on disk)' : 'PostgreSQL server'}: ${replies.toLocaleString('en')} replies, ` +
      `${(Number(size.rows[0]?.bytes) / 1048576).toFixed(1)} MB with TOAST and indexes, built in ${((performance.now() - built) / 1000).toFixed(1)} s`,
  )
  const full: number[] = []
  const plain: number[] = []
  for (let round = 0; round < ROUNDS; round += 1) {
    await purgeSome(database, round)
    let started = performance.now()
    const run = await vacuumRequested(database, { delayMs: 0 })
    full.push(performance.now() - started)
    if (!run?.tables.includes('replies')) throw new Error('the vacuum job did not rewrite replies')
    await purgeSome(database, ROUNDS + round)
    started = performance.now()
    await sql`vacuum replies`.execute(database.db)
    plain.push(performance.now() - started)
    await database.db.deleteFrom('vacuum_requests').execute()
  }
  console.log(
    `vacuum job (VACUUM FULL replies, attachments${database.kind === 'embedded' ? ', log switch, checkpoint' : ''}): median ${median(full).toFixed(0)} ms of ${full.map((ms) => ms.toFixed(0)).join(', ')}`,
  )
  console.log(
    `plain VACUUM replies (leaves words on disk): median ${median(plain).toFixed(0)} ms of ${plain.map((ms) => ms.toFixed(0)).join(', ')}`,
  )
} finally {
  await database.close()
  await server?.drop()
  if (dataDir) rmSync(dataDir, { recursive: true, force: true })
}

/** One community, 1,000 discussions, `count` replies: 200 characters on average, 1% of 4,000. */
async function build({ db }: DatabaseHandle, count: number) {
  await sql`insert into communities (id, name, last_discussion_number) values ('vacuum-bench', 'Vacuum bench', 1000)`.execute(
    db,
  )
  await sql`insert into members (id, display_name) values (md5('bench')::uuid, 'bench')`.execute(db)
  await sql`
    insert into discussions (id, community_id, number, author_member_id, title, body, body_format)
    select md5('d' || n)::uuid, 'vacuum-bench', n, md5('bench')::uuid, 'Discussion ' || n, 'Opening post ' || n, 'plain'
    from generate_series(1, 1000) n`.execute(db)
  for (let from = 0; from < count; from += 50_000) {
    await sql`
      insert into replies (discussion_id, author_member_id, body, body_format)
      select md5('d' || (1 + n % 1000))::uuid, md5('bench')::uuid,
        case when n % 100 = 0 then repeat(md5(n::text), 125) else left(repeat(md5(n::text) || ' ', 20), 20 + n * 7919 % 360) end,
        'plain'
      from generate_series(${from}::int, ${Math.min(count, from + 50_000) - 1}::int) n`.execute(db)
  }
}

/** Deletes 100 replies spread over the table, as a purge does: words gone, vacuum requested. */
async function purgeSome({ db }: DatabaseHandle, round: number) {
  await db.transaction().execute(async (tx) => {
    await sql`
      update replies set body = null, deleted_at = now()
      where seq in (select seq from replies where deleted_at is null and seq % ${replies / DELETED_PER_ROUND}::int = ${round}::int)`.execute(
      tx,
    )
    await requestVacuum(tx, ['replies', 'attachments'])
  })
}
