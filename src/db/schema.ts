import type { ColumnType, Generated, Insertable, Selectable } from 'kysely'
import type { Platform } from '../platform/platform.ts'

/**
 * Table shapes as TypeScript sees them. The source of truth is migrations/; this file follows it.
 */
export interface Database {
  communities: CommunityTable
  community_bridges: CommunityBridgeTable
  members: MemberTable
  identities: IdentityTable
  memberships: MembershipTable
  member_preferences: MemberPreferencesTable
  discussions: DiscussionTable
  replies: ReplyTable
  attachments: AttachmentTable
  subscriptions: SubscriptionTable
  outbox: OutboxTable
  digest_cursors: DigestCursorTable
  digests: DigestTable
  processed_events: ProcessedEventTable
  message_links: MessageLinkTable
  moderation_actions: ModerationActionTable
  mirror_attempts: MirrorAttemptTable
  non_member_notices: NonMemberNoticeTable
  reactions: ReactionTable
  mirror_gone: MirrorGoneTable
  link_codes: LinkCodeTable
  account_links: AccountLinkTable
  moderator_accounts: ModeratorAccountTable
  vacuum_requests: VacuumRequestTable
  ban_mark_key: BanMarkKeyTable
  ban_marks: BanMarkTable
}

/** This install's HMAC key for ban marks, as its RFC 2104 pads (64 bytes each); one row. */
export interface BanMarkKeyTable {
  id: ColumnType<boolean, never, never>
  inner_pad: Uint8Array
  outer_pad: Uint8Array
  created_at: CreatedAt
}

/** A ban kept past its person's erasure: HMAC-SHA256 of "<platform>:<account id>" (src/members/ban-marks.ts). */
export interface BanMarkTable {
  community_id: string
  account_hash: Uint8Array
  created_at: CreatedAt
}

/** A table a purge or an edit touched, waiting for the vacuum job to rewrite it (src/erasure). */
export interface VacuumRequestTable {
  id: ColumnType<string, never, never>
  table_name: string
  /** The asking transaction (xid8, as text): one row per table and transaction. */
  xact: ColumnType<string, never, never>
  requested_at: ColumnType<Date, Date | undefined, never>
}

/** A `/link` code, kept only as its hash: single use (`used_at`), valid until `expires_at`. */
export interface LinkCodeTable {
  code_hash: string
  /** The account that asked for the code: the one the other platform's account joins. */
  platform: Platform
  platform_user_id: string
  expires_at: Date
  used_at: Date | null
  /** The account that entered the code, waiting for the maker's confirmation (set with `used_at`). */
  entered_platform: ColumnType<Platform | null, Platform | null | undefined, Platform | null>
  entered_platform_user_id: ColumnType<string | null, string | null | undefined, string | null>
  entered_at: ColumnType<Date | null, Date | null | undefined, Date | null>
  created_at: CreatedAt
}

/** Why an account moderates: the configuration names it, or a moderator appointed it. */
export type ModeratorSource = 'configuration' | 'appointment'

/**
 * An account that moderates a community by our records: the role belongs to the account it was
 * given to, so a link neither gives it to the linked account nor takes it away.
 */
export interface ModeratorAccountTable {
  community_id: string
  platform: Platform
  platform_user_id: string
  source: ModeratorSource
  granted_at: CreatedAt
}

/** An account moved under another member by `/link`, and the member it came from (for `/unlink`). */
export interface AccountLinkTable {
  platform: Platform
  platform_user_id: string
  member_id: string
  former_member_id: string
  linked_at: CreatedAt
}

export interface MirrorGoneTable {
  discussion_id: string
  platform: Platform
  reason: string
  created_at: CreatedAt
}

export interface ReactionTable {
  discussion_id: string
  reply_id: string | null
  /** A Unicode emoji, or `:name:` for one only a platform knows (a Discord custom emoji). */
  emoji: string
  platform: Platform
  platform_user_id: string
  created_at: CreatedAt
}

export interface MirrorAttemptTable {
  outbox_id: string
  platform: Platform
  started_at: ColumnType<Date, Date | undefined, never>
}

/** Why a writer was refused, and told so: the refusal's error code (see RefusalToTell). */
export type NoticeReason = 'not_a_member' | 'banned' | 'discussion_locked' | 'content_deleted'

/** A refused writer was told why, privately: once per discussion and reason. */
export interface NonMemberNoticeTable {
  platform: Platform
  platform_user_id: string
  discussion_id: string
  reason: NoticeReason
  created_at: CreatedAt
}

export type ModerationOutcome = 'done' | 'refused'

type CreatedAt = ColumnType<Date, Date | undefined, never>
type UpdatedAt = ColumnType<Date, Date | undefined, Date>

