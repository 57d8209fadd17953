import { randomBytes } from 'node:crypto'

export interface CommandResponse {
  kind: 'ack' | 'response_url' | 'ephemeral'
  text: string
  response_type: 'ephemeral' | 'in_channel'
  blocks?: unknown
}

interface OpenCommand {
  id: string
  user: string
  channel: string
  openedAt: number
  responses: CommandResponse[]
  responseUrlUses: number
  wake: (() => void)[]
}

/** Slash commands in progress: their response_url, and what the bot has answered so far. */
export class CommandDesk {
  private readonly open = new Map<string, OpenCommand>()

  start(user: string, channel: string): OpenCommand {
    const command: OpenCommand = {
      id: randomBytes(12).toString('hex'),
      user,
      channel,
      openedAt: Date.now(),
      responses: [],
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
  noteEphemeral(entry: { channel: string; user: string; text: string }): void {
    for (const command of this.open.values()) {
      if (
        command.user === entry.user &&
        command.channel === entry.channel &&
        Date.now() - command.openedAt < 30 * 60_000
      ) {
        this.record(command, { kind: 'ephemeral', text: entry.text, response_type: 'ephemeral' })
      }
    }
  }

  async waitForAnswer(command: OpenCommand, deadline: number): Promise<boolean> {
    while (command.responses.length === 0) {
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
