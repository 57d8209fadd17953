import { type BenchWorld, benchCast, startBenchWorld, timeUntil } from './bench-world.ts'

const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 20)
const BURST = Number(process.env.BENCH_BURST ?? 40)

/**
 * Mirror latency and sustained throughput at the platforms' real limits (no scaling, no added
 * latency), with rate limits counted in this process (or shared through Redis when REDIS_URL is
 * set). Prints p50/p99 latency per direction, the sustained mirror rate as a fraction of the
 * emulated limit that binds it, and the 429 count the emulators recorded.
 */
export async function runLatencyBench(version: string): Promise<void> {
  const world = await startBenchWorld({ liftRateLimits: false, shareLimitsThroughRedis: true })
  try {
    await measure(world, version)
  } finally {
    await world.close()
  }
}

async function measure(world: BenchWorld, version: string): Promise<void> {
  const { bridge, rateStore } = world
  const { discord, slack } = world.sandbox
  const { jo, mark, sam, forum, slackChannel } = benchCast(world.sandbox)

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
    const { thread } = discord.platform.createThread(forum, jo, title, { content: `Opening ${i}` })
    await timeUntil(() => slackRootOf(title) !== undefined)
    threads.push({ discordId: thread.id, slackTs: slackRootOf(title)?.ts ?? '' })
  }
  await bridge.worker.idle()
  const threadOf = (i: number) => threads[i % threads.length] as { discordId: string; slackTs: string }

  // Latency: one message at a time, spaced so no limit is ever in the way.
  const latency = { discordToSlack: [] as number[], slackToDiscord: [] as number[] }
  for (let i = 0; i < SAMPLES; i++) {
    const target = threadOf(i)
    const toSlack = `latency d→s ${i}`
    discord.platform.send(discord.platform.requireChannel(target.discordId), mark, { content: toSlack })
    latency.discordToSlack.push(await timeUntil(() => slackHas(target.slackTs, toSlack)))
    const toDiscord = `latency s→d ${i}`
    slack.workspace.post(sam, slackChannel, { text: toDiscord, thread_ts: target.slackTs })
    latency.slackToDiscord.push(await timeUntil(() => discordHas(target.discordId, toDiscord)))
    await bridge.worker.idle()
    await new Promise((resolve) => setTimeout(resolve, 1100)) // let Slack's 1/s bucket refill
  }

  const allMirrored = (
    has: (t: { discordId: string; slackTs: string }, text: string) => boolean,
    label: string,
  ) =>
    threads.every((t, ti) =>
      Array.from({ length: BURST }, (_, i) => i)
        .filter((i) => i % threads.length === ti)
        .every((i) => has(t, `${label} ${i}`)),
    )

  // Sustained rate into Slack: every discussion shares one Slack channel, so its 1 message per
  // second is the ceiling for the whole community.
  discord.stats.reset()
  slack.stats.reset()
  const burstStart = performance.now()
  for (let i = 0; i < BURST; i++) {
    const target = threadOf(i)
    discord.platform.send(discord.platform.requireChannel(target.discordId), mark, {
      content: `burst d→s ${i}`,
    })
  }
  await timeUntil(() => allMirrored((t, text) => slackHas(t.slackTs, text), 'burst d→s'), 600_000)
  const toSlackSeconds = (performance.now() - burstStart) / 1000

  // Sustained rate into Discord: one webhook (5 per 2 s) serves every thread.
  const burstStart2 = performance.now()
  for (let i = 0; i < BURST; i++) {
    slack.workspace.post(sam, slackChannel, { text: `burst s→d ${i}`, thread_ts: threadOf(i).slackTs })
  }
  await timeUntil(() => allMirrored((t, text) => discordHas(t.discordId, text), 'burst s→d'), 600_000)
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
  console.log(
    `Threadbridge ${version} mirror benchmark (${world.databaseName}, rate limits ${rateStore ? 'shared through Redis' : 'in this process'}, sandbox at real limits)`,
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
}