export type BodyFormat = 'plain' | 'discord' | 'slack'
export type MembershipStatus = 'joined' | 'left' | 'banned'
export type MembershipRole = 'member' | 'moderator'
export type DigestFrequency = 'off' | 'immediate' | 'daily' | 'weekly'
export type SubscriptionLevel = 'watching' | 'muted'
export type OutboxStatus = 'pending' | 'done' | 'dead'

export interface CommunityTable {
  id: string
  name: string
  /** The number the community's latest discussion took; the next one takes this plus one. */
  last_discussion_number: ColumnType<number, number | undefined, number>
  /** The moderators the configuration names (`[{platform, userId}]`): made moderators at each start. */
  configured_moderators: ColumnType<ConfiguredModerator[], string | undefined, string>
  /** `/bridge pause`: nothing of the community is mirrored until `/bridge resume` (null: mirroring). */
  mirroring_paused_at: ColumnType<Date | null, Date | null | undefined, Date | null>
  created_at: CreatedAt
}

export interface ConfiguredModerator {
  platform: Platform
  userId: string
}

export interface CommunityBridgeTable {
  community_id: string
  platform: Platform
  workspace_id: string
  channel_id: string
  /** Discord: the roles (ids or names) whose holders moderate; jsonb, written as JSON text. */
  moderator_roles: ColumnType<string[], string | undefined, string>
  /** Slack: the workspace's admins and owners moderate too. */
  workspace_admins_moderate: ColumnType<boolean, boolean | undefined, boolean>
  created_at: CreatedAt
}

export interface MemberTable {
  id: Generated<string>
  display_name: string
  created_at: CreatedAt
}

export interface IdentityTable {
  platform: Platform
  platform_user_id: string
  member_id: string
  display_name: string
  avatar_url: string | null
  /** When a DM to this account was refused (Discord 50007): no digest is sent to it until it works again. */
  dms_closed_at: ColumnType<Date | null, Date | null | undefined, Date | null>
  /** When they were told, in the community, how to open their DMs: once. */
  dms_closed_told_at: ColumnType<Date | null, Date | null | undefined, Date | null>
  created_at: CreatedAt
  updated_at: UpdatedAt
}

export interface MembershipTable {
  community_id: string
  member_id: string
  status: MembershipStatus
  role: ColumnType<MembershipRole, MembershipRole | undefined, MembershipRole>
  joined_at: ColumnType<Date, Date | undefined, Date>
  updated_at: UpdatedAt
}

export interface MemberPreferencesTable {
  member_id: string
  auto_subscribe: ColumnType<boolean, boolean | undefined, boolean>
  digest_frequency: ColumnType<DigestFrequency, DigestFrequency | undefined, DigestFrequency>
  timezone: ColumnType<string, string | undefined, string>
  digest_hour: ColumnType<number, number | undefined, number>
  /** The weekly digest's day, ISO: 1 Monday … 7 Sunday. */
  digest_weekday: ColumnType<number, number | undefined, number>
  /** Where digests go; null: the platform they last posted from. */
  preferred_platform: ColumnType<Platform | null, Platform | null | undefined, Platform | null>
  updated_at: UpdatedAt
}

export interface DiscussionTable {
  id: Generated<string>
  community_id: string
  /** Short and per community (`#12`): what people type and read, unlike the id. */
  number: number
  /** int8 identity: insertion order, for "new discussions since the last digest". */
  seq: ColumnType<string, never, never>
  author_member_id: string
  /**
   * The account it was written from: null for rows older than account links with no account, and
   * after its author was erased (`/forget-me`), the only change it may take.
   */
  author_platform: ColumnType<Platform | null, Platform | null | undefined, null>
  author_platform_user_id: ColumnType<string | null, string | null | undefined, null>
  title: string | null
  body: string | null
  body_format: BodyFormat
  created_at: CreatedAt
  edited_at: Date | null
  /**
   * When the last edit applied from its platform was made, as the platform stamped it, in
   * microseconds since the epoch (int8, read as a string): an edit stamped earlier is late, and
   * ignored. Null until a stamped edit is applied.
   */
  source_edited_us: ColumnType<string | null, string | null | undefined, string | null>
  locked_at: Date | null
  deleted_at: Date | null
  /** `/bridge pause` of this discussion alone: nothing of it is mirrored until `/bridge resume`. */
  mirroring_paused_at: ColumnType<Date | null, Date | null | undefined, Date | null>
}

