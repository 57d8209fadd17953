import { randomBytes } from 'node:crypto'
import type { APIUser } from 'discord-api-types/v10'
import { snowflake } from './snowflake.ts'

/** One thing the bot answered to an interaction, as a person would see it. */
export interface InteractionResponse {
  kind: 'initial' | 'deferred' | 'edit' | 'followup'
  content: string | null
  flags: number
  ephemeral: boolean
  message_id: string | null
}

export interface PendingInteraction {
  id: string
  token: string
  user: APIUser
  channelId: string
  createdAt: number
  acknowledged: boolean
  /** True once there is something a person can read (a message, not just "thinking…"). */
  answered: boolean
  deferredEphemeral: boolean
  responses: InteractionResponse[]
  waiters: (() => void)[]
}

/** Interactions awaiting the bot's answer: the 3-second rule, then 15 minutes of follow-ups. */
export class InteractionDesk {
  private readonly byId = new Map<string, PendingInteraction>()
  private readonly byToken = new Map<string, PendingInteraction>()

  open(user: APIUser, channelId: string): PendingInteraction {
    const interaction: PendingInteraction = {
      id: snowflake(),
      token: `aW50ZXJhY3Rpb24${randomBytes(48).toString('base64url')}`,
      user,
      channelId,
      createdAt: Date.now(),
      acknowledged: false,
      answered: false,
      deferredEphemeral: false,
      responses: [],
      waiters: [],
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
