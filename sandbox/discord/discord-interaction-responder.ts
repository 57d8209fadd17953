import {
  ApplicationCommandOptionType,
  InteractionType,
  MessageFlags,
  InteractionResponseType as R,
} from 'discord-api-types/v10'
import { HttpError } from '../http/http-kit.ts'
import type { RouteResult } from '../http/route.ts'
import type { DiscordEmulator } from './discord-emulator.ts'
import type { PendingInteraction } from './discord-interactions.ts'
import { invalidForm, messageParts } from './discord-message-parts.ts'
import { checkModal } from './discord-modals.ts'
import { applyEdit, type EditInput } from './discord-platform.ts'
import { type StoredMessage, stripSandboxFields } from './discord-state.ts'

const EPHEMERAL = MessageFlags.Ephemeral
const LOADING = MessageFlags.Loading

/**
 * Which callback types answer which interactions. Autocomplete takes only its result; a modal
 * cannot answer a modal submit (nor an autocomplete); updating "the message" needs a component's
 * message, so only components and modals submitted from one may do it.
 * https://discord.com/developers/docs/interactions/receiving-and-responding#interaction-response-object-interaction-callback-type
 */
function allowedResponses(interaction: PendingInteraction): R[] {
  switch (interaction.type) {
    case InteractionType.ApplicationCommandAutocomplete:
      return [R.ApplicationCommandAutocompleteResult]
    case InteractionType.MessageComponent:
      return [
        R.ChannelMessageWithSource,
        R.DeferredChannelMessageWithSource,
        R.DeferredMessageUpdate,
        R.UpdateMessage,
        R.Modal,
      ]
    case InteractionType.ModalSubmit:
      return interaction.source
        ? [
            R.ChannelMessageWithSource,
            R.DeferredChannelMessageWithSource,
            R.DeferredMessageUpdate,
            R.UpdateMessage,
          ]
        : [R.ChannelMessageWithSource, R.DeferredChannelMessageWithSource]
    default:
      return [R.ChannelMessageWithSource, R.DeferredChannelMessageWithSource, R.Modal]
  }
}

/**
 * How the bot answers interactions: the callback (within 3 s, once), then for 15 minutes the
 * application's webhook: follow-ups and the response message (@original).
 * https://discord.com/developers/docs/interactions/receiving-and-responding#responding-to-an-interaction
 */
export class InteractionResponder {
  constructor(private readonly emu: DiscordEmulator) {}

