import {
  type APIUser,
  ApplicationCommandType,
  ChannelType,
  ComponentType,
  GatewayDispatchEvents,
  InteractionType,
  PermissionFlagsBits,
} from 'discord-api-types/v10'
import { HttpError } from '../http/http-kit.ts'
import type { Route, RouteResult } from '../http/route.ts'
import type { DiscordEmulator } from './discord-emulator.ts'
import { typedOptions } from './discord-interaction-options.ts'
import type { PendingInteraction } from './discord-interactions.ts'
import { submission } from './discord-modals.ts'
import { type StoredChannel, type StoredMessage, stripSandboxFields } from './discord-state.ts'

/** What an app may do in a DM with a person (no server, so no roles or overwrites to compute). */
const DM_APP_PERMISSIONS = (
  PermissionFlagsBits.ViewChannel |
  PermissionFlagsBits.SendMessages |
  PermissionFlagsBits.EmbedLinks |
  PermissionFlagsBits.AttachFiles |
  PermissionFlagsBits.ReadMessageHistory |
  PermissionFlagsBits.AddReactions |
  PermissionFlagsBits.UseExternalEmojis
).toString()

/**
 * The control API's interactions: a person runs a command or types into an autocompleted
 * option, submits a modal the bot showed them, or clicks a button; and what each person was shown.
 */
