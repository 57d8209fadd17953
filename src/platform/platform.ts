/** The chat platforms Threadbridge bridges. */
export const PLATFORMS = ['discord', 'slack'] as const
export type Platform = (typeof PLATFORMS)[number]

/** A person acting on one platform, as the adapter saw them. */
export interface PlatformActor {
  platform: Platform
  /** Discord user snowflake or Slack user id. */
  platformUserId: string
  displayName: string
  avatarUrl?: string | null
  /**
   * The platform could not name them just now (a look-up failed, or the configuration names them
   * by id): `displayName` is their id. It names someone seen for the first time, and never
   * replaces the name and avatar we already know: a restart or a failed look-up must not turn
   * a person into their id on every mirror.
   */
  nameUnknown?: true
}

/** One platform message, addressed the way that platform addresses it. */
export interface PlatformMessageRef {
  platform: Platform
  /** Discord channel (or thread) id; Slack channel id. */
  channelId: string
  /** Discord message snowflake; Slack message ts. */
  messageId: string
  /** Discord thread channel id; Slack thread_ts of the thread's parent. */
  threadId?: string | null
}

/** Where an inbound change came from: the event id makes redeliveries harmless. */
export interface InboundOrigin {
  platform: Platform
  /** A platform-unique id for this delivery's event (Slack event_id, Discord event key). */
  eventId: string
}