  /** POST /interactions/{id}/{token}/callback */
  callback(id: string, token: string, body: Record<string, unknown>, withResponse: boolean): RouteResult {
    const { interactions: desk } = this.emu
    const interaction = desk.get(id)
    if (interaction === undefined || interaction.token !== token || Date.now() - interaction.createdAt > 3000)
      throw new HttpError(404, { message: 'Unknown interaction', code: 10062 })
    // One callback per interaction: a second one, a modal after a deferral included, is refused.
    if (interaction.acknowledged)
      throw new HttpError(400, { message: 'Interaction has already been acknowledged.', code: 40060 })
    const type = body.type as R
    if (!allowedResponses(interaction).includes(type))
      throw invalidForm(
        'type',
        'Invalid interaction response type for this interaction',
        'INTERACTION_RESPONSE_TYPE_INVALID',
      )
    const data = (body.data ?? {}) as Record<string, unknown>
    const flags = Number(data.flags ?? 0)
    const ephemeral = (flags & EPHEMERAL) !== 0
    let message: StoredMessage | undefined
    if (type === R.ChannelMessageWithSource || type === R.DeferredChannelMessageWithSource) {
      const deferred = type === R.DeferredChannelMessageWithSource
      message = this.post(interaction, data, ephemeral, deferred)
      interaction.acknowledged = true
      interaction.original = { messageId: message.id, ephemeral }
      interaction.loading = deferred
      desk.record(interaction, this.response(deferred ? 'deferred' : 'initial', message), !deferred)
      desk.show(interaction, deferred ? 'loading' : 'message', message)
    } else if (type === R.DeferredMessageUpdate || type === R.UpdateMessage) {
      // The component's message becomes @original: the bot edits it now (7) or later (6).
      message = interaction.source as StoredMessage
      if (type === R.UpdateMessage) this.edit(message, data)
      interaction.acknowledged = true
      interaction.original = { messageId: message.id, ephemeral: ((message.flags ?? 0) & EPHEMERAL) !== 0 }
      desk.record(
        interaction,
        this.response(type === R.UpdateMessage ? 'update' : 'deferred_update', message),
        true,
      )
      if (type === R.UpdateMessage) desk.show(interaction, 'edit', message)
    } else if (type === R.ApplicationCommandAutocompleteResult) {
      const choices = checkChoices(data.choices, interaction.focusedType)
      interaction.acknowledged = true
      desk.record(
        interaction,
        { kind: 'autocomplete', content: null, flags: 0, ephemeral: true, message_id: null, choices },
        true,
      )
    } else {
      const modal = checkModal(data)
      interaction.acknowledged = true
      interaction.modal = modal
      desk.record(
        interaction,
        { kind: 'modal', content: null, flags: 0, ephemeral: true, message_id: null, modal },
        true,
      )
      desk.show(interaction, 'modal', null, modal)
    }
    if (!withResponse) return { status: 204 }
    return {
      status: 200,
      body: {
        interaction: {
          id: interaction.id,
          type: interaction.type,
          response_message_id: message?.id ?? null,
          response_message_loading: interaction.loading,
          response_message_ephemeral: interaction.original?.ephemeral ?? false,
          activity_instance_id: null,
        },
        resource: {
          type,
          ...(message && !interaction.loading ? { message: stripSandboxFields(message) } : {}),
        },
      },
    }
  }

  /**
   * POST /webhooks/{application_id}/{token}: a follow-up. After a deferral, the first follow-up
   * replaces the "thinking…" message (keeping the deferral's ephemerality); later ones are new
   * messages. https://discord.com/developers/docs/interactions/receiving-and-responding#create-followup-message
   */
  followup(token: string, body: Record<string, unknown>): RouteResult {
    const { interactions: desk } = this.emu
    const interaction = this.byToken(token)
    if (!interaction.acknowledged) throw new HttpError(404, { message: 'Unknown Webhook', code: 10015 })
    let message: StoredMessage
    if (interaction.loading && interaction.original) {
      message = this.requireMessage(interaction, interaction.original.messageId)
      this.edit(message, body)
      interaction.loading = false
      desk.show(interaction, 'edit', message)
    } else {
      message = this.post(interaction, body, (Number(body.flags ?? 0) & EPHEMERAL) !== 0, false)
      desk.show(interaction, 'message', message)
    }
    desk.record(interaction, this.response('followup', message), true)
    return { status: 200, body: stripSandboxFields(message) }
  }

  /** GET, PATCH and DELETE /webhooks/{application_id}/{token}/messages/{message_id or @original} */
  message(
    method: 'GET' | 'PATCH' | 'DELETE',
    token: string,
    messageId: string,
    body: EditInput,
  ): RouteResult {
    const { interactions: desk, platform } = this.emu
    const interaction = this.byToken(token)
    const id = messageId === '@original' ? interaction.original?.messageId : messageId
    if (id === undefined) throw new HttpError(404, { message: 'Unknown Message', code: 10008 })
    const message = this.requireMessage(interaction, id)
    if (method === 'GET') return { status: 200, body: stripSandboxFields(message) }
    if (method === 'DELETE') {
      if (!desk.ephemeral.delete(message.id))
        platform.delete(platform.requireChannel(message.channel_id), message)
      return { status: 204 }
    }
    // An edit keeps the message's flags: an ephemeral response stays ephemeral, whatever the edit says.
    this.edit(message, body)
    if (id === interaction.original?.messageId) interaction.loading = false
    desk.record(interaction, this.response('edit', message), true)
    desk.show(interaction, 'edit', message)
    return { status: 200, body: stripSandboxFields(message) }
  }