export interface ReplyTable {
  id: Generated<string>
  /** int8 identity: insertion order within and across discussions. */
  seq: ColumnType<string, never, never>
  discussion_id: string
  parent_reply_id: string | null
  author_member_id: string
  /**
   * The account it was written from: null for rows older than account links with no account, and
   * after its author was erased (`/forget-me`), the only change it may take.
   */
  author_platform: ColumnType<Platform | null, Platform | null | undefined, null>
  author_platform_user_id: ColumnType<string | null, string | null | undefined, null>
  body: string | null
  body_format: BodyFormat
  created_at: CreatedAt
  edited_at: Date | null
  /**
   * When the last edit applied from its platform was made, as the platform stamped it, in
   * microseconds since the epoch (int8, read as a string): an edit stamped earlier is late, and
   * ignored. Null until a stamped edit is applied.
   */
  source_edited_us: ColumnType<string | null, string | null | undefined, string | null>
  deleted_at: Date | null
}

export interface AttachmentTable {
  id: Generated<string>
  discussion_id: string | null
  reply_id: string | null
  file_name: string
  url: string
  /** int8 arrives as a string from the pg driver; we never need arithmetic on it in SQL. */
  size_bytes: ColumnType<string | null, number | null, never>
  content_type: string | null
  created_at: CreatedAt
}

export interface SubscriptionTable {
  id: Generated<string>
  member_id: string
  discussion_id: string | null
  community_id: string | null
  level: SubscriptionLevel
  created_at: CreatedAt
  updated_at: UpdatedAt
}

export interface OutboxTable {
  /** int8 identity: kept as a string so it never loses precision. */
  id: ColumnType<string, never, never>
  /** Null for a person's own deliveries (a digest), which belong to no one community. */
  community_id: string | null
  discussion_id: string | null
  event_type: string
  payload: ColumnType<unknown, string, string>
  status: ColumnType<OutboxStatus, OutboxStatus | undefined, OutboxStatus>
  attempts: ColumnType<number, number | undefined, number>
  available_at: ColumnType<Date, Date | undefined, Date>
  last_error: string | null
  created_at: CreatedAt
  processed_at: Date | null
  lease_token: string | null
  lease_until: Date | null
}

export interface ProcessedEventTable {
  platform: Platform
  event_id: string
  processed_at: CreatedAt
}

export interface MessageLinkTable {
  platform: Platform
  channel_id: string
  message_id: string
  discussion_id: string
  reply_id: string | null
  part: ColumnType<number, number | undefined, number>
  origin: 'source' | 'mirror'
  thread_id: string | null
  created_at: CreatedAt
}

export interface ModerationActionTable {
  id: Generated<string>
  community_id: string
  /** Null only for a refusal of someone we have no member record of: `actor_name` says who. */
  moderator_member_id: string | null
  /** Who acted or tried, as their platform named them then, and where. */
  /** Updated only to null: an erasure takes the name a refused attempt was recorded under. */
  actor_name: ColumnType<string | null, string | null | undefined, null>
  actor_platform: ColumnType<Platform | null, Platform | null | undefined, null>
  /** `done`, or `refused`: someone without the right tried (the action is then the command's name). */
  outcome: ColumnType<ModerationOutcome, ModerationOutcome | undefined, never>
  /** A refusal's platform account, the key its attempts are merged by; null once erased. */
  actor_platform_user_id: ColumnType<string | null, string | null | undefined, null>
  /** How many attempts the row stands for: refusals in one hour are one row. 1 for an action. */
  attempts: ColumnType<number, number | undefined, number>
  /** The hour (UTC, its start) a refusal row gathers; null for an action and for older refusals. */
  refused_hour: ColumnType<Date | null, Date | null | undefined, never>
  action: string
  target_member_id: string | null
  target_discussion_id: string | null
  target_reply_id: string | null
  reason: string | null
  created_at: CreatedAt
}

export interface DigestCursorTable {
  member_id: string
  /** The slot of the last digest decided (sent or found empty). */
  last_slot_at: Date | null
  /** int8: how far the last digest read. */
  reply_seq: ColumnType<string, string | undefined, string>
  discussion_seq: ColumnType<string, string | undefined, string>
  updated_at: UpdatedAt
}

export type DigestStatus = 'pending' | 'sent' | 'empty' | 'undeliverable'

export interface DigestTable {
  id: ColumnType<string, never, never>
  member_id: string
  slot_at: Date
  frequency: Exclude<DigestFrequency, 'off'>
  reply_seq_after: ColumnType<string, string, never>
  reply_seq_upto: ColumnType<string, string, never>
  discussion_seq_after: ColumnType<string, string, never>
  discussion_seq_upto: ColumnType<string, string, never>
  status: ColumnType<DigestStatus, DigestStatus | undefined, DigestStatus>
  platform: Platform | null
  created_at: CreatedAt
  sent_at: Date | null
}

export type Community = Selectable<CommunityTable>
export type Discussion = Selectable<DiscussionTable>
export type Reply = Selectable<ReplyTable>
export type Membership = Selectable<MembershipTable>
export type MemberPreferences = Selectable<MemberPreferencesTable>
export type NewAttachment = Omit<Insertable<AttachmentTable>, 'discussion_id' | 'reply_id'>
