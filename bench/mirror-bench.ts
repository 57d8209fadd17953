/**
 * `npm run bench`: mirror latency and sustained throughput against the sandbox at the platforms'
 * real limits (no scaling, no added latency), on the embedded database (or DATABASE_URL), with
 * rate limits counted in this process (or shared through Redis when REDIS_URL is set).
 *
 * Prints p50/p99 latency per direction, the sustained mirror rate as a fraction of the emulated
 * limit that binds it, and the 429 count the emulators recorded. Figures are medians and ratios:
 * this is a two-core machine shared with other work, so single runs vary.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { startBridge } from '../bin/bridge-runtime.ts'
import { startSandbox } from '../sandbox/sandbox.ts'
import { Core } from '../src/core.ts'
import { migrateToLatest } from '../src/db/migrate.ts'
import { openDatabase } from '../src/db/open-database.ts'
import { silentLogger } from '../src/logger.ts'
import { connectSharedRateStore } from '../src/mirror/shared-rate-store.ts'

const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 20)
const BURST = Number(process.env.BENCH_BURST ?? 40)

const workDir = await mkdtemp(path.join(tmpdir(), 'threadbridge-bench-'))
const database = process.env.DATABASE_URL
  ? await openDatabase({ kind: 'postgres', url: process.env.DATABASE_URL })
  : await openDatabase({ kind: 'embedded', dataDir: path.join(workDir, 'pglite') })
await migrateToLatest(database.db)
const sandbox = await startSandbox({ discordPort: 0, slackPort: 0 })
const core = new Core(database.db)
await core.applyConfig([sandbox.community])
for (const member of sandbox.members) await core.memberships.join(sandbox.community.id, member)
const rateStore = process.env.REDIS_URL
  ? connectSharedRateStore(process.env.REDIS_URL, silentLogger, `threadbridge-bench-${process.pid}`)
  : undefined
const bridge = await startBridge({
  database,
  core,
  logger: silentLogger,
  spoolDir: path.join(workDir, 'inbound-spool'),
  rateStore,
  discord: { token: sandbox.tokens.discord, apiUrl: sandbox.discord.apiUrl },
  slack: {
    botToken: sandbox.tokens.slackBot,
    appToken: sandbox.tokens.slackApp,
    apiUrl: sandbox.slack.apiUrl,
  },
})

const { discord, slack, discordSeed, slackSeed } = sandbox
const person = (id: string) =>
  discord.state.users.get(id) ??
  (() => {
    throw new Error(`no user ${id}`)
  })()
const forum = discord.platform.requireChannel(discordSeed.forumId)
const slackChannel = slack.workspace.requireChannel(slackSeed.channelId)
const sam =
  slack.state.users.get(slackSeed.users.sam) ??
  (() => {
    throw new Error('no sam')
  })()

/** Waits (on a 1 ms timer, never a busy loop) until `check` holds; returns the elapsed ms. */
async function timeUntil(check: () => boolean, timeoutMs = 120_000): Promise<number> {
  const started = performance.now()
  while (!check()) {
    if (performance.now() - started > timeoutMs) throw new Error('bench: timed out waiting for a mirror')
    await new Promise((resolve) => setTimeout(resolve, 1))
  }
  return performance.now() - started
}

const slackRootOf = (title: string) =>
  slack.state.topLevel(slackChannel.id).find((m) => m.text.startsWith(`*${title}*`))
const discordHas = (threadId: string, text: string) =>
  (discord.state.messages.get(threadId) ?? []).some((m) => m.content === text)
const slackHas = (rootTs: string, text: string) =>
  slack.state.thread(slackChannel.id, rootTs).some((m) => m.text === text)

// Threads to measure in: several, so Discord's 30-per-minute webhook limit per thread never binds.
const threads: { discordId: string; slackTs: string }[] = []
for (let i = 0; i < 5; i++) {
  const title = `Bench ${i}`
  const { thread } = discord.platform.createThread(forum, person(discordSeed.users.jo), title, {
    content: `Opening ${i}`,
  })
  await timeUntil(() => slackRootOf(title) !== undefined)
  threads.push({ discordId: thread.id, slackTs: slackRootOf(title)?.ts ?? '' })
}
await bridge.worker.idle()

