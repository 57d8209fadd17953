import { type Client, GatewayIntentBits, type GuildBasedChannel } from 'discord.js'
import { type DoctorCheck, fail, ok } from '../../src/doctor/doctor-check.ts'
import { PlatformConnectError } from '../../src/errors.ts'
import { BOT_PERMISSION_NAMES, missingPermissions } from './bot-permissions.ts'
import { BOT_INTENTS, connectDiscord } from './connect-discord.ts'
import { fetchApplication } from './discord-invite.ts'

export interface DiscordDoctorOptions {
  token: string
  apiUrl?: string | undefined
  /** The bridged channels: where the bot must be, with its rights. */
  bridges: { guildId: string; channelId: string }[]
  /** The command names the bot registers in each bridged server; undefined: not checked. */
  commandNames?: string[] | undefined
  timeoutMs?: number
}

const PRIVILEGED = GatewayIntentBits.MessageContent

/**
 * Checks what the bot needs of Discord, one line each: the token (GET /applications/@me), the
 * Message Content intent (a gateway IDENTIFY with the bot's intents: Discord closes with 4014
 * when it is not enabled), and in each bridged channel the bot's presence, its rights
 * (BOT_PERMISSIONS, computed by discord.js from roles and overwrites) and its registered slash
 * commands. Reads only: it changes nothing on Discord.
 */
export async function checkDiscord(options: DiscordDoctorOptions): Promise<DoctorCheck[]> {
  const checks: DoctorCheck[] = []
  let applicationName: string
  try {
    applicationName = (await fetchApplication(options.token, options.apiUrl)).name
  } catch (error) {
    return [fail(`Discord: ${error instanceof Error ? error.message : String(error)}`)]
  }
  checks.push(ok(`Discord: DISCORD_TOKEN is valid (application ${applicationName})`))

  const connect = (intents: GatewayIntentBits[]) =>
    withTimeout(
      connectDiscord({ token: options.token, apiUrl: options.apiUrl, intents, timeoutMs: 10_000 }),
      options.timeoutMs ?? 15_000,
    )
  let client: Client
  try {
    client = await connect(BOT_INTENTS)
    checks.push(ok('Discord: the Message Content intent is enabled'))
  } catch (error) {
    if (!/disallowed intent/i.test(error instanceof Error ? error.message : ''))
      return [...checks, fail(`Discord: cannot connect to the gateway: ${describe(error)}`)]
    checks.push(
      fail(
        'Discord: the Message Content intent is not enabled: turn on "Message Content Intent" under Bot, Privileged Gateway Intents, in the Developer Portal',
      ),
    )
    // The other checks need no privileged intent: connect without it.
    try {
      client = await connect(BOT_INTENTS.filter((intent) => intent !== PRIVILEGED))
    } catch (again) {
      return [...checks, fail(`Discord: cannot connect to the gateway: ${describe(again)}`)]
    }
  }
  try {
    for (const bridge of options.bridges)
      checks.push(...(await checkBridge(client, bridge, options.commandNames)))
  } finally {
    await client.destroy()
  }
  return checks
}

async function checkBridge(
  client: Client,
  bridge: { guildId: string; channelId: string },
  commandNames: string[] | undefined,
): Promise<DoctorCheck[]> {
  const guild = client.guilds.cache.get(bridge.guildId)
  if (guild === undefined)
    return [
      fail(
        `Discord: the bot is not in server ${bridge.guildId}: add it with the link \`threadbridge invite\` prints`,
      ),
    ]
  const channel = (await client.channels
    .fetch(bridge.channelId)
    .catch(() => null)) as GuildBasedChannel | null
  const me = guild.members.me
  if (channel === null || me === null)
    return [
      fail(
        `Discord: channel ${bridge.channelId} in ${guild.name} does not exist or the bot cannot see it: check THREADBRIDGE_CONFIG and the channel's permissions`,
      ),
    ]
  const checks: DoctorCheck[] = []
  const lacking = missingPermissions(channel.permissionsFor(me).bitfield)
  checks.push(
    lacking.length === 0
      ? ok(`Discord: in #${channel.name} the bot has every right it uses (${BOT_PERMISSION_NAMES.length})`)
      : fail(
          `Discord: in #${channel.name} the bot lacks ${lacking.map(spaced).join(', ')}: grant them to its role, or to it in the channel's permissions`,
        ),
  )
  if (commandNames === undefined) return checks
  const registered = await client.application?.commands.fetch({ guildId: guild.id }).catch(() => undefined)
  const names = new Set(registered?.map((command) => command.name) ?? [])
  const missing = commandNames.filter((name) => !names.has(name))
  checks.push(
    missing.length === 0
      ? ok(`Discord: the ${commandNames.length} slash commands are registered in ${guild.name}`)
      : fail(
          `Discord: ${missing.length} slash commands are not registered in ${guild.name} (${missing
            .slice(0, 3)
            .map((name) => `/${name}`)
            .join(', ')}${missing.length > 3 ? ', …' : ''}): start the bot, which registers them`,
        ),
  )
  return checks
}

/** `ManageWebhooks` → `Manage Webhooks`, as the Developer Portal names rights. */
function spaced(name: string): string {
  return name.replace(/(?<=[a-z])(?=[A-Z])/g, ' ')
}

function describe(error: unknown): string {
  if (error instanceof PlatformConnectError) return error.message
  const code = (error as { code?: unknown }).code
  return typeof code === 'string' ? code : error instanceof Error ? error.message : String(error)
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer in ${ms / 1000} s`)), ms)
  })
  return Promise.race([promise, late]).finally(() => clearTimeout(timer))
}
