import { randomBytes } from 'node:crypto'
import type { IncomingMessage } from 'node:http'
import type { Duplex } from 'node:stream'
import {
  ChannelType,
  GatewayDispatchEvents,
  GatewayIntentBits,
  GatewayOpcodes,
  type GatewayReceivePayload,
} from 'discord-api-types/v10'
import { WebSocket, WebSocketServer } from 'ws'
import type { DiscordState } from './discord-state.ts'

interface Session {
  id: string
  intents: number
  seq: number
  /** Dispatches sent in this session, kept so a RESUME can replay what the client missed. */
  log: { s: number; t: string; d: unknown }[]
  socket: WebSocket | null
}

const REPLAY_LOG_SIZE = 5000

/** The intents an application must have enabled in the Developer Portal before it may ask for them. */
export const PRIVILEGED_INTENTS =
  GatewayIntentBits.GuildMembers | GatewayIntentBits.GuildPresences | GatewayIntentBits.MessageContent

/**
 * Discord's gateway, plain JSON frames (no compression: discord.js only asks for zlib-stream when
 * the optional zlib-sync package is installed, and we keep it out). HELLO → IDENTIFY → READY →
 * GUILD_CREATE, heartbeats, RESUME with replay, and dispatches filtered by the session's intents.
 */
export class DiscordGateway {
  private readonly wss = new WebSocketServer({ noServer: true })
  private readonly sessions = new Map<string, Session>()