// Latency: one message at a time, spaced so no limit is ever in the way.
const latency = { discordToSlack: [] as number[], slackToDiscord: [] as number[] }
for (let i = 0; i < SAMPLES; i++) {
  const target = threads[i % threads.length] as { discordId: string; slackTs: string }
  const toSlack = `latency d→s ${i}`
  discord.platform.send(discord.platform.requireChannel(target.discordId), person(discordSeed.users.mark), {
    content: toSlack,
  })
  latency.discordToSlack.push(await timeUntil(() => slackHas(target.slackTs, toSlack)))
  const toDiscord = `latency s→d ${i}`
  slack.workspace.post(sam, slackChannel, { text: toDiscord, thread_ts: target.slackTs })
  latency.slackToDiscord.push(await timeUntil(() => discordHas(target.discordId, toDiscord)))
  await bridge.worker.idle()
  await new Promise((resolve) => setTimeout(resolve, 1100)) // let Slack's 1/s bucket refill
}

// Sustained rate into Slack: every discussion shares one Slack channel, so its 1 message per
// second is the ceiling for the whole community.
discord.stats.reset()
slack.stats.reset()
const burstStart = performance.now()
for (let i = 0; i < BURST; i++) {
  const target = threads[i % threads.length] as { discordId: string; slackTs: string }
  discord.platform.send(discord.platform.requireChannel(target.discordId), person(discordSeed.users.mark), {
    content: `burst d→s ${i}`,
  })
}
await timeUntil(
  () =>
    threads.every((t, ti) =>
      Array.from({ length: BURST }, (_, i) => i)
        .filter((i) => i % threads.length === ti)
        .every((i) => slackHas(t.slackTs, `burst d→s ${i}`)),
    ),
  600_000,
)
const toSlackSeconds = (performance.now() - burstStart) / 1000

// Sustained rate into Discord: one webhook (5 per 2 s) serves every thread.
const burstStart2 = performance.now()
for (let i = 0; i < BURST; i++) {
  const target = threads[i % threads.length] as { discordId: string; slackTs: string }
  slack.workspace.post(sam, slackChannel, { text: `burst s→d ${i}`, thread_ts: target.slackTs })
}
await timeUntil(
  () =>
    threads.every((t, ti) =>
      Array.from({ length: BURST }, (_, i) => i)
        .filter((i) => i % threads.length === ti)
        .every((i) => discordHas(t.discordId, `burst s→d ${i}`)),
    ),
  600_000,
)
const toDiscordSeconds = (performance.now() - burstStart2) / 1000
await bridge.worker.idle()

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN
}
// Intervals, not messages: the first message of a burst goes at once, so N messages take N-1 gaps.
const slackRate = (BURST - 1) / toSlackSeconds
const discordRate = (BURST - 1) / toDiscordSeconds
const discordStats = discord.stats.toJSON()
const slackStats = slack.stats.toJSON()
const version = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8')).version
console.log(
  `Threadbridge ${version} mirror benchmark (${database.kind} database, rate limits ${rateStore ? 'shared through Redis' : 'in this process'}, sandbox at real limits)`,
)
console.log(
  `latency Discord→Slack: p50 ${percentile(latency.discordToSlack, 50).toFixed(1)} ms, p99 ${percentile(latency.discordToSlack, 99).toFixed(1)} ms (${SAMPLES} samples)`,
)
console.log(
  `latency Slack→Discord: p50 ${percentile(latency.slackToDiscord, 50).toFixed(1)} ms, p99 ${percentile(latency.slackToDiscord, 99).toFixed(1)} ms (${SAMPLES} samples)`,
)
console.log(
  `sustained into Slack:   ${slackRate.toFixed(2)} msg/s for ${BURST} replies = ${((slackRate / 1) * 100).toFixed(0)} % of the 1 msg/s per-channel limit`,
)
console.log(
  `sustained into Discord: ${discordRate.toFixed(2)} msg/s for ${BURST} replies = ${((discordRate / 2.5) * 100).toFixed(0)} % of the webhook's 5 per 2 s`,
)
console.log(
  `429 responses during the bursts: Discord ${discordStats.rate_limited}, Slack ${slackStats.rate_limited}`,
)

await bridge.stop()
await rateStore?.stop()
await sandbox.stop()
await database.close()
await rm(workDir, { recursive: true, force: true })
