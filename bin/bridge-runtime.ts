import { connectDiscord } from '../adapters/discord/connect-discord.ts'
import { serveDiscordCommands } from '../adapters/discord/discord-commands.ts'
import { toDiscordConnectError } from '../adapters/discord/discord-connect-error.ts'
import { isTransientDiscordFailure } from '../adapters/discord/discord-errors.ts'
import { listenToDiscord } from '../adapters/discord/discord-inbound.ts'
import { DiscordPlatform } from '../adapters/discord/discord-platform.ts'
import { connectSlack, type SlackConnectionOptions } from '../adapters/slack/connect-slack.ts'
import { serveSlackCommands } from '../adapters/slack/slack-commands.ts'
import { toSlackConnectError } from '../adapters/slack/slack-connect-error.ts'
import { isTransientSlackFailure } from '../adapters/slack/slack-errors.ts'
import { listenToSlack } from '../adapters/slack/slack-inbound.ts'
import { SlackPlatform } from '../adapters/slack/slack-platform.ts'
import { commandSet } from '../commands/registry.ts'
import type { Clock } from '../src/clock.ts'
import { systemClock } from '../src/clock.ts'
import type { CommandContext, CommandSet } from '../src/command/command.ts'
import { BridgedChannels } from '../src/communities/bridged-channels.ts'
import type { Core } from '../src/core.ts'
import type { DatabaseHandle } from '../src/db/open-database.ts'
import type { ClaimOptions } from '../src/digests/claim-due-digests.ts'
import { PlatformConnectError } from '../src/errors.ts'
import { InboundDecisions } from '../src/inbound/inbound-decisions.ts'
import { InboundRunner } from '../src/inbound/inbound-runner.ts'
import { InboundSpool } from '../src/inbound/inbound-spool.ts'
import { isTransientFailure } from '../src/inbound/transient-failure.ts'
import type { Logger } from '../src/logger.ts'
import { type Metrics, noMetrics } from '../src/metrics/metrics.ts'
import { MirrorEngine } from '../src/mirror/mirror-engine.ts'
import type { ModeratorAlerts } from '../src/mirror/mirror-gone.ts'
import { MirrorWorker } from '../src/mirror/mirror-worker.ts'
import { alertModerators, RecentAlerts } from '../src/mirror/moderator-alerts.ts'
import { moderatorMessages } from '../src/mirror/moderator-messages.ts'
import { DEFAULT_RETRY_POLICY, OutboxQueue, type RetryPolicy } from '../src/mirror/outbox-queue.ts'
import type { RateShaperOptions } from '../src/mirror/rate-shaper.ts'
import type { SharedRateStore } from '../src/mirror/shared-rate-store.ts'
import { mentionNames } from '../src/names/mention-names.ts'
import type { Platform } from '../src/platform/platform.ts'
import type { PlatformPort } from '../src/platform/platform-port.ts'
import { scheduleDigests } from './digest-schedule.ts'
import { scheduleVacuum } from './vacuum-schedule.ts'
import { withDeadline } from './with-deadline.ts'

