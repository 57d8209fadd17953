import {
  ApplicationCommandOptionType,
  type AutocompleteInteraction,
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  type Client,
  Events,
  type MessageContextMenuCommandInteraction,
  MessageFlags,
  type ModalSubmitInteraction,
} from 'discord.js'
import { COMMAND_ACTION_PREFIX, type CommandContext, type CommandSet } from '../../src/command/command.ts'
import type { Core } from '../../src/core.ts'
import { applyDigestAction, DIGEST_ACTION_PREFIX } from '../../src/digests/digest-actions.ts'
import type { Logger } from '../../src/logger.ts'
import { commandReply, pressCommandButton } from './discord-command-buttons.ts'
import { discordCommand, discordMessageCommands, formModal, MODAL_PREFIX } from './discord-command-data.ts'
import { moderatesBridge } from './discord-moderators.ts'
import { discordShownName } from './discord-shown-name.ts'

const SORRY = 'Something went wrong on our side. Try again in a minute.'
const NO_COMMUNITY = 'Threadbridge bridges no community in this server, so there is nothing to do here.'

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
    if (interaction.isChatInputCommand() || interaction.isMessageContextMenuCommand())
      void answer(interaction, commands, core, logger)
    else if (interaction.isAutocomplete()) void suggest(interaction, commands, core, logger)
    else if (interaction.isModalSubmit() && interaction.customId.startsWith(MODAL_PREFIX))
      void answer(interaction, commands, core, logger)
    else if (interaction.isButton() && interaction.customId.startsWith(DIGEST_ACTION_PREFIX))
      void pressDigestButton(interaction, core, logger)
    else if (interaction.isButton() && interaction.customId.startsWith(COMMAND_ACTION_PREFIX))
      void pressCommandButton(interaction, commands, (pressed) => contextFor(pressed, core), logger)
  })
  const guildIds = new Set<string>()
  for (const community of await core.communities.list())
    for (const bridge of await core.communities.bridges(community.id))
      if (bridge.platform === 'discord') guildIds.add(bridge.workspaceId)
  const definitions = [
    ...commands.definitions.map(discordCommand),
    ...discordMessageCommands(commands.definitions),
  ]
  for (const guildId of guildIds) {
    const registered = await client.application?.commands.fetch({ guildId })
    // discord.js compares a registered command with its definition as Discord normalises both.
    const unchanged =
      registered !== undefined &&
      registered.size === definitions.length &&
      definitions.every(
        (d) => registered.find((c) => c.name === d.name && c.type === d.type)?.equals(d, true) === true,
      )
    if (unchanged) continue
    await client.application?.commands.set(definitions, guildId)
    logger.info({ guild: guildId, commands: definitions.length }, 'registered the slash commands')
  }
}

/**
 * Runs a command (or the form it opened) and answers privately. A command with a form, run with
 * no options, shows the form instead: a modal must be the first response, so it comes before any
 * deferral, and needs no database.
 */
async function answer(
  interaction: ChatInputCommandInteraction | ModalSubmitInteraction | MessageContextMenuCommandInteraction,
  commands: CommandSet,
  core: Core,
  logger: Logger,
): Promise<void> {
  // A message command is named by its label ("Delete everywhere"), and runs its command.
  const onMessage = interaction.isMessageContextMenuCommand()
    ? commands.definitions.find((d) => d.onMessage?.label === interaction.commandName)
    : undefined
  const name = interaction.isModalSubmit()
    ? interaction.customId.slice(MODAL_PREFIX.length)
    : (onMessage?.name ?? interaction.commandName)
  try {
    const definition = commands.definitions.find((d) => d.name === name)
    if (interaction.isChatInputCommand() && definition?.form && interaction.options.data.length === 0) {
      // Refused before the form opens, so nobody fills one in to be turned away.
      const ctx = await contextFor(interaction, core)
      const refused = ctx === undefined ? { text: NO_COMMUNITY } : await commands.refuse(name, ctx)
      if (refused === undefined) await interaction.showModal(formModal(definition))
      else
        await interaction.reply({
          content: refused.text,
          flags: MessageFlags.Ephemeral,
          allowedMentions: { parse: [] },
        })
      return
    }
    await interaction.deferReply({ flags: MessageFlags.Ephemeral })
    const found = await contextFor(interaction, core)
    const ctx = found && interaction.isMessageContextMenuCommand() ? { ...found, fromMessage: true } : found
    if (ctx === undefined) {
      await interaction.editReply(NO_COMMUNITY)
      return
    }
    const args = interaction.isMessageContextMenuCommand()
      ? { [onMessage?.onMessage?.argument ?? 'message']: messageLink(interaction) }
      : interaction.isModalSubmit()
        ? Object.fromEntries(
            (definition?.form?.fields ?? [])
              .map((field) => [field.name, interaction.fields.getTextInputValue(field.name)] as const)
              .filter(([, value]) => value.trim() !== ''),
          )
        : Object.fromEntries(
            interaction.options.data.map((option) => [
              option.name,
              // A chosen user arrives as an id with `resolved` data: passed on as a mention with its name.
              option.type === ApplicationCommandOptionType.User && option.user
                ? `<@${option.user.id}|${discordShownName(option.user, option.member && 'nickname' in option.member ? option.member : null)}>`
                : option.value,
            ]),
          )
    const result = await commands.run(name, args, ctx)
    await interaction.editReply(commandReply(result))
  } catch (error) {
    logger.error({ err: error, command: name }, 'a Discord command failed')
    await (interaction.deferred
      ? interaction.editReply(SORRY)
      : interaction.reply({ content: SORRY, flags: MessageFlags.Ephemeral })
    ).catch(() => {})
  }
}

