import { randomBytes } from 'node:crypto'
import type { APIEmbed, APIUser, InteractionType } from 'discord-api-types/v10'
import type { ShownModal } from './discord-modals.ts'
import type { StoredMessage } from './discord-state.ts'
import { snowflake } from './snowflake.ts'

/** One thing the bot answered to an interaction, as a person would see it. */
export interface InteractionResponse {
  kind: 'initial' | 'deferred' | 'edit' | 'followup' | 'update' | 'deferred_update' | 'autocomplete' | 'modal'
  content: string | null
  flags: number
  ephemeral: boolean
  message_id: string | null
  embeds?: APIEmbed[]
  components?: unknown[]
  /** An autocomplete's suggestions. */
  choices?: { name: string; value: string | number }[]
  /** The modal shown. */
  modal?: ShownModal
}

/** What a person was shown, in order: messages (and their edits) and modals. */
export interface ShownEntry {
  interaction_id: string
  kind: 'message' | 'loading' | 'edit' | 'modal'
  message_id: string | null
  channel_id: string
  content: string | null
  embeds: APIEmbed[]
  components: unknown[]
  ephemeral: boolean
  flags: number
  modal?: ShownModal
}

export interface PendingInteraction {
  id: string
  token: string
  type: InteractionType
  user: APIUser
  channelId: string
  createdAt: number
  acknowledged: boolean
  /** True once there is something a person can read (a message, not just "thinking…"). */
  answered: boolean
  /** The response message (@original) once there is one: its id and whether only the person sees it. */
  original: { messageId: string; ephemeral: boolean } | null
  /** Deferred, and the "thinking…" message not yet replaced: the first follow-up replaces it. */
  loading: boolean
  /** For a component interaction, or a modal submitted from one: the message the component is on. */
  source?: StoredMessage
  /** For an autocomplete: the focused option's type, which the choices' values must have. */
  focusedType?: number
  /** The modal this interaction showed, which the person may submit. */
  modal?: ShownModal
  submitted?: boolean
  responses: InteractionResponse[]
  waiters: (() => void)[]
}

/** Interactions awaiting the bot's answer: the 3-second rule, then 15 minutes of follow-ups. */
export class InteractionDesk {
  private readonly byId = new Map<string, PendingInteraction>()
  private readonly byToken = new Map<string, PendingInteraction>()
  /** Ephemeral messages: never in a channel's history, only shown to their person. */
  readonly ephemeral = new Map<string, { message: StoredMessage; userId: string }>()
  /** Per user id, everything interactions showed them, in order. */
  readonly shown = new Map<string, ShownEntry[]>()

  open(
    type: InteractionType,
    user: APIUser,
    channelId: string,
    extra: Partial<PendingInteraction> = {},
  ): PendingInteraction {
    const interaction: PendingInteraction = {
      id: snowflake(),
      token: `aW50ZXJhY3Rpb24${randomBytes(48).toString('base64url')}`,
      type,
      user,
      channelId,
      createdAt: Date.now(),
      acknowledged: false,
      answered: false,
      original: null,
      loading: false,
      responses: [],
      waiters: [],
      ...extra,
    }
    this.byId.set(interaction.id, interaction)
    this.byToken.set(interaction.token, interaction)
    return interaction
  }

  get(id: string): PendingInteraction | undefined {
    return this.byId.get(id)
  }

  byInteractionToken(token: string): PendingInteraction | undefined {
    return this.byToken.get(token)
  }

  record(interaction: PendingInteraction, response: InteractionResponse, answered: boolean): void {
    interaction.responses.push(response)
    if (answered) interaction.answered = true
    for (const wake of interaction.waiters.splice(0)) wake()
  }

  /** Notes what the interaction's person now sees: a message (new or edited) or a modal. */
  show(
    interaction: PendingInteraction,
    kind: ShownEntry['kind'],
    message: StoredMessage | null,
    modal?: ShownModal,
  ) {
    const list = this.shown.get(interaction.user.id) ?? []
    this.shown.set(interaction.user.id, list)
    const flags = message?.flags ?? 0
    list.push({
      interaction_id: interaction.id,
      kind,
      message_id: message?.id ?? null,
      channel_id: interaction.channelId,
      content: kind === 'loading' || message === null ? null : message.content,
      embeds: structuredClone(message?.embeds ?? []),
      components: structuredClone(message?.components ?? []),
      ephemeral: (flags & 64) !== 0,
      flags,
      ...(modal ? { modal } : {}),
    })
  }

  /** Resolves when the bot has answered, or after `timeoutMs` (3 s to acknowledge; longer once deferred). */
  async waitForAnswer(
    interaction: PendingInteraction,
    acknowledgeMs: number,
    answerMs: number,
  ): Promise<boolean> {
    const deadline = (ms: number) => interaction.createdAt + ms
    while (!interaction.answered) {
      const limit = interaction.acknowledged ? deadline(answerMs) : deadline(acknowledgeMs)
      const remaining = limit - Date.now()
      if (remaining <= 0) return false
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, remaining)
        interaction.waiters.push(() => {
          clearTimeout(timer)
          resolve()
        })
      })
    }
    return true
  }
}
