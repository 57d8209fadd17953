import { mkdir, readFile, rename, writeFile } from 'node:fs/promises'
import path from 'node:path'
import type { CommunityConfig } from '../src/config/config-schema.ts'
import type { PlatformActor } from '../src/platform/platform.ts'
import { DiscordEmulator } from './discord/discord-emulator.ts'
import { type DiscordSeed, seedDiscord } from './discord/discord-seed.ts'
import { type DiscordSnapshot, restoreDiscord, snapshotDiscord } from './discord/discord-snapshot.ts'
import type { SlackAppManifest } from './slack/slack-app-manifest.ts'
import { SlackEmulator } from './slack/slack-emulator.ts'
import { type SlackSeed, seedSlack } from './slack/slack-seed.ts'
import { restoreSlack, type SlackSnapshot, snapshotSlack } from './slack/slack-state.ts'

export interface SandboxOptions {
  /** Where the sandbox keeps its world between runs; in memory only when unset. */
  dataDir?: string | undefined
  discordPort?: number
  slackPort?: number
  host?: string
  rateLimitScale?: number
  /** Both emulators without rate limits, for the capacity benchmark; the platforms' limits when unset. */
  liftRateLimits?: boolean
  /**
   * Slack reaches the app over HTTP, requests signed with this secret, instead of Socket Mode;
   * the Request URL is set on `slack.http` once the app listens.
   */
  slackSigningSecret?: string
  /** The privileged intents enabled for the Discord application; all of them when unset. */
  discordPrivilegedIntents?: number
  /** The Slack app's manifest (its scopes, commands, events); slack-manifest.yml when unset. */
  slackAppManifest?: SlackAppManifest
}

export interface Sandbox {
  discord: DiscordEmulator
  slack: SlackEmulator
  discordSeed: DiscordSeed
  slackSeed: SlackSeed
  /** True when the world was just created (not restored): the seed content has not been posted yet. */
  firstStart: boolean
  /** The seeded community, as the bot's configuration declares it. */
  community: CommunityConfig
  /** The people who are members in Threadbridge's database from the start (not visitor or guest). */
  members: PlatformActor[]
  /** What the bot logs in with: the emulators accept these and nothing else. */
  tokens: { discord: string; slackBot: string; slackApp: string }
  save(): Promise<void>
  stop(): Promise<void>
}

const SNAPSHOT_VERSION = 1
/** What the sandbox's bot logs in with; the emulators accept nothing else. */
export const SANDBOX_TOKENS = {
  discord: 'sandbox-discord-token',
  slackBot: 'xoxb-sandbox-token',
  slackApp: 'xapp-sandbox-token',
}

/** The Slack app's signing secret when the sandbox's Slack reaches the bot over HTTP. */
export const SANDBOX_SIGNING_SECRET = 'sandbox-signing-secret'
/**
 * The sandbox's community: an id of its own, never the one a real install starts with
 * (DEFAULT_COMMUNITIES), so a sandbox pointed at a real database cannot take that one over.
 */
export const SANDBOX_COMMUNITY_ID = 'sandbox'
/** How the sandbox's community is named, whatever its id. */
export const SANDBOX_COMMUNITY_NAME = 'Lightbulb Moment'
/** The id worlds saved before the sandbox had its own kept: their database is bound to it. */
const LEGACY_COMMUNITY_ID = 'lightbulb-moment'

interface Snapshot {
  version: number
  /** Absent in worlds saved before the sandbox had a community id of its own. */
  communityId?: string
  discord: DiscordSnapshot
  slack: SlackSnapshot
  discordSeed: DiscordSeed
  slackSeed: SlackSeed
}

/**
 * Starts the local Discord and Slack with the Lightbulb Moment community: guild "Lightbulb Moment"
 * with forum `discussions` and people jo, mark, visitor; workspace channel #lightbulb-moment with
 * sam, alex, guest. The world is saved in the data directory, so ids stay valid across restarts
 * (the bot's database links to them).
 */
