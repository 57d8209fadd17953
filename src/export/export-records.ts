import type {
  BodyFormat,
  DigestFrequency,
  MembershipRole,
  MembershipStatus,
  SubscriptionLevel,
} from '../db/schema.ts'
import type { Platform } from '../platform/platform.ts'

/**
 * The lines of an export (`threadbridge export`), one JSON object each. The format is a promise
 * to whoever archives or imports it: add fields, never rename or remove one. Times are ISO 8601
 * in UTC; ids are our own (uuid), so replies can name their parents and discussions.
 */
export type ExportRecord =
  | DiscussionRecord
  | ReplyRecord
  | MemberRecord
  | IdentityRecord
  | PreferencesRecord
  | MembershipRecord
  | SubscriptionRecord
  | ReactionRecord

export interface ExportAuthor {
  memberId: string
  /** The name of the account it was written from, as we last saw it. */
  name: string
  /** Where it was written from; null for content from before accounts were recorded per post. */
  platform: Platform | null
}

export interface ExportAttachment {
  fileName: string
  url: string
  sizeBytes: number | null
  contentType: string | null
}

/** A tombstone carries no words: what was deleted was purged and is not exported. */
type Words<T> = ({ deleted: false } & T) | { deleted: true }

export type DiscussionRecord = {
  type: 'discussion'
  id: string
  communityId: string
  number: number
  author: ExportAuthor
  createdAt: string
  editedAt: string | null
  lockedAt: string | null
  deletedAt: string | null
} & Words<{ title: string; text: string; format: BodyFormat; attachments: ExportAttachment[] }>

export type ReplyRecord = {
  type: 'reply'
  id: string
  discussionId: string
  /** The reply it answers (nested replies), in the same discussion; null for a direct reply. */
  parentReplyId: string | null
  author: ExportAuthor
  createdAt: string
  editedAt: string | null
  deletedAt: string | null
} & Words<{ text: string; format: BodyFormat; attachments: ExportAttachment[] }>

export interface MemberRecord {
  type: 'member'
  id: string
  name: string
  createdAt: string
}

export interface IdentityRecord {
  type: 'identity'
  platform: Platform
  platformUserId: string
  name: string
  avatarUrl: string | null
  createdAt: string
}

export interface PreferencesRecord {
  type: 'preferences'
  autoSubscribe: boolean
  digestFrequency: DigestFrequency
  timeZone: string
  digestHour: number
  digestWeekday: number
  preferredPlatform: Platform | null
  updatedAt: string
}

export interface MembershipRecord {
  type: 'membership'
  communityId: string
  status: MembershipStatus
  role: MembershipRole
  joinedAt: string
}

export interface SubscriptionRecord {
  type: 'subscription'
  /** Exactly one of these: a discussion watched (or muted), or a whole community. */
  discussionId: string | null
  communityId: string | null
  level: SubscriptionLevel
  createdAt: string
}

export interface ReactionRecord {
  type: 'reaction'
  discussionId: string
  /** Null for a reaction to the opening post. */
  replyId: string | null
  emoji: string
  platform: Platform
  createdAt: string
}

export const iso = (date: Date | string): string => new Date(date).toISOString()
export const isoOrNull = (date: Date | string | null): string | null => (date === null ? null : iso(date))