  constructor(
    private readonly state: DiscordState,
    private readonly options: {
      token: string | undefined
      heartbeatIntervalMs: number
      resumeUrl: () => string
      /** The privileged intents enabled for the application, read at each IDENTIFY. */
      privilegedIntents: () => number
    },
  ) {}

  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    this.wss.handleUpgrade(req, socket, head, (ws) => this.onConnection(ws))
  }

  private onConnection(ws: WebSocket): void {
    let session: Session | undefined
    send(ws, { op: GatewayOpcodes.Hello, d: { heartbeat_interval: this.options.heartbeatIntervalMs } })
    ws.on('message', (raw) => {
      let payload: {
        op: number
        d?: { token?: string; intents?: number; session_id?: string; seq?: number } | null
      }
      try {
        payload = JSON.parse(raw.toString())
      } catch {
        ws.close(4002, 'Error while decoding payload.')
        return
      }
      switch (payload.op) {
        case GatewayOpcodes.Heartbeat:
          send(ws, { op: GatewayOpcodes.HeartbeatAck })
          break
        case GatewayOpcodes.Identify: {
          if (this.options.token !== undefined && payload.d?.token !== this.options.token) {
            ws.close(4004, 'Authentication failed.')
            return
          }
          // A privileged intent asked for but not enabled for the application closes the
          // connection (https://discord.com/developers/docs/events/gateway#privileged-intents).
          const asked = Number(payload.d?.intents ?? 0)
          if ((asked & PRIVILEGED_INTENTS & ~this.options.privilegedIntents()) !== 0) {
            ws.close(4014, 'Disallowed intent(s).')
            return
          }
          session = {
            id: randomBytes(16).toString('hex'),
            intents: Number(payload.d?.intents ?? 0),
            seq: 0,
            log: [],
            socket: ws,
          }
          this.sessions.set(session.id, session)
          this.ready(session)
          break
        }
        case GatewayOpcodes.Resume: {
          const previous = this.sessions.get(String(payload.d?.session_id))
          if (previous === undefined) {
            send(ws, { op: GatewayOpcodes.InvalidSession, d: false })
            return
          }
          session = previous
          previous.socket?.terminate()
          previous.socket = ws
          const since = Number(payload.d?.seq ?? 0)
          for (const event of previous.log)
            if (event.s > since) send(ws, { op: GatewayOpcodes.Dispatch, ...event })
          this.dispatchTo(previous, GatewayDispatchEvents.Resumed, null)
          break
        }
        default:
          break
      }
    })
    ws.on('close', () => {
      if (session?.socket === ws) session.socket = null
    })
  }

  private ready(session: Session): void {
    const guilds = [...this.state.guilds.values()]
    this.dispatchTo(session, GatewayDispatchEvents.Ready, {
      v: 10,
      user: this.state.botUser,
      guilds: guilds.map((g) => ({ id: g.id, unavailable: true })),
      session_id: session.id,
      resume_gateway_url: this.options.resumeUrl(),
      shard: [0, 1],
      application: { id: this.state.applicationId, flags: 0 },
    })
    if ((session.intents & GatewayIntentBits.Guilds) === 0) return
    for (const guild of guilds)
      this.dispatchTo(session, GatewayDispatchEvents.GuildCreate, this.guildCreatePayload(guild.id))
  }

  guildCreatePayload(guildId: string) {
    const guild = this.state.requireGuild(guildId)
    const channels = [...this.state.channels.values()].filter((c) => c.guild_id === guildId)
    return {
      id: guild.id,
      name: guild.name,
      unavailable: false,
      owner_id: guild.owner_id,
      roles: guild.roles,
      members: [...guild.members.keys()].map((id) => this.state.memberPayload(guild.id, id)),
      member_count: guild.members.size,
      channels: channels
        .filter((c) => c.type !== ChannelType.PublicThread)
        .map((c) => this.state.channelPayload(c)),
      threads: channels
        .filter((c) => c.type === ChannelType.PublicThread && !c.archived)
        .map((c) => this.state.channelPayload(c)),
      emojis: [],
      stickers: [],
      features: [],
      joined_at: new Date(0).toISOString(),
      large: false,
      presences: [],
      voice_states: [],
      stage_instances: [],
      guild_scheduled_events: [],
      soundboard_sounds: [],
    }
  }

  /**
   * Sends a dispatch to every session whose intents cover it. Message content is blanked for a
   * session without the MESSAGE_CONTENT intent, as Discord does, unless the bot wrote the message
   * or is mentioned in it, or it is a DM.
   */
  dispatch(
    event: string,
    data: Record<string, unknown>,
    scope: { intent: number | null; guildId?: string | undefined },
  ): void {
    for (const session of this.sessions.values()) {
      // Some events (interactions) need no intent at all.
      if (scope.intent !== null && (session.intents & scope.intent) === 0) continue
      let payload: unknown = data
      if (
        'content' in data &&
        (session.intents & GatewayIntentBits.MessageContent) === 0 &&
        scope.guildId !== undefined
      ) {
        const authorId = (data.author as { id?: string } | undefined)?.id
        const mentionsBot =
          Array.isArray(data.mentions) &&
          data.mentions.some((u: { id?: string }) => u.id === this.state.botUser.id)
        if (authorId !== this.state.botUser.id && !mentionsBot)
          payload = { ...data, content: '', embeds: [], attachments: [], components: [] }
      }
      this.dispatchTo(session, event, payload)
    }
  }

  private dispatchTo(session: Session, event: string, data: unknown): void {
    session.seq += 1
    const entry = { s: session.seq, t: event, d: data }
    session.log.push(entry)
    if (session.log.length > REPLAY_LOG_SIZE) session.log.shift()
    if (session.socket?.readyState === WebSocket.OPEN)
      send(session.socket, { op: GatewayOpcodes.Dispatch, ...entry } as GatewayReceivePayload)
  }

  /** Cuts every connection the way a network failure does (no close frame): clients should RESUME. */
  dropConnections(): number {
    let dropped = 0
    for (const session of this.sessions.values()) {
      if (session.socket) {
        session.socket.terminate()
        session.socket = null
        dropped += 1
      }
    }
    return dropped
  }

  get connectedSessions(): number {
    return [...this.sessions.values()].filter((s) => s.socket?.readyState === WebSocket.OPEN).length
  }

  close(): void {
    for (const client of this.wss.clients) client.terminate()
    this.wss.close()
  }
}

function send(ws: WebSocket, payload: unknown): void {
  if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(payload))
}
