import { randomBytes } from 'node:crypto'
import { SlackEmoji } from './slack-emoji.ts'

export interface SlackUser {
  id: string
  team_id: string
  name: string
  real_name: string
  is_bot: boolean
  deleted: boolean
  /**
   * The workspace roles users.info reports: admins and owners. An owner is an admin too, and the
   * primary owner (one per workspace) is an owner who cannot be demoted, only replaced.
   */
  is_admin: boolean
  is_owner: boolean
  is_primary_owner: boolean
  profile: { display_name: string; real_name: string; image_72: string; bot_id?: string }
}

export interface SlackChannel {
  id: string
  name: string
  is_channel: boolean
  is_im: boolean
  /** For a DM: the person the bot talks to. */
  user?: string
  members: Set<string>
  created: number
  /** Archived channels keep their history but take no new messages (`is_archived`). */
  is_archived?: boolean
}

/** A message as Slack stores it, plus what the sandbox records about it. */
export interface SlackMessage {
  type: 'message'
  ts: string
  channel: string
  user?: string
  bot_id?: string
  subtype?: string
  /** A tombstone (a deleted thread parent) is hidden from history but keeps its thread. */
  hidden?: boolean
  username?: string
  icons?: { image_48?: string }
  text: string
  thread_ts?: string
  reply_count?: number
  reply_users?: string[]
  latest_reply?: string
  edited?: { user: string; ts: string }
  metadata?: { event_type: string; event_payload: Record<string, unknown> }
  blocks?: unknown[]
  reactions?: { name: string; users: string[]; count: number }[]
  files?: {
    id: string
    name: string
    size: number
    mimetype: string
    permalink: string
    url_private: string
  }[]
  /** Who was notified: user ids, or "channel"/"here"/"everyone" for a broadcast that would notify. */
  pinged: string[]
}

/** Slack's hard limit: longer text is refused with msg_too_long. */
export const MAX_TEXT_LENGTH = 40_000

/** Everything a Slack emulator knows: its team, people, channels and messages. */
export class SlackState {
  readonly team = { id: 'T0LIGHTBLB', name: 'Lightbulb Moment', domain: 'lightbulb-moment' }
  readonly appId = 'A0THREADBR'
  readonly botId = 'B0THREADBR'
  readonly users = new Map<string, SlackUser>()
  readonly channels = new Map<string, SlackChannel>()
  readonly messages = new Map<string, SlackMessage[]>()
  readonly emoji = new SlackEmoji()
  readonly ephemeral: {
    channel: string
    user: string
    text: string
    blocks?: unknown[]
    thread_ts?: string
    ts: string
  }[] = []
  readonly botUser: SlackUser
  private lastTs: number

  constructor(lastTs = 0) {
    this.lastTs = lastTs
    this.botUser = this.addUser('threadbridge', { bot: true, id: 'U0THREADBR' })
  }

  addUser(name: string, options: { bot?: boolean; id?: string } = {}): SlackUser {
    const id = options.id ?? `U${randomId()}`
    const user: SlackUser = {
      id,
      team_id: this.team.id,
      name,
      real_name: name,
      is_bot: options.bot ?? false,
      deleted: false,
      is_admin: false,
      is_owner: false,
      is_primary_owner: false,
      profile: {
        display_name: name,
        real_name: name,
        image_72: `https://avatars.sandbox.invalid/${name}.png`,
        ...(options.bot ? { bot_id: this.botId } : {}),
      },
    }
    this.users.set(id, user)
    return user
  }

  findUserByName(name: string): SlackUser | undefined {
    return [...this.users.values()].find((u) => u.name === name)
  }

  addChannel(name: string, members: string[]): SlackChannel {
    const channel: SlackChannel = {
      id: `C${randomId()}`,
      name,
      is_channel: true,
      is_im: false,
      members: new Set(members),
      created: Math.floor(Date.now() / 1000),
    }
    this.channels.set(channel.id, channel)
    this.messages.set(channel.id, [])
    return channel
  }

