import { availableParallelism, loadavg } from 'node:os'
import { RESTEvents } from 'discord.js'
import { type BenchWorld, benchCast, startBenchWorld, timeUntil } from './bench-world.ts'
import { StatementCounter } from './statement-counter.ts'

const DISCUSSIONS = Number(process.env.BENCH_DISCUSSIONS ?? 20)
const REPLIES = Number(process.env.BENCH_REPLIES ?? 400)

interface Discussion {
  /** Where people write: its replies are posted here and mirrored to the other platform. */
  origin: 'discord' | 'slack'
  discordThreadId: string
  slackRootTs: string
}

/**
 * The capacity run: how many messages one process mirrors per second once no rate limit is in
 * the way, and what each costs in CPU and SQL statements. Both emulators and the bridge's own
 * rate shaping run with their limits lifted; the bot, both emulators and (when embedded) the
 * database share this one process, as in the issue that asked for the figure.
 *
 * Half the discussions are started on Discord and replied to on Discord (mirrored into Slack),
 * half started on Slack and replied to on Slack (mirrored into Discord). The replies are posted
 * by people through the emulators all at once, round-robin over the discussions, and the clock
 * runs from the first post to the moment the last mirror is seen on the other platform. CPU is
 * this process's user+system time and SQL statements are every statement the bot's database
 * handle sent (begin and commit included), both over that same span and divided by the number of
 * mirrored replies; the last jobs' bookkeeping after their post falls outside it (a handful of
 * statements a run). Setup (the discussions and their mirrors) is not counted.
 */
export async function runCapacityBench(version: string, options: { listStatements: boolean }): Promise<void> {
  const counter = new StatementCounter()
  const world = await startBenchWorld({
    liftRateLimits: true,
    // Counting limits in Redis only matters when limits apply; with none, it would add Redis's
    // round trips to what should be the bridge's own cost.
    shareLimitsThroughRedis: false,
    observer: { onStatement: counter.record },
  })
  try {
    await measure(world, counter, version, options)
  } finally {
    await world.close()
  }
}

