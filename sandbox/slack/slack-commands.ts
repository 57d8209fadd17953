import { randomBytes } from 'node:crypto'

export interface CommandResponse {
  kind: 'ack' | 'response_url' | 'ephemeral'
  text: string
  response_type: 'ephemeral' | 'in_channel'
  blocks?: unknown
  /** The answer replaced, or deleted, the message the interaction came from. */
  replace_original?: true
  delete_original?: true
  thread_ts?: string
}

/** The message an interaction came from: what `replace_original` and `delete_original` act on. */
export type InteractionSource =
  | { kind: 'message'; channel: string; ts: string }
  | { kind: 'ephemeral'; ts: string }

export interface OpenCommand {
  id: string
  user: string
  channel: string
  source?: InteractionSource
  openedAt: number
  responses: CommandResponse[]
  /** Modals the app opened for the person with this interaction's trigger_id. */
  views: string[]
  responseUrlUses: number
  wake: (() => void)[]
}

/**
 * Slash commands, shortcuts and clicks in progress: their response_url, and what the app has
 * answered so far (messages, or a modal it opened).
 */
export class CommandDesk {
  private readonly open = new Map<string, OpenCommand>()

  constructor(private readonly now: () => number = Date.now) {}

  start(user: string, channel: string, source?: InteractionSource): OpenCommand {
    const command: OpenCommand = {
      id: randomBytes(12).toString('hex'),
      user,
      channel,
      ...(source ? { source } : {}),
      openedAt: this.now(),
      responses: [],
      views: [],
      responseUrlUses: 0,
      wake: [],
    }
    this.open.set(command.id, command)
    return command
  }

  get(id: string): OpenCommand | undefined {
    return this.open.get(id)
  }

  record(command: OpenCommand, response: CommandResponse): void {
    command.responses.push(response)
    for (const wake of command.wake.splice(0)) wake()
  }

  /** An ephemeral message to the person who ran a command, in its channel, is part of the answer. */
  noteEphemeral(entry: { channel: string; user: string; text: string; blocks?: unknown }): void {
    for (const command of this.open.values()) {
      if (
        command.user === entry.user &&
        command.channel === entry.channel &&
        this.now() - command.openedAt < 30 * 60_000
      ) {
        this.record(command, {
          kind: 'ephemeral',
          text: entry.text,
          response_type: 'ephemeral',
          ...(entry.blocks ? { blocks: entry.blocks } : {}),
        })
      }
    }
  }

  /** A modal opened for the person answers the interaction whose trigger it used. */
  noteView(command: OpenCommand, viewId: string): void {
    command.views.push(viewId)
    for (const wake of command.wake.splice(0)) wake()
  }

  async waitForAnswer(command: OpenCommand, deadline: number): Promise<boolean> {
    while (command.responses.length === 0 && command.views.length === 0) {
      const remaining = deadline - Date.now()
      if (remaining <= 0) return false
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, remaining)
        command.wake.push(() => {
          clearTimeout(timer)
          resolve()
        })
      })
    }
    return true
  }
}
