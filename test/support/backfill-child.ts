/**
 * `npm run backfill` as a child process of a test, against a sandbox whose rate limits the test
 * scaled up (TEST_RATE_LIMIT_SCALE): the same runBackfill, only paced to match.
 */
import { runBackfill } from '../../bin/backfill.ts'

process.exit(
  await runBackfill({
    argv: process.argv.slice(2),
    rateLimitScale: Number(process.env.TEST_RATE_LIMIT_SCALE ?? '1'),
    // The default lease (60 s), as the bot runs: a job still being delivered when its lease ends
    // is claimed a second time, and under CI's load a shorter one (5 s, then 20 s) ran out while a
    // reply waited its turn, and it was posted twice. What a killed run had claimed waits it out.
  }),
)
