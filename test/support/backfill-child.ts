/**
 * `npm run backfill` as a child process of a test, against a sandbox whose rate limits the test
 * scaled up (TEST_RATE_LIMIT_SCALE): the same runBackfill, only paced to match.
 */
import { runBackfill } from '../../bin/backfill.ts'

process.exit(
  await runBackfill({
    argv: process.argv.slice(2),
    rateLimitScale: Number(process.env.TEST_RATE_LIMIT_SCALE ?? '1'),
    // A lease of 4 s rather than the bot's 60: what the killed run held is delivered seconds after
    // the kill, not a minute. A live run renews its leases (a job waiting at a rate limit stays
    // its own), and a job claimed twice adopts what its first attempt posted (mirror_attempts),
    // so a shorter lease costs no duplicate.
    leaseMs: 4_000,
  }),
)
