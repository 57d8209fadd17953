import {
  type ApplicationCommandOptionData,
  ApplicationCommandOptionType,
  type ChatInputApplicationCommandData,
  type ChatInputCommandInteraction,
  type Client,
  Events,
  MessageFlags,
} from 'discord.js'
import { z } from 'zod'
import type { CommandDefinition, CommandSet } from '../../src/command/command.ts'
import type { Core } from '../../src/core.ts'
import type { Logger } from '../../src/logger.ts'

export interface DiscordCommandsDeps {
  commands: CommandSet
  core: Core
  logger: Logger
}

/**
 * Serves the commands on Discord: each is a guild application command in every server a
 * community is bridged in, registered at start with one bulk overwrite, and only when the
 * definitions changed (https://discord.com/developers/docs/interactions/application-commands).
 * Every answer is ephemeral (flag 64): the bot defers at once, privately, so a slow database
 * never misses Discord's 3-second deadline, then edits in the answer.
 */
export async function serveDiscordCommands(
  client: Client,
  { commands, core, logger }: DiscordCommandsDeps,
): Promise<void> {
  client.on(Events.InteractionCreate, (interaction) => {
    if (interaction.isChatInputCommand()) void answer(interaction, commands, core, logger)
  })
  const guildIds = new Set<string>()
  for (const community of await core.communities.list())
    for (const bridge of await core.communities.bridges(community.id))
      if (bridge.platform === 'discord') guildIds.add(bridge.workspaceId)
  const definitions = commands.definitions.map(discordCommand)
  for (const guildId of guildIds) {
    const registered = await client.application?.commands.fetch({ guildId })
    // discord.js compares a registered command with its definition as Discord normalises both.
    const unchanged =
      registered !== undefined &&
      registered.size === definitions.length &&
      definitions.every((d) => registered.find((c) => c.name === d.name)?.equals(d, true) === true)
    if (unchanged) continue
    await client.application?.commands.set(definitions, guildId)
    logger.info({ guild: guildId, commands: definitions.length }, 'registered the slash commands')
  }
}

async function answer(
  interaction: ChatInputCommandInteraction,
  commands: CommandSet,
  core: Core,
  logger: Logger,
): Promise<void> {
  try {
    await interaction.deferReply({ flags: MessageFlags.Ephemeral })
    const community = interaction.guildId
      ? await core.communities.findByWorkspace('discord', interaction.guildId)
      : undefined
    if (community === undefined) {
      await interaction.editReply(
        'Threadbridge bridges no community in this server, so there is nothing to do here.',
      )
      return
    }
    const args = Object.fromEntries(interaction.options.data.map((option) => [option.name, option.value]))
    const result = await commands.run(interaction.commandName, args, {
      core,
      community: { id: community.id, name: community.name },
      actor: {
        platform: 'discord',
        platformUserId: interaction.user.id,
        displayName:
          interaction.member && 'displayName' in interaction.member
            ? interaction.member.displayName
            : (interaction.user.globalName ?? interaction.user.username),
        avatarUrl: interaction.user.displayAvatarURL(),
      },
      platform: 'discord',
      commandLine: (name) => `/${name}`,
      // Run in a thread, the thread is the discussion a command means by default. Any channel is
      // passed: only a thread of ours is found as one, and the channel may not be cached.
      threadId: interaction.channelId,
    })
    await interaction.editReply({ content: result.text, allowedMentions: { parse: [] } })
  } catch (error) {
    logger.error({ err: error, command: interaction.commandName }, 'a Discord command failed')
    const sorry = 'Something went wrong on our side. Try again in a minute.'
    await (interaction.deferred
      ? interaction.editReply(sorry)
      : interaction.reply({ content: sorry, flags: MessageFlags.Ephemeral })
    ).catch(() => {})
  }
}

/**
 * A command's definition as Discord takes it: typed options from its zod arguments, with their
 * choices and bounds, required ones first as Discord insists
 * (https://discord.com/developers/docs/interactions/application-commands#application-command-object-application-command-option-structure).
 */
export function discordCommand(command: CommandDefinition): ChatInputApplicationCommandData {
  const options = Object.entries(command.args.shape).map(([name, schema]) =>
    discordOption(name, schema as z.ZodType),
  )
  return {
    name: command.name,
    description: command.description,
    options: [...options.filter((o) => o.required), ...options.filter((o) => !o.required)],
  }
}

/** Discord's longest string option; longer text is refused by our schema, not cut. */
const MAX_OPTION_LENGTH = 6000

function discordOption(
  name: string,
  schema: z.ZodType,
): ApplicationCommandOptionData & { required: boolean } {
  const inner = schema instanceof z.ZodOptional ? (schema.unwrap() as z.ZodType) : schema
  const required = !schema.safeParse(undefined).success
  const description = truncate(schema.description ?? inner.description ?? name, 100)
  if (inner instanceof z.ZodNumber) {
    const integer = inner.format === 'safeint' || inner.isInt
    return {
      name,
      description,
      required,
      type: integer ? ApplicationCommandOptionType.Integer : ApplicationCommandOptionType.Number,
      ...(Number.isFinite(inner.minValue) ? { minValue: inner.minValue as number } : {}),
      ...(Number.isFinite(inner.maxValue) ? { maxValue: inner.maxValue as number } : {}),
    }
  }
  if (inner instanceof z.ZodBoolean)
    return { name, description, required, type: ApplicationCommandOptionType.Boolean }
  if (inner instanceof z.ZodEnum)
    return {
      name,
      description,
      required,
      type: ApplicationCommandOptionType.String,
      choices: inner.options.map((value) => ({ name: String(value), value: String(value) })),
    }
  const text = inner instanceof z.ZodString ? inner : undefined
  return {
    name,
    description,
    required,
    type: ApplicationCommandOptionType.String,
    ...(text?.minLength ? { minLength: Math.min(text.minLength, MAX_OPTION_LENGTH) } : {}),
    maxLength: Math.min(text?.maxLength ?? MAX_OPTION_LENGTH, MAX_OPTION_LENGTH),
  }
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`
}
