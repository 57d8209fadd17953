import { randomBytes, randomUUID } from 'node:crypto'
import type { IncomingMessage } from 'node:http'
import type { Duplex } from 'node:stream'
import { WebSocket, WebSocketServer } from 'ws'
import type { AppDelivery } from './slack-app-delivery.ts'

export interface Envelope {
  envelope_id: string
  type: 'events_api' | 'slash_commands' | 'interactive'
  payload: Record<string, unknown>
  accepts_response_payload: boolean
  retry_attempt?: number
  retry_reason?: string
}

export interface SocketModeOptions {
  appId: string
  /** Slack's rule: an envelope not acknowledged within 3 seconds is delivered again. */
  ackTimeoutMs: number
  /** Delays before each redelivery; Slack retries three times (immediately, ~1 min, ~5 min). */
  redeliveryDelaysMs: number[]
}

interface InFlight {
  envelope: Envelope
  attempt: number
  timer: NodeJS.Timeout | undefined
  onAck?: (payload: Record<string, unknown>) => void
}

/**
 * Slack's Socket Mode: `apps.connections.open` hands out a ticket, the app connects, gets
 * `hello`, and acknowledges every envelope by id. Events not acknowledged in time are delivered
 * again with `retry_attempt`; slash commands are not (the person sees a timeout instead).
 * Envelopes raised while no app is connected wait for one, so a reconnect loses nothing.
 */
export class SocketModeHub implements AppDelivery {
  private readonly wss = new WebSocketServer({ noServer: true })
  private readonly tickets = new Set<string>()
  private readonly inFlight = new Map<string, InFlight>()
  private readonly waiting: InFlight[] = []
  private readonly timers = new Set<NodeJS.Timeout>()
  /** Fault injection: how many coming events to deliver twice, how many acks to ignore. */
  duplicateNext = 0
  ignoreAcksNext = 0
  delivered = 0

  constructor(private readonly options: SocketModeOptions) {}

  issueTicket(): string {
    const ticket = randomBytes(16).toString('hex')
    this.tickets.add(ticket)
    return ticket
  }

  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const ticket = new URL(req.url ?? '/', 'http://localhost').searchParams.get('ticket') ?? ''
    if (!this.tickets.delete(ticket)) {
      socket.end('HTTP/1.1 401 Unauthorized\r\n\r\n')
      return
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      ws.send(
        JSON.stringify({
          type: 'hello',
          num_connections: this.wss.clients.size,
          debug_info: { host: 'sandbox', approximate_connection_time: 18060 },
          connection_info: { app_id: this.options.appId },
        }),
      )
      ws.on('message', (raw) => this.onAck(raw.toString()))
      for (const item of this.waiting.splice(0)) this.transmit(item)
    })
  }

  /** Delivers an event (an `event_callback` body), redelivering until acknowledged. */
  sendEvent(payload: Record<string, unknown>): void {
    const copies = this.duplicateNext > 0 ? 2 : 1
    if (this.duplicateNext > 0) this.duplicateNext -= 1
    for (let copy = 0; copy < copies; copy++) {
      const envelope: Envelope = {
        envelope_id: randomUUID(),
        type: 'events_api',
        payload,
        accepts_response_payload: false,
        retry_attempt: copy,
        retry_reason: copy === 0 ? '' : 'timeout',
      }
      this.transmit({ envelope, attempt: copy, timer: undefined })
    }
  }

  /**
   * Delivers a slash command or an interaction (a button click); resolves with the ack's payload,
   * or null if none came in time. Neither is redelivered: the person sees an error instead.
   */
  sendCommand(
    payload: Record<string, unknown>,
    type: 'slash_commands' | 'interactive' = 'slash_commands',
  ): Promise<Record<string, unknown> | null> {
    return new Promise((resolve) => {
      const envelope: Envelope = {
        envelope_id: randomUUID(),
        type,
        payload,
        accepts_response_payload: true,
      }
      const item: InFlight = { envelope, attempt: 0, timer: undefined, onAck: (ack) => resolve(ack) }
      this.transmit(item)
      const timer = setTimeout(() => {
        this.timers.delete(timer)
        if (this.inFlight.delete(envelope.envelope_id)) resolve(null)
      }, this.options.ackTimeoutMs)
      this.timers.add(timer)
    })
  }

  /** Cuts every connection without a close frame; the app has to reconnect. */
  dropConnections(): number {
    let dropped = 0
    for (const client of this.wss.clients) {
      client.terminate()
      dropped += 1
    }
    return dropped
  }

  get connections(): number {
    return [...this.wss.clients].filter((c) => c.readyState === WebSocket.OPEN).length
  }

  close(): void {
    for (const item of this.inFlight.values()) clearTimeout(item.timer)
    for (const timer of this.timers) clearTimeout(timer)
    // A polite goodbye, as Slack sends before a planned disconnect, so the app does not report an error.
    for (const client of this.wss.clients) {
      client.send(JSON.stringify({ type: 'disconnect', reason: 'link_disabled' }))
      client.close(1000)
    }
    this.wss.close()
  }

  private transmit(item: InFlight): void {
    const open = [...this.wss.clients].filter((c) => c.readyState === WebSocket.OPEN)
    // Slack delivers each envelope to one of the app's connections.
    const target = open[Math.floor(Math.random() * open.length)]
    if (target === undefined) {
      this.waiting.push(item)
      return
    }
    this.inFlight.set(item.envelope.envelope_id, item)
    target.send(JSON.stringify(item.envelope))
    this.delivered += 1
    if (item.envelope.type !== 'events_api') return
    item.timer = setTimeout(() => this.redeliver(item), this.options.ackTimeoutMs)
  }

  private redeliver(item: InFlight): void {
    if (!this.inFlight.delete(item.envelope.envelope_id)) return
    const delay = this.options.redeliveryDelaysMs[item.attempt]
    if (delay === undefined) return // Slack gives up after its last retry.
    const timer = setTimeout(() => {
      this.timers.delete(timer)
      const attempt = item.attempt + 1
      const envelope = {
        ...item.envelope,
        envelope_id: randomUUID(),
        retry_attempt: attempt,
        retry_reason: 'timeout',
      }
      this.transmit({ envelope, attempt, timer: undefined })
    }, delay)
    this.timers.add(timer)
  }

  private onAck(raw: string): void {
    let ack: { envelope_id?: string; payload?: Record<string, unknown> }
    try {
      ack = JSON.parse(raw)
    } catch {
      return
    }
    const item = this.inFlight.get(ack.envelope_id ?? '')
    if (item === undefined) return
    if (this.ignoreAcksNext > 0 && item.envelope.type === 'events_api') {
      // As if the ack were lost on the way: Slack will deliver the envelope again.
      this.ignoreAcksNext -= 1
      return
    }
    this.inFlight.delete(item.envelope.envelope_id)
    clearTimeout(item.timer)
    item.onAck?.(ack.payload ?? {})
  }
}