  dmWith(userId: string): SlackChannel {
    const existing = [...this.channels.values()].find((c) => c.is_im && c.user === userId)
    if (existing) return existing
    const channel: SlackChannel = {
      id: `D${randomId()}`,
      name: userId,
      is_channel: false,
      is_im: true,
      user: userId,
      members: new Set([userId, this.botUser.id]),
      created: Math.floor(Date.now() / 1000),
    }
    this.channels.set(channel.id, channel)
    this.messages.set(channel.id, [])
    return channel
  }

  /** Slack timestamps: seconds.microseconds, unique and increasing. */
  nextTs(): string {
    const micros = Math.max(Date.now() * 1000, this.lastTs + 1)
    this.lastTs = micros
    return `${Math.floor(micros / 1_000_000)}.${String(micros % 1_000_000).padStart(6, '0')}`
  }

  get lastIssuedTs(): number {
    return this.lastTs
  }

  find(channelId: string, ts: string): SlackMessage | undefined {
    return this.messages.get(channelId)?.find((m) => m.ts === ts)
  }

  topLevel(channelId: string): SlackMessage[] {
    return (this.messages.get(channelId) ?? []).filter(
      (m) => m.thread_ts === undefined || m.thread_ts === m.ts,
    )
  }

  thread(channelId: string, ts: string): SlackMessage[] {
    return (this.messages.get(channelId) ?? []).filter((m) => m.ts === ts || m.thread_ts === ts)
  }

  channelPayload(channel: SlackChannel) {
    return {
      id: channel.id,
      name: channel.name,
      is_channel: channel.is_channel,
      is_im: channel.is_im,
      is_member: channel.members.has(this.botUser.id),
      is_archived: channel.is_archived ?? false,
      created: channel.created,
      ...(channel.user ? { user: channel.user } : {}),
      num_members: channel.members.size,
    }
  }
}

/**
 * Who a message notifies. `<!channel>`, `<!here>` and `<!everyone>` are broadcasts; with
 * `link_names`, plain `@channel`-style words are turned into them, as Slack does. Text escaped
 * as `&lt;!channel&gt;` is just text.
 */
export function whoIsPinged(
  text: string,
  options: { linkNames: boolean; channelMembers: Set<string>; authorId?: string | undefined },
): string[] {
  const pinged = new Set<string>()
  for (const match of text.matchAll(/<!(channel|here|everyone)(?:\|[^>]*)?>/g)) pinged.add(match[1] as string)
  if (options.linkNames)
    for (const match of text.matchAll(/(?:^|\s)@(channel|here|everyone)\b/g)) pinged.add(match[1] as string)
  for (const match of text.matchAll(/<@([UW][A-Z0-9]+)(?:\|[^>]*)?>/g)) pinged.add(match[1] as string)
  if (options.authorId) pinged.delete(options.authorId)
  return [...pinged]
}

function randomId(): string {
  return randomBytes(5).toString('hex').toUpperCase().slice(0, 9)
}

/** A JSON-safe copy of a SlackState, so a sandbox keeps its workspace across restarts. */
export interface SlackSnapshot {
  users: SlackUser[]
  channels: (Omit<SlackChannel, 'members'> & { members: string[] })[]
  messages: [string, SlackMessage[]][]
  lastTs: number
  /** Absent in worlds saved before custom emoji were kept. */
  customEmoji?: string[]
}

export function snapshotSlack(state: SlackState): SlackSnapshot {
  return {
    users: [...state.users.values()],
    channels: [...state.channels.values()].map((c) => ({ ...c, members: [...c.members] })),
    messages: [...state.messages.entries()],
    lastTs: state.lastIssuedTs,
    customEmoji: [...state.emoji.custom],
  }
}

export function restoreSlack(snapshot: SlackSnapshot): SlackState {
  const state = new SlackState(snapshot.lastTs)
  // A world saved before people had workspace roles restores them as neither admins nor owners.
  for (const user of snapshot.users)
    state.users.set(user.id, {
      ...user,
      is_admin: user.is_admin ?? false,
      is_owner: user.is_owner ?? false,
      is_primary_owner: user.is_primary_owner ?? false,
    })
  for (const channel of snapshot.channels)
    state.channels.set(channel.id, { ...channel, members: new Set(channel.members) })
  for (const [channelId, messages] of snapshot.messages) state.messages.set(channelId, messages)
  for (const name of snapshot.customEmoji ?? []) state.emoji.custom.add(name)
  return state
}
