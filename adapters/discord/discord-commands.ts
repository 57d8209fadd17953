import {
  type APIApplicationCommandOption,
  ApplicationCommandOptionType,
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
    const current = [...(registered?.values() ?? [])].map((c) => ({
      name: c.name,
      description: c.description,
      options: c.options.map((o) => ({
        name: o.name,
        description: o.description,
        type: o.type,
        required: 'required' in o ? Boolean(o.required) : false,
      })),
    }))
    if (JSON.stringify(sortByName(current)) === JSON.stringify(sortByName(definitions))) continue
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

/** A command's definition as Discord takes it: typed options from its zod arguments. */
function discordCommand(command: CommandDefinition) {
  return {
    name: command.name,
    description: command.description,
    options: Object.entries(command.args.shape).map(
      ([name, schema]) =>
        ({
          name,
          description: (schema as z.ZodType).description ?? name,
          type: optionType(schema as z.ZodType),
          required: !(schema as z.ZodType).safeParse(undefined).success,
        }) as APIApplicationCommandOption,
    ),
  }
}

function optionType(schema: z.ZodType): ApplicationCommandOptionType {
  const inner = schema instanceof z.ZodOptional ? (schema.unwrap() as z.ZodType) : schema
  if (inner instanceof z.ZodNumber) return ApplicationCommandOptionType.Integer
  if (inner instanceof z.ZodBoolean) return ApplicationCommandOptionType.Boolean
  return ApplicationCommandOptionType.String
}

function sortByName<T extends { name: string }>(list: T[]): T[] {
  return [...list].sort((a, b) => a.name.localeCompare(b.name))
}