export function interactionControlRoutes(
  emu: DiscordEmulator,
  person: (id: unknown, field: 'user_id') => APIUser,
): Route[] {
  const { state, platform, interactions: desk } = emu

  /** Sends INTERACTION_CREATE as Discord does, and waits for the bot's answer (or the 3-second rule). */
  const deliver = async (
    interaction: PendingInteraction,
    channel: StoredChannel,
    data: Record<string, unknown>,
    extra: Record<string, unknown> = {},
  ): Promise<RouteResult> => {
    const { user } = interaction
    const guildId = channel.guild_id
    emu.gateway.dispatch(
      GatewayDispatchEvents.InteractionCreate,
      {
        id: interaction.id,
        application_id: state.applicationId,
        type: interaction.type,
        token: interaction.token,
        version: 1,
        data,
        channel_id: channel.id,
        // A DM's partial channel names its recipient, as Discord sends it.
        channel: {
          id: channel.id,
          type: channel.type,
          ...(channel.parent_id ? { parent_id: channel.parent_id } : {}),
          ...(channel.type === ChannelType.DM ? { recipients: [user], flags: 0 } : {}),
        },
        ...(guildId
          ? {
              guild_id: guildId,
              member: {
                ...state.memberPayload(guildId, user.id),
                // The member's permissions in this channel, overwrites applied, as Discord sends them
                // (https://discord.com/developers/docs/interactions/receiving-and-responding#interaction-object-interaction-structure).
                permissions: state.permissionsIn(channel, user.id).toString(),
              },
              guild_locale: 'en-US',
              context: 0,
              authorizing_integration_owners: { '0': guildId },
            }
          : {
              user,
              context: 1,
              // Always present: for a guild install, the guild's id, or "0" in a DM with the app
              // (https://discord.com/developers/docs/interactions/receiving-and-responding#interaction-object-authorizing-integration-owners-object).
              authorizing_integration_owners: { '0': '0' },
            }),
        // What the bot may do in this channel, computed as for anyone.
        app_permissions: guildId
          ? state.permissionsIn(channel, state.botUser.id).toString()
          : DM_APP_PERMISSIONS,
        locale: 'en-US',
        entitlements: [],
        ...extra,
      },
      { intent: null },
    )
    const answered = await desk.waitForAnswer(
      interaction,
      emu.options.interactionAckMs ?? 3000,
      emu.options.interactionAnswerMs ?? 15_000,
    )
    return {
      status: 200,
      body: { interaction_id: interaction.id, answered, responses: interaction.responses },
    }
  }

  /** A message the person can see: in the channel, or ephemeral and shown to them. */
  const visibleMessage = (channel: StoredChannel, messageId: string, user: APIUser): StoredMessage => {
    // A DM is between the bot and its person: nobody else sees its messages.
    if (channel.type === ChannelType.DM && channel.recipient_id !== user.id)
      throw new HttpError(404, { message: 'Unknown Message', code: 10008 })
    const ephemeral = desk.ephemeral.get(messageId)
    if (
      ephemeral !== undefined &&
      ephemeral.userId === user.id &&
      ephemeral.message.channel_id === channel.id
    )
      return ephemeral.message
    return platform.requireMessage(channel, messageId)
  }

  /**
   * A message command (right-click a message → Apps): an APPLICATION_COMMAND whose data has type 3
   * (MESSAGE), the message's id as `target_id` and the message itself in `resolved.messages`
   * (https://discord.com/developers/docs/interactions/application-commands#message-commands).
   */
  const runMessageCommand = async (
    user: APIUser,
    channel: StoredChannel,
    name: string,
    targetId: unknown,
  ): Promise<RouteResult> => {
    const command = state.commands.find(channel.guild_id, name, ApplicationCommandType.Message)
    if (command === undefined)
      throw new HttpError(400, { error: `no message command "${name}" is registered here` })
    const message = visibleMessage(channel, String(targetId), user)
    const interaction = desk.open(InteractionType.ApplicationCommand, user, channel.id)
    return deliver(interaction, channel, {
      id: command.id,
      name: command.name,
      type: ApplicationCommandType.Message,
      target_id: message.id,
      resolved: { messages: { [message.id]: stripSandboxFields(message) } },
      ...(command.guild_id ? { guild_id: command.guild_id } : {}),
    })
  }

  return [
    {
      method: 'POST',
      path: '/interactions',
      handle: async ({ body }) => {
        const user = person(body.user_id, 'user_id')
        const channel = platform.requireChannel(String(body.channel_id ?? ''))
        if (typeof body.name !== 'string' || body.name === '')
          throw new HttpError(400, { error: 'name (the command) is required' })
        if (body.target_id !== undefined) return runMessageCommand(user, channel, body.name, body.target_id)
        // Discord offers only the commands the app registered, here or globally.
        const command = state.commands.find(channel.guild_id, body.name)
        if (command === undefined)
          throw new HttpError(400, {
            error: `no command /${body.name} is registered here; the bot registers its commands with PUT /applications/{id}/guilds/{guild_id}/commands`,
          })
        const focused = typeof body.focused === 'string' ? body.focused : undefined
        const typed = typedOptions(body.options, command, { state, channel, userId: user.id }, focused)
        const interaction = desk.open(
          focused === undefined
            ? InteractionType.ApplicationCommand
            : InteractionType.ApplicationCommandAutocomplete,
          user,
          channel.id,
          focused === undefined ? {} : { focusedType: typed.options.find((o) => o.focused)?.type ?? 3 },
        )
        const result = await deliver(interaction, channel, {
          id: command.id,
          name: command.name,
          type: command.type,
          options: typed.options,
          // Autocomplete interactions carry no resolved objects, only what has been typed.
          ...(focused === undefined && Object.keys(typed.resolved).length > 0
            ? { resolved: typed.resolved }
            : {}),
          ...(command.guild_id ? { guild_id: command.guild_id } : {}),
        })
        if (focused === undefined) return result
        const choices = interaction.responses.find((r) => r.kind === 'autocomplete')?.choices ?? null
        return { ...result, body: { ...(result.body as object), choices } }
      },
    },
    {
      // The person fills in the modal the bot showed them and presses Submit.
      method: 'POST',
      path: '/interactions/:id/modal',
      handle: async ({ params, body }) => {
        const shown = desk.get(params.id ?? '')
        if (shown?.modal === undefined)
          throw new HttpError(404, { error: `interaction ${params.id} showed no modal` })
        if (body.user_id !== undefined && body.user_id !== shown.user.id)
          throw new HttpError(403, { error: 'only the person who was shown the modal can submit it' })
        if (shown.submitted)
          throw new HttpError(409, { error: 'the modal was already submitted, and closed' })
        const data = submission(shown.modal, body.values)
        shown.submitted = true
        const channel = platform.requireChannel(shown.channelId)
        const interaction = desk.open(
          InteractionType.ModalSubmit,
          shown.user,
          channel.id,
          shown.source ? { source: shown.source } : {},
        )
        // A modal shown in answer to a component carries that component's message.
        return deliver(
          interaction,
          channel,
          data,
          shown.source ? { message: stripSandboxFields(shown.source) } : {},
        )
      },
    },
    {
      // The person clicks a button on a message (the bot's, a webhook's, an interaction response).
      method: 'POST',
      path: '/channels/:id/messages/:message_id/click',
      handle: async ({ params, body }) => {
        const user = person(body.user_id, 'user_id')
        const channel = platform.requireChannel(params.id ?? '')
        const message = visibleMessage(channel, params.message_id ?? '', user)
        const button = findButton(message.components ?? [], body.custom_id)
        if (button === undefined)
          throw new HttpError(400, {
            error: `the message has no button with custom_id ${String(body.custom_id)}`,
          })
        if (button.disabled === true) throw new HttpError(400, { error: 'that button is disabled' })
        const interaction = desk.open(InteractionType.MessageComponent, user, channel.id, { source: message })
        return deliver(
          interaction,
          channel,
          { custom_id: button.custom_id, component_type: ComponentType.Button },
          { message: stripSandboxFields(message) },
        )
      },
    },
    {
      method: 'GET',
      path: '/shown/:user_id',
      handle: ({ params }) => {
        const user = person(params.user_id, 'user_id')
        return { status: 200, body: desk.shown.get(user.id) ?? [] }
      },
    },
  ]
}

/** A clickable button (not a link) with this custom_id, anywhere in the message's components. */
function findButton(
  components: unknown[],
  customId: unknown,
): { custom_id: string; disabled?: boolean } | undefined {
  for (const component of components as { type?: number; custom_id?: string; components?: unknown[] }[]) {
    if (component.type === ComponentType.Button && component.custom_id === customId)
      return component as { custom_id: string }
    const inner = component.components ? findButton(component.components, customId) : undefined
    if (inner) return inner
  }
  return undefined
}