export interface BridgeOptions {
  database: DatabaseHandle
  core: Core
  logger: Logger
  /**
   * Where platform events that could not be applied yet (the database was away) are kept until
   * they are, across restarts: a folder of this process's own.
   */
  spoolDir: string
  discord?: { token: string; apiUrl?: string | undefined } | undefined
  /** Socket Mode with `appToken`, or HTTP with `http` (signing secret and port). */
  slack?: Omit<SlackConnectionOptions, 'timeoutMs'> | undefined
  /** Matches a sandbox whose limits were scaled up; 1 for the real platforms. */
  rateLimitScale?: number
  /**
   * Sends without rate shaping and without discord.js's own global limit, matching a sandbox whose
   * limits were lifted (the capacity benchmark). Never against the real platforms.
   */
  liftRateLimits?: boolean
  /** Shares rate limits with other bridge processes (REDIS_URL); this process alone when absent. */
  rateStore?: SharedRateStore | undefined
  concurrency?: number
  clock?: Clock
  retry?: RetryPolicy
  leaseMs?: number
  requestTimeoutMs?: number
  /** Wraps each platform's port: how tests inject crashes between a send and its record. */
  wrapTarget?: (port: PlatformPort) => PlatformPort
  /**
   * When digests are decided (a cron expression; false: never on a timer, tests run them on
   * demand) and how (bursts and settling shortened for tests).
   */
  digests?: ClaimOptions & { schedule?: string | false }
  /**
   * When the tables deletions and edits touched are rewritten: how long after the first request
   * (`delayMs`), and how often to look (a cron expression; false: tests run it on demand).
   */
  vacuum?: { delayMs?: number; schedule?: string | false }
  /** Counts what the bridge does; nothing is counted when absent. */
  metrics?: Metrics
  /**
   * How long each platform may take to connect before start-up gives up on it: a platform that
   * accepts connections and never answers must end in an error, not a bot waiting for ever.
   */
  connectTimeoutMs?: number
  /**
   * false: deliver only. No platform events are taken in and no commands served (Slack's events
   * are not even received), for a one-off job beside a running bot: backfill.
   */
  receive?: boolean
  /**
   * Runs once both platforms are connected, before the bridge writes anything to the database:
   * the start's last checks and applying the configuration. Until it has run, events are taken
   * in and kept but not applied, commands are not served and nothing is delivered; what it
   * throws ends the start (the platforms let go, what arrived left in the spool for the next
   * start), so a start that fails changes nothing.
   */
  prepare?: () => Promise<void>
}

export type Bridge = Awaited<ReturnType<typeof startBridge>>

/**
 * Connects the platforms, takes their events into the core, and runs the mirror worker that
 * carries the core's outbox back out to them. The same code runs against the real platforms and
 * the sandbox; only base URLs and tokens differ.
 */