export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const file = options.dataDir === undefined ? undefined : path.join(options.dataDir, 'sandbox.json')
  const saved = file === undefined ? undefined : await loadSnapshot(file)
  const discordState = saved ? restoreDiscord(saved.discord) : undefined
  const slackState = saved ? restoreSlack(saved.slack) : undefined
  const host = options.host ?? '127.0.0.1'
  const discord = new DiscordEmulator({
    ...(discordState ? { state: discordState } : {}),
    host,
    port: options.discordPort ?? 4101,
    token: SANDBOX_TOKENS.discord,
    rateLimitScale: options.rateLimitScale ?? 1,
    liftRateLimits: options.liftRateLimits ?? false,
    ...(options.discordPrivilegedIntents === undefined
      ? {}
      : { privilegedIntents: options.discordPrivilegedIntents }),
  })
  const slack = new SlackEmulator({
    ...(slackState ? { state: slackState } : {}),
    host,
    port: options.slackPort ?? 4102,
    botToken: SANDBOX_TOKENS.slackBot,
    appToken: SANDBOX_TOKENS.slackApp,
    rateLimitScale: options.rateLimitScale ?? 1,
    liftRateLimits: options.liftRateLimits ?? false,
    ...(options.slackSigningSecret ? { http: { signingSecret: options.slackSigningSecret } } : {}),
    ...(options.slackAppManifest ? { appManifest: options.slackAppManifest } : {}),
  })
  const discordSeed = saved?.discordSeed ?? seedDiscord(discord.state)
  const slackSeed = saved?.slackSeed ?? seedSlack(slack.state)
  const communityId = saved === undefined ? SANDBOX_COMMUNITY_ID : (saved.communityId ?? LEGACY_COMMUNITY_ID)
  await discord.start()
  try {
    await slack.start()
  } catch (error) {
    await discord.stop()
    throw error
  }

  const save = async () => {
    if (file === undefined) return
    const snapshot: Snapshot = {
      version: SNAPSHOT_VERSION,
      communityId,
      discord: snapshotDiscord(discord.state),
      slack: snapshotSlack(slack.state),
      discordSeed,
      slackSeed,
    }
    await mkdir(path.dirname(file), { recursive: true })
    // Write then rename, so a crash mid-write never leaves half a world behind.
    await writeFile(`${file}.tmp`, JSON.stringify(snapshot))
    await rename(`${file}.tmp`, file)
  }
  await save()

  return {
    discord,
    slack,
    discordSeed,
    slackSeed,
    firstStart: saved === undefined,
    community: {
      id: communityId,
      name: SANDBOX_COMMUNITY_NAME,
      discord: { guildId: discordSeed.guildId, channelId: discordSeed.forumId },
      slack: { teamId: slackSeed.teamId, channelId: slackSeed.channelId },
      // One on each side: mark moderates from Discord, alex from Slack.
      moderators: [
        { platform: 'discord', userId: discordSeed.users.mark },
        { platform: 'slack', userId: slackSeed.users.alex },
      ],
    },
    members: [
      { platform: 'discord', platformUserId: discordSeed.users.jo, displayName: 'jo' },
      { platform: 'discord', platformUserId: discordSeed.users.mark, displayName: 'mark' },
      { platform: 'slack', platformUserId: slackSeed.users.sam, displayName: 'sam' },
      { platform: 'slack', platformUserId: slackSeed.users.alex, displayName: 'alex' },
    ],
    tokens: SANDBOX_TOKENS,
    save,
    stop: async () => {
      await save()
      await Promise.all([discord.stop(), slack.stop()])
    },
  }
}

/** The bridged channels of the world saved in `dataDir` (the running sandbox's); undefined before its first start. */
export async function savedSandboxCommunity(
  dataDir: string,
): Promise<Pick<CommunityConfig, 'discord' | 'slack'> | undefined> {
  const saved = await loadSnapshot(path.join(dataDir, 'sandbox.json'))
  if (saved === undefined) return undefined
  return {
    discord: { guildId: saved.discordSeed.guildId, channelId: saved.discordSeed.forumId },
    slack: { teamId: saved.slackSeed.teamId, channelId: saved.slackSeed.channelId },
  }
}

/** The sandbox application's id in the world saved in `dataDir`; undefined before its first start. */
export async function savedSandboxApplicationId(dataDir: string): Promise<string | undefined> {
  return (await loadSnapshot(path.join(dataDir, 'sandbox.json')))?.discord.applicationId
}

async function loadSnapshot(file: string): Promise<Snapshot | undefined> {
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch {
    return undefined
  }
  const snapshot = JSON.parse(text) as Snapshot
  if (snapshot.version !== SNAPSHOT_VERSION)
    throw new Error(`${file} is from another version of the sandbox; move it away to start afresh`)
  return snapshot
}
