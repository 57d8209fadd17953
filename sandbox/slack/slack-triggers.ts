import { randomBytes } from 'node:crypto'
import { SlackApiError } from './slack-api-error.ts'

/**
 * How long a trigger_id can be exchanged for a modal: 3 seconds, once
 * (https://api.slack.com/interactivity/handling#modal_responses, /methods/views.open).
 */
export const TRIGGER_LIFETIME_MS = 3000

interface Trigger {
  user: string
  /** The interaction (slash command, shortcut, click, submission) the trigger came with. */
  interaction: string | undefined
  issuedAt: number
  exchanged: boolean
}

/**
 * The trigger_ids handed out with slash commands, shortcuts and interactions. A trigger is for
 * the person who acted; views.open and views.push exchange it once, within 3 seconds.
 */
export class TriggerDesk {
  private readonly triggers = new Map<string, Trigger>()

  constructor(private readonly now: () => number) {}

  /** A new trigger_id, in Slack's shape: `12345.98765.abcd2358fdea`. */
  issue(user: string, interaction?: string): string {
    const issuedAt = this.now()
    const id = `${Math.floor(issuedAt / 1000)}.${randomDigits()}.${randomBytes(16).toString('hex')}`
    this.triggers.set(id, { user, interaction, issuedAt, exchanged: false })
    return id
  }

  /**
   * Uses a trigger up and says whose it was. Slack's answers (https://api.slack.com/methods/views.open):
   * `invalid_trigger_id` for one it never issued, `exchanged_trigger_id` for one already used,
   * `expired_trigger_id` after 3 seconds.
   */
  exchange(id: unknown): { user: string; interaction: string | undefined } {
    const trigger = typeof id === 'string' ? this.triggers.get(id) : undefined
    if (trigger === undefined) throw new SlackApiError('invalid_trigger_id')
    if (trigger.exchanged) throw new SlackApiError('exchanged_trigger_id')
    if (this.now() - trigger.issuedAt > TRIGGER_LIFETIME_MS) throw new SlackApiError('expired_trigger_id')
    trigger.exchanged = true
    return { user: trigger.user, interaction: trigger.interaction }
  }
}

function randomDigits(): string {
  return String(randomBytes(4).readUInt32BE(0))
}
