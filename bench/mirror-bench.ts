/**
 * `npm run bench`: two runs against the sandbox, each with a bridge and a database of its own, on
 * the embedded database, or with DATABASE_URL on a fresh database created on that server (and
 * dropped afterwards).
 *
 * - at the platforms' real limits (bench/latency-bench.ts): mirror latency p50/p99 each way and
 *   the sustained rate as a fraction of the limit that binds it;
 * - capacity, with every limit lifted (bench/capacity-bench.ts): 400 replies over 20 discussions,
 *   half posted on Discord and half on Slack, giving messages per second, CPU milliseconds and
 *   SQL statements per mirrored message, and which statements those are.
 *
 * `npm run bench -- --capacity` runs only the capacity run (add `--statements` to list every
 * distinct statement), `--latency` only the other. `--hostile` only times the converters on
 * hostile text against ordinary text of the same length (bench/hostile-bench.ts), no sandbox: a
 * table of medians and their ratio. Figures are single runs on a two-core machine shared with
 * other work: repeat them and compare medians.
 */
import { readFile } from 'node:fs/promises'
import { runCapacityBench } from './capacity-bench.ts'
import { runHostileBench } from './hostile-bench.ts'
import { runLatencyBench } from './latency-bench.ts'

const args = new Set(process.argv.slice(2))
const known = new Set(['--capacity', '--latency', '--statements', '--hostile'])
const unknown = [...args].filter((a) => !known.has(a))
if (unknown.length > 0) {
  console.error(
    `bench: unknown option ${unknown.join(' ')}; use --capacity, --latency, --statements, --hostile`,
  )
  process.exit(2)
}
const only = args.has('--capacity') || args.has('--latency') || args.has('--hostile')
const version = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8')).version

if (args.has('--hostile')) runHostileBench()
if (!only || args.has('--latency')) await runLatencyBench(version)
if (!only || args.has('--capacity'))
  await runCapacityBench(version, { listStatements: args.has('--statements') })
