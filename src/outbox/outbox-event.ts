import type { MembershipRole, MembershipStatus } from '../db/schema.ts'
import type { Platform } from '../platform/platform.ts'

/**
 * What the core tells the rest of the system, through the outbox, after a state change.
 * Events carry ids, never text: the consumer reads the current state, so a purge is final.
 *
 * `sourcePlatform` is the platform where the content already exists (it was written there);
 * the mirror engine posts everywhere else. It is null for content made by command.
 */
export type OutboxEvent =
  | { type: 'discussion.created'; discussionId: string; sourcePlatform: Platform | null }
  | { type: 'discussion.edited'; discussionId: string; sourcePlatform: Platform | null }
  /** `sourcePlatform`: locked there by its own moderators (absent in rows queued before it was kept). */
  | { type: 'discussion.locked'; discussionId: string; locked: boolean; sourcePlatform?: Platform | null }
  /**
   * A lock report from `platform` came while a lock command of ours was on its way there, so it
   * could not be told from that command's echo: looked at again, the thread read afresh, once the
   * commands queued before it are carried out (see applyLockReport). `locked` is what it said.
   */
  | { type: 'discussion.lock_recheck'; discussionId: string; platform: Platform; locked: boolean }
  | { type: 'discussion.deleted'; discussionId: string; sourcePlatform: Platform | null }
  | { type: 'reply.created'; discussionId: string; replyId: string; sourcePlatform: Platform | null }
  | { type: 'reply.edited'; discussionId: string; replyId: string; sourcePlatform: Platform | null }
  | { type: 'reply.deleted'; discussionId: string; replyId: string; sourcePlatform: Platform | null }
  | { type: 'membership.changed'; memberId: string; status: MembershipStatus; role: MembershipRole }
  | {
      type: 'reaction.changed'
      discussionId: string
      replyId: string | null
      emoji: string
      sourcePlatform: Platform
    }
  /** A claimed digest, to send to its person (digests/claim-due-digests writes it). */
  | { type: 'digest.ready'; digestId: string }

export type OutboxEventType = OutboxEvent['type']