export async function startBridge(options: BridgeOptions) {
  const clock = options.clock ?? systemClock
  const ports = new Map<Platform, PlatformPort & { stop(): Promise<void> }>()
  const wrapped = new Map<Platform, PlatformPort>()
  const shaping: RateShaperOptions = {
    scale: options.rateLimitScale ?? 1,
    lifted: options.liftRateLimits ?? false,
    store: options.rateStore,
    onError: (error) => options.logger.warn({ reason: error.message }, 'a rate limiter failed'),
  }
  const addPort = (platform: Platform, port: PlatformPort & { stop(): Promise<void> }) => {
    ports.set(platform, port)
    wrapped.set(platform, options.wrapTarget?.(port) ?? port)
  }
  // One alert per community and cause an hour: a channel that fails every job must not send
  // moderators a message per job.
  const recentAlerts = new RecentAlerts(clock)
  const alerts: ModeratorAlerts = {
    async tellModerators(communityId, text, cause = text) {
      if (!recentAlerts.firstIn(`${communityId}:${cause}`)) return
      await alertModerators(options.database.db, wrapped, options.logger, communityId, text)
    },
  }
  const metrics = options.metrics ?? noMetrics
  const spool = new InboundSpool(options.spoolDir)
  const inbound = new InboundRunner(spool, options.logger, {
    isTransient: (error) =>
      isTransientFailure(error) || isTransientDiscordFailure(error) || isTransientSlackFailure(error),
  })
  const queue = new OutboxQueue(options.database.db, clock, {
    leaseMs: options.leaseMs ?? 60_000,
    retry: options.retry ?? DEFAULT_RETRY_POLICY,
  })
  // Both platforms' events are decided on in one place; `wrapped` fills in as platforms connect.
  // One cache of names for both: titles taken in, and mentions mirrored out.
  const names = mentionNames(options.database.db, wrapped, clock)
  const decisions = new InboundDecisions({
    core: options.core,
    names,
    ports: wrapped,
    alerts,
    deadLetters: queue,
    clock,
  })
  const deps = { decisions, logger: options.logger, runner: inbound }
  if (options.prepare) inbound.hold()
  // Commands answer with what the bot may do on each platform (delete everywhere says where an
  // original stays), who moderates there by the platform's own rights (a ban asks), the names
  // behind ids, and which accounts are the bot's own (never banned nor appointed), asked of the
  // platforms, which only this runtime holds; and they tell other accounts privately.
  const withPlatforms = (ctx: CommandContext): CommandContext => ({
    ...ctx,
    mayRemoveOriginals: async (platform) => {
      const port = wrapped.get(platform)
      const bridge = (await options.core.communities.bridges(ctx.community.id)).find(
        (b) => b.platform === platform,
      )
      return port !== undefined && bridge !== undefined && (await port.mayRemoveOriginals(bridge))
    },
    platformModerates: async ({ platform, platformUserId }) => {
      const port = wrapped.get(platform)
      const bridge = (await options.core.communities.bridges(ctx.community.id)).find(
        (b) => b.platform === platform,
      )
      if (port === undefined || bridge === undefined) return false
      const moderators = await options.core.communities.bridgeModerators(ctx.community.id, platform)
      return port.moderates({ ...bridge, ...moderators }, platformUserId)
    },
    // A name for an answer is a nicety: a platform that cannot say leaves the id, logged.
    lookUpName: async ({ platform, kind, id }) => {
      const port = wrapped.get(platform)
      try {
        return kind === 'person' ? (await port?.lookUpUser(id))?.displayName : await port?.lookUpChannel(id)
      } catch (error) {
        options.logger.warn(
          { platform, kind, reason: error instanceof Error ? error.message : String(error) },
          'could not look up a name for a command answer',
        )
        return undefined
      }
    },
    isBridgeAccount: async ({ platform, platformUserId }) =>
      (await wrapped.get(platform)?.isOwnAccount(platformUserId)) ?? false,
    // Told privately; a refused DM is logged, never the answer's failure.
    tell: async (account, text) => {
      await wrapped
        .get(account.platform)
        ?.directMessage(account.platformUserId, text)
        .catch((error: unknown) =>
          options.logger.warn(
            { platform: account.platform, reason: error instanceof Error ? error.message : String(error) },
            'could not tell an account privately',
          ),
        )
    },
  })
  const commands: CommandSet = {
    ...commandSet,
    run: (name, args, ctx) => {
      metrics.commandRan(name, ctx.platform)
      return commandSet.run(name, args, withPlatforms(ctx))
    },
    press: (actionId, ctx) => commandSet.press(actionId, withPlatforms(ctx)),
  }

  // Each platform's listeners are attached as soon as its client is ready, with nothing awaited
  // in between: an event that arrived while we were still connecting to the other platform would
  // have no listener, and neither platform sends it again.
  const connectTimeoutMs = options.connectTimeoutMs ?? 10_000
  const late = (platform: 'discord' | 'slack', apiUrl: string | undefined) => () =>
    new PlatformConnectError(
      platform,
      'unreachable',
      `cannot reach ${platform === 'discord' ? 'Discord' : 'Slack'}${apiUrl ? ` at ${apiUrl}` : ''}: no answer in ${connectTimeoutMs / 1000} s; check the network${apiUrl ? ` and THREADBRIDGE_${platform.toUpperCase()}_API_URL` : ''}`,
    )
  const discordUrl = options.discord?.apiUrl
  const discord = options.discord
    ? await withDeadline(
        connectDiscord({
          ...options.discord,
          ...(options.requestTimeoutMs ? { timeoutMs: options.requestTimeoutMs } : {}),
          ...(options.liftRateLimits ? { liftGlobalLimit: true } : {}),
        }).catch((error: unknown) => {
          throw toDiscordConnectError(error, discordUrl)
        }),
        connectTimeoutMs,
        late('discord', discordUrl),
      )
    : undefined
  const receive = options.receive ?? true
  if (discord) {
    addPort('discord', new DiscordPlatform(discord, shaping))
  }
  if (discord && receive) listenToDiscord(discord, deps)
  // Which Slack channels are bridged, known before Slack's events arrive: the rest are never kept.
  // Read once the configuration is applied; until then every channel's events are kept.
  let prepared = options.prepare === undefined
  const slackChannels = new BridgedChannels(async () => {
    if (!prepared) throw new Error('the configuration is not applied yet')
    return options.core.communities.channelIds('slack')
  })
  const loadSlackChannels = async () => {
    if (options.slack && receive)
      await withDeadline(slackChannels.load(), connectTimeoutMs, () => new Error('late')).catch(() => {})
  }
  await loadSlackChannels()
  const slackUrl = options.slack?.apiUrl
  const slackConnection = options.slack
    ? await withDeadline(
        connectSlack({
          ...options.slack,
          receive,
          logger: options.logger,
          ...(options.requestTimeoutMs ? { timeoutMs: options.requestTimeoutMs } : {}),
        }).catch((error: unknown) => {
          throw toSlackConnectError(error, slackUrl)
        }),
        connectTimeoutMs,
        late('slack', slackUrl),
      ).catch(async (error: unknown) => {
        // Discord is connected by now: let it go before reporting, or it holds the process open.
        // What it sent meanwhile is held, unapplied, in the spool for the next start.
        inbound.stop()
        await discord?.destroy()
        throw error
      })
    : undefined
  const slack = slackConnection?.app
  let slackRunning = slack !== undefined
  const slackPort = slack ? new SlackPlatform(slack.client, clock, shaping) : undefined
  if (slack && slackPort) {
    addPort('slack', slackPort)
    if (receive) listenToSlack(slack, { ...deps, bridged: (channelId) => slackChannels.includes(channelId) })
  }
  if (options.prepare) {
    try {
      await options.prepare()
    } catch (error) {
      // Nothing was applied: what arrived stays in the spool, and the platforms let go.
      inbound.stop()
      for (const port of ports.values()) await port.stop()
      await discord?.destroy()
      if (receive) await slack?.stop()
      throw error
    }
    prepared = true
    await loadSlackChannels()
    inbound.release()
  }
  // Commands are served once the configuration is applied: Discord's are registered in the
  // servers it bridges, and a command never runs against the configuration of the last start.
  if (discord && receive)
    // Mirroring does not wait on commands: a registration Discord refuses is logged, not fatal.
    await serveDiscordCommands(discord, {
      commands,
      core: options.core,
      logger: options.logger,
    }).catch((error: unknown) =>
      options.logger.warn({ err: error }, 'could not register the slash commands on Discord'),
    )
  if (slack && slackPort && receive)
    serveSlackCommands(slack, { commands, core: options.core, logger: options.logger, port: slackPort })
  const engine = new MirrorEngine(options.database.db, clock, wrapped, options.logger, names)
  const worker = new MirrorWorker(queue, engine, options.logger, {
    concurrency: options.concurrency ?? 8,
    // Three renewals a lease: one late or lost renewal still leaves the job this worker's.
    renewLeasesEveryMs: Math.floor(queue.leaseMs / 3),
    clock,
    listen: (onNotify) => options.database.listen('threadbridge_outbox', onNotify),
    metrics,
    // One alert per cause, however many jobs it fails: the cause is the platform's reason.
    // A person's digest belongs to no community: its dead letter is logged, not sent to moderators.
    onDeadLetter: async (job, error) => {
      if (job.communityId === null) {
        options.logger.warn({ job: job.id, reason: error.message }, 'a digest could not be delivered')
        return
      }
      await alerts.tellModerators(
        job.communityId,
        moderatorMessages.deadLetter(job.event.type, job.id, error),
        error.message,
      )
    },
  })
  await worker.start()
  const digests = scheduleDigests(options.database.db, clock, options.logger, options.digests, metrics)
  const vacuum = scheduleVacuum(options.database, options.logger, options.vacuum)

  return {
    discord,
    slack,
    /** How platform events are decided on: what a backfill applies the past through. */
    decisions,
    /** In Slack's HTTP mode, the port its requests are served on (at /slack/events). */
    slackHttpPort: slackConnection?.httpPort,
    queue,
    worker,
    inbound,
    /** How many platform events wait to be applied: the spool-depth gauge. */
    spoolDepth: () => spool.size(),
    /** Which platforms are connected now: readiness. */
    connected: () => ({
      discord: discord?.isReady() ?? false,
      slack: slackRunning,
    }),
    /** Decides the digests due now, as the cron would. */
    runDigests: digests.runNow,
    /** Rewrites the tables deletions and edits asked for, if due, as the cron would. */
    runVacuum: vacuum.runNow,
    async stop() {
      await digests.stop()
      await vacuum.stop()
      // Events still waiting for the database stay in the spool; the next start replays them.
      inbound.stop()
      await worker.stop()
      for (const port of ports.values()) await port.stop()
      await discord?.destroy()
      slackRunning = false
      // An app that receives nothing was never started: there is nothing to stop.
      if (receive) await slack?.stop()
    },
  }
}
