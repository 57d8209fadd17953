/**
 * `npm run bench:digests`: how long deciding every due digest takes, and how much memory it needs,
 * for a community of 100,000 subscribers, then 10,000 (memory should not grow with them), with
 * 10,000 discussions and 1,000,000 replies each time, every digest due at once. The data shape is
 * described in bench/digest-world.ts.
 *
 * Needs DATABASE_URL: the point is the real server's planner and I/O, which the embedded database
 * does not have. Each size gets a fresh database created on that server and dropped afterwards;
 * the bench never writes into the database the URL names, which the test suite may be using.
 *
 * Only the claimDueDigests call is timed (every page, until it has claimed all); building the data
 * is not. Peak RSS is this process's resident set sampled during the call, which is where memory
 * would grow if pages piled up results. Single runs on a shared two-core machine: repeat and
 * compare medians. `--members 5000,...` picks other sizes.
 */

import { migrateToLatest } from '../src/db/migrate.ts'
import { openDatabase } from '../src/db/open-database.ts'
import { claimDueDigests } from '../src/digests/claim-due-digests.ts'
import { createServerDatabase } from './bench-world.ts'
import { buildDigestWorld } from './digest-world.ts'

const adminUrl = process.env.DATABASE_URL
if (!adminUrl) {
  console.error('bench:digests needs DATABASE_URL (a PostgreSQL server it may create databases on)')
  process.exit(2)
}

const args = process.argv.slice(2)
const sizesArg = args[0] === '--members' ? args[1] : undefined
const sizes = sizesArg ? sizesArg.split(',').map(Number) : [100_000, 10_000]
const pageSize = process.env.DIGEST_PAGE_SIZE ? Number(process.env.DIGEST_PAGE_SIZE) : undefined
const DISCUSSIONS = 10_000
const REPLIES = 1_000_000
// A Wednesday noon: every daily and weekly slot has a most recent occurrence before it.
const NOW = new Date('2026-12-09T12:00:00Z')

for (const members of sizes) await runOnce(adminUrl, members)

async function runOnce(url: string, members: number): Promise<void> {
  const server = await createServerDatabase(url)
  try {
    const database = await openDatabase({ kind: 'postgres', url: server.url })
    try {
      await migrateToLatest(database.db)
      const building = performance.now()
      await buildDigestWorld(database.db, { members, discussions: DISCUSSIONS, replies: REPLIES }, NOW)
      const built = (performance.now() - building) / 1000
      const peak = sampleRss()
      const started = performance.now()
      const run = await claimDueDigests(database.db, NOW, pageSize === undefined ? {} : { pageSize })
      const seconds = (performance.now() - started) / 1000
      const peakMiB = peak.stop() / 2 ** 20
      if (!run.ran || run.members !== members)
        throw new Error(`bench: looked at ${run.members} of ${members} members (ran: ${run.ran})`)
      console.log(
        `digests: ${fmt(members)} subscribers, ${fmt(REPLIES)} replies: every due digest computed in ` +
          `${seconds.toFixed(1)} s, peak RSS ${peakMiB.toFixed(0)} MiB`,
      )
      if (process.env.DIGEST_BENCH_VERBOSE)
        console.log(`  ${run.claimed} claimed, ${run.empty} empty; data built in ${built.toFixed(0)} s`)
    } finally {
      await database.close()
    }
  } finally {
    await server.drop()
  }
}

/** The largest resident set seen from now until stop(), sampled often enough to catch a page's worth. */
function sampleRss() {
  let peak = process.memoryUsage.rss()
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss())
  }, 10)
  return {
    stop: () => {
      clearInterval(timer)
      return Math.max(peak, process.memoryUsage.rss())
    },
  }
}

function fmt(n: number): string {
  return n.toLocaleString('en-US')
}