  /** A response message: ephemeral ones are kept apart, never in the channel's history. */
  private post(
    interaction: PendingInteraction,
    input: Record<string, unknown>,
    ephemeral: boolean,
    loading: boolean,
  ) {
    const { state, platform, interactions: desk } = this.emu
    const channel = platform.requireChannel(interaction.channelId)
    if (!ephemeral)
      return platform.send(
        channel,
        state.botUser,
        { ...input, flags: (Number(input.flags ?? 0) & ~EPHEMERAL) | (loading ? LOADING : 0) },
        { loading },
      )
    const parts = messageParts(input, { allowEmpty: loading })
    const message = state.createMessage({
      channel,
      author: state.botUser,
      ...parts,
      flags: EPHEMERAL | (loading ? LOADING : 0),
      inChannel: false,
    })
    desk.ephemeral.set(message.id, { message, userId: interaction.user.id })
    return message
  }

  private edit(message: StoredMessage, input: EditInput): void {
    const { platform, interactions: desk } = this.emu
    if (desk.ephemeral.has(message.id)) applyEdit(message, input)
    else platform.edit(platform.requireChannel(message.channel_id), message, input)
  }

  private requireMessage(interaction: PendingInteraction, id: string): StoredMessage {
    const ephemeral = this.emu.interactions.ephemeral.get(id)
    const message =
      ephemeral?.userId === interaction.user.id
        ? ephemeral.message
        : this.emu.state.findMessage(interaction.source?.channel_id ?? interaction.channelId, id)
    if (message === undefined) throw new HttpError(404, { message: 'Unknown Message', code: 10008 })
    return message
  }

  private byToken(token: string): PendingInteraction {
    const interaction = this.emu.interactions.byInteractionToken(token)
    // The token serves follow-ups for 15 minutes.
    if (interaction === undefined || Date.now() - interaction.createdAt > 15 * 60_000)
      throw new HttpError(404, { message: 'Unknown Webhook', code: 10015 })
    return interaction
  }

  private response(
    kind: 'initial' | 'deferred' | 'edit' | 'followup' | 'update' | 'deferred_update',
    message: StoredMessage,
  ) {
    const flags = message.flags ?? 0
    const loading = (flags & LOADING) !== 0
    return {
      kind,
      content: loading ? null : message.content,
      flags: flags & ~LOADING,
      ephemeral: (flags & EPHEMERAL) !== 0,
      message_id: message.id,
      embeds: structuredClone(message.embeds),
      components: structuredClone(message.components ?? []),
    }
  }
}

/**
 * An autocomplete's answer: at most 25 choices, each with a name of 1–100 characters and a value
 * of the focused option's type (a string of at most 100 characters for a string option).
 * https://discord.com/developers/docs/interactions/receiving-and-responding#interaction-response-object-autocomplete
 */
function checkChoices(
  raw: unknown,
  focusedType: number | undefined,
): { name: string; value: string | number }[] {
  if (!Array.isArray(raw)) throw invalidForm('data.choices', 'This field is required')
  if (raw.length > 25) throw invalidForm('data.choices', 'Must be 25 or fewer in length.')
  for (const [at, choice] of (raw as { name?: unknown; value?: unknown }[]).entries()) {
    if (typeof choice.name !== 'string' || choice.name.length < 1 || choice.name.length > 100)
      throw invalidForm(`data.choices.${at}.name`, 'Must be between 1 and 100 in length.')
    const value = choice.value
    const fits =
      focusedType === ApplicationCommandOptionType.Integer
        ? Number.isSafeInteger(value)
        : focusedType === ApplicationCommandOptionType.Number
          ? typeof value === 'number' && Number.isFinite(value)
          : typeof value === 'string' && value.length <= 100
    if (!fits)
      throw invalidForm(
        `data.choices.${at}.value`,
        'Value does not match the option’s type.',
        'BASE_TYPE_INVALID',
      )
  }
  return raw as { name: string; value: string | number }[]
}