/**
 * Answers autocomplete (interaction type 4) with the command's suggestions for the focused
 * option (callback 8). It cannot be deferred, so a failure answers no suggestions rather than
 * nothing: the person can still type a value.
 */
async function suggest(
  interaction: AutocompleteInteraction,
  commands: CommandSet,
  core: Core,
  logger: Logger,
): Promise<void> {
  const focused = interaction.options.getFocused(true)
  try {
    const provider = commands.definitions.find((d) => d.name === interaction.commandName)?.suggest?.[
      focused.name
    ]
    const ctx = provider === undefined ? undefined : await contextFor(interaction, core)
    const choices = provider && ctx ? await provider(ctx, String(focused.value)) : []
    await interaction.respond(
      choices.slice(0, 25).map((c) => ({ name: c.name, value: c.value.slice(0, 100) })),
    )
  } catch (error) {
    logger.warn({ err: error, command: interaction.commandName }, 'Discord autocomplete failed')
    await interaction.respond([]).catch(() => {})
  }
}

/**
 * A digest's button, pressed in the DM it came in (or anywhere): applied for whoever pressed it,
 * answered privately (https://discord.com/developers/docs/interactions/message-components#buttons).
 */
async function pressDigestButton(interaction: ButtonInteraction, core: Core, logger: Logger): Promise<void> {
  try {
    const text = await applyDigestAction(
      core,
      {
        platform: 'discord',
        platformUserId: interaction.user.id,
        displayName: discordShownName(interaction.user),
        avatarUrl: interaction.user.displayAvatarURL(),
      },
      interaction.customId,
      (name) => `/${name}`,
    )
    await interaction.reply({ content: text, flags: MessageFlags.Ephemeral, allowedMentions: { parse: [] } })
  } catch (error) {
    logger.error({ err: error, button: interaction.customId }, 'a digest button failed')
    await interaction.reply({ content: SORRY, flags: MessageFlags.Ephemeral }).catch(() => {})
  }
}

/** What a person does with a command: run it, submit its form, type an option, press its answer's button. */
type Interacting =
  | ChatInputCommandInteraction
  | ModalSubmitInteraction
  | AutocompleteInteraction
  | ButtonInteraction
  | MessageContextMenuCommandInteraction

/** The context a command runs in for this person, here; undefined outside a bridged server. */
async function contextFor(interaction: Interacting, core: Core): Promise<CommandContext | undefined> {
  const community = interaction.guildId
    ? await core.communities.findByWorkspace('discord', interaction.guildId)
    : undefined
  if (community === undefined) return undefined
  return {
    core,
    community: { id: community.id, name: community.name },
    platformModerator: await moderatesBridge(interaction, core, community.id),
    actor: {
      platform: 'discord',
      platformUserId: interaction.user.id,
      displayName: discordShownName(
        interaction.user,
        interaction.member && 'nickname' in interaction.member ? interaction.member : null,
      ),
      avatarUrl: interaction.user.displayAvatarURL(),
    },
    platform: 'discord',
    commandLine: (name) => `/${name}`,
    // Run in a thread, the thread is the discussion a command means by default. Any channel is
    // passed: only a thread of ours is found as one, and the channel may not be cached.
    ...(interaction.channelId ? { threadId: interaction.channelId } : {}),
  }
}

/** The target message's link, as Discord's Copy Message Link gives it. */
function messageLink(interaction: MessageContextMenuCommandInteraction): string {
  const message = interaction.targetMessage
  return `https://discord.com/channels/${interaction.guildId ?? '@me'}/${message.channelId}/${message.id}`
}