async function measure(
  world: BenchWorld,
  counter: StatementCounter,
  version: string,
  options: { listStatements: boolean },
): Promise<void> {
  const { bridge } = world
  const { discord, slack } = world.sandbox
  const { jo, mark, sam, alex, forum, slackChannel } = benchCast(world.sandbox)
  let clientWaits = 0
  bridge.discord?.rest.on(RESTEvents.RateLimited, () => {
    clientWaits += 1
  })

  // Setup: the discussions and their mirrors, outside the measurement.
  const titles = Array.from({ length: DISCUSSIONS }, (_, i) => `Capacity ${i % 2 === 0 ? 'D' : 'S'}${i}`)
  for (const [i, title] of titles.entries()) {
    if (i % 2 === 0) discord.platform.createThread(forum, jo, title, { content: `Opening ${i}` })
    else slack.workspace.post(sam, slackChannel, { text: `${title}\nOpening ${i}` })
  }
  const slackRootOf = (title: string) =>
    slack.state
      .topLevel(slackChannel.id)
      .find((m) => m.text.startsWith(`*${title}*`) || m.text.startsWith(`${title}\n`))
  const discordThreadOf = (title: string) =>
    [...discord.state.channels.values()].find((c) => c.parent_id === forum.id && c.name === title)
  await timeUntil(() => titles.every((t) => slackRootOf(t) && discordThreadOf(t)), 300_000, 20)
  await bridge.worker.idle()
  const discussions: Discussion[] = titles.map((title, i) => ({
    origin: i % 2 === 0 ? 'discord' : 'slack',
    discordThreadId: discordThreadOf(title)?.id ?? '',
    slackRootTs: slackRootOf(title)?.ts ?? '',
  }))

  // Mirrors are counted by how many messages the other side holds: cheap enough to look at every
  // few milliseconds without the looking weighing on the CPU figure. Contents are checked after.
  const intoDiscord = discussions.filter((d) => d.origin === 'slack')
  const intoSlack = discussions.filter((d) => d.origin === 'discord')
  const discordCount = () =>
    intoDiscord.reduce((n, d) => n + (discord.state.messages.get(d.discordThreadId)?.length ?? 0), 0)
  const slackCount = () => slack.state.messages.get(slackChannel.id)?.length ?? 0
  const replies = Array.from({ length: REPLIES }, (_, i) => {
    const discussion = discussions[i % discussions.length] as Discussion
    return { discussion, text: `capacity ${discussion.origin === 'discord' ? 'd→s' : 's→d'} ${i}` }
  })
  const toSlack = replies.filter((r) => r.discussion.origin === 'discord').length
  const toDiscord = REPLIES - toSlack
  // Slack's channel holds people's Slack replies too (posted at once, below) besides the mirrors.
  const slackTarget = slackCount() + toSlack + toDiscord
  const discordTarget = discordCount() + toDiscord

  discord.stats.reset()
  slack.stats.reset()
  // Throughput depends on what else the machine is doing; the load says how far to trust it.
  const loadBefore = loadavg()[0] ?? 0
  const cpuBefore = process.cpuUsage()
  const loopBefore = performance.eventLoopUtilization()
  counter.start()
  const started = performance.now()
  for (const [i, { discussion, text }] of replies.entries()) {
    // Two people on each side, so replies do not all come from one author.
    const first = i % 4 < 2
    if (discussion.origin === 'discord') {
      const thread = discord.platform.requireChannel(discussion.discordThreadId)
      discord.platform.send(thread, first ? mark : jo, { content: text })
    } else slack.workspace.post(first ? sam : alex, slackChannel, { text, thread_ts: discussion.slackRootTs })
  }
  const done = { slack: Number.NaN, discord: Number.NaN }
  await timeUntil(
    () => {
      const now = performance.now()
      if (Number.isNaN(done.slack) && slackCount() >= slackTarget) done.slack = now
      if (Number.isNaN(done.discord) && discordCount() >= discordTarget) done.discord = now
      return !Number.isNaN(done.slack) && !Number.isNaN(done.discord)
    },
    600_000,
    5,
  )
  const seconds = (Math.max(done.slack, done.discord) - started) / 1000
  counter.stop()
  const cpu = process.cpuUsage(cpuBefore)
  const loop = performance.eventLoopUtilization(loopBefore)

  // Every reply mirrored exactly once, or the figures are not worth printing.
  const discordTexts = intoDiscord.flatMap((d) =>
    (discord.state.messages.get(d.discordThreadId) ?? []).map((m) => m.content),
  )
  const slackTexts = intoSlack.flatMap((d) =>
    slack.state.thread(slackChannel.id, d.slackRootTs).map((m) => m.text),
  )
  const wrong = replies.filter(({ discussion, text }) => {
    const seen = discussion.origin === 'discord' ? slackTexts : discordTexts
    return seen.filter((t) => t === text).length !== 1
  })
  if (wrong.length > 0)
    throw new Error(`bench: ${wrong.length} replies were not mirrored exactly once, e.g. "${wrong[0]?.text}"`)
  await bridge.worker.idle()

  const perMessage = (n: number) => (n / REPLIES).toFixed(2)
  const cpuMs = (cpu.user + cpu.system) / 1000
  console.log(
    `Threadbridge ${version} capacity run (${world.databaseName}; emulators' and bridge's rate limits lifted; ${world.database.kind === 'embedded' ? 'bot, both emulators and the database' : 'bot and both emulators'} in this one process)`,
  )
  console.log(
    `machine: ${availableParallelism()} cores, load average ${loadBefore.toFixed(1)} before the run and ${(loadavg()[0] ?? 0).toFixed(1)} after`,
  )
  console.log(
    `${REPLIES} replies over ${DISCUSSIONS} discussions, posted at once: ${toSlack} on Discord in ${intoSlack.length} discussions started there (mirrored into Slack), ${toDiscord} on Slack in ${intoDiscord.length} started there (mirrored into Discord)`,
  )
  console.log(
    `throughput: ${(REPLIES / seconds).toFixed(1)} msg/s (${REPLIES} mirrored in ${seconds.toFixed(2)} s from the first post to the last mirror seen; into Slack done at ${((done.slack - started) / 1000).toFixed(2)} s, into Discord at ${((done.discord - started) / 1000).toFixed(2)} s)`,
  )
  console.log(
    `CPU: ${(cpuMs / REPLIES).toFixed(2)} ms per mirrored message (user ${(cpu.user / 1000 / REPLIES).toFixed(2)} + system ${(cpu.system / 1000 / REPLIES).toFixed(2)}; this process, emulators included${world.database.kind === 'postgres' ? ', the PostgreSQL server not' : ''}); event loop busy ${(loop.utilization * 100).toFixed(0)} %`,
  )
  console.log(
    `SQL: ${perMessage(counter.total)} statements per mirrored message (${counter.total} in all, begin and commit included)`,
  )
  console.log('statements per mirrored message, by kind:')
  for (const { kind, count } of counter.byKind()) console.log(`  ${perMessage(count).padStart(6)}  ${kind}`)
  if (options.listStatements) {
    console.log('each distinct statement, per mirrored message:')
    for (const { sql, count } of counter.byStatement())
      console.log(`  ${perMessage(count).padStart(6)}  ${sql.replace(/\s+/g, ' ')}`)
  }
  console.log(
    `bot's requests: Discord ${discord.stats.requests}, Slack ${slack.stats.requests}; 429 responses: Discord ${discord.stats.rate_limited}, Slack ${slack.stats.rate_limited}; discord.js waits on its own limits: ${clientWaits}; warnings logged: ${world.complaints.length}`,
  )
  for (const complaint of world.complaints.slice(0, 5)) console.log(`  ${complaint.slice(0, 300)}`)
}
