/**
 * `npm run backfill` as a child process of a test, against a sandbox whose rate limits the test
 * scaled up (TEST_RATE_LIMIT_SCALE): the same runBackfill, only paced to match, with a short lease.
 */
import { runBackfill } from '../../bin/backfill.ts'

process.exit(
  await runBackfill({
    argv: process.argv.slice(2),
    rateLimitScale: Number(process.env.TEST_RATE_LIMIT_SCALE ?? '1'),
    // What a killed run had claimed is claimable again this soon. Not shorter: a job still being
    // delivered when its lease ends is claimed a second time (under the full suite's load, 5 s was
    // not enough, and a reply was posted twice), which is what the 60 s default guards against.
    leaseMs: 20_000,
  }),
)
