/**
 * Threadbridge's one error hierarchy. Every failure the core can report has a code from
 * {@link ErrorCode}, so adapters and commands can answer people without parsing messages,
 * and the mirror engine can tell a permanent failure from a retryable one.
 */
export type ErrorCode =
  | 'config_invalid'
  | 'database_unavailable'
  | 'migration_failed'
  | 'validation_failed'
  | 'not_found'
  | 'not_a_member'
  | 'banned'
  | 'discussion_locked'
  | 'content_deleted'
  | 'permission_denied'
  | 'link_refused'
  | 'appointment_refused'
  | 'delivery_failed'
  | 'platform_unavailable'
  | 'rate_store_unavailable'
  | 'data_dir_locked'
  | 'unknown'

export class ThreadbridgeError extends Error {
  readonly code: ErrorCode
  /** Whether trying the same operation again later may succeed (outages, timeouts). */
  readonly retryable: boolean

  constructor(code: ErrorCode, message: string, options: { cause?: unknown; retryable?: boolean } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause })
    this.code = code
    this.retryable = options.retryable ?? false
  }

  // Logs read `NotAMemberError[not_a_member]: …` instead of a bare `Error: …`.
  override get name(): string {
    return `${this.constructor.name}[${this.code}]`
  }
}

/** A setting in the environment or config file is missing or malformed. */
export class ConfigError extends ThreadbridgeError {
  constructor(
    /** The variable or config path at fault, e.g. `DATABASE_URL` or `communities[0].slack.channelId`. */
    readonly setting: string,
    /** What was expected instead, phrased for a person. */
    readonly expected: string,
  ) {
    super('config_invalid', `${setting}: ${expected}`)
  }
}

/** The database could not be reached or opened; retrying later may work. */
export class DatabaseUnavailableError extends ThreadbridgeError {
  constructor(message: string, cause?: unknown) {
    super('database_unavailable', message, { cause, retryable: true })
  }
}

export class MigrationError extends ThreadbridgeError {
  constructor(
    readonly migration: string | undefined,
    cause: unknown,
  ) {
    super('migration_failed', `migration ${migration ?? '(unknown)'} failed: ${describeCause(cause)}`, {
      cause,
    })
  }
}

/** Input from outside (a command argument, an event payload) did not have the expected shape. */
export class ValidationError extends ThreadbridgeError {
  constructor(message: string, cause?: unknown) {
    super('validation_failed', message, { cause })
  }
}

export class NotFoundError extends ThreadbridgeError {
  constructor(
    readonly entity: 'community' | 'discussion' | 'reply' | 'member',
    readonly id: string,
  ) {
    super('not_found', `${entity} ${id} does not exist`)
  }
}

/**
 * Only members may start discussions or reply. The message is the community's own rule
 * ("You need to be a member of Lightbulb Moment to add comments!") plus how to join.
 */
export class NotAMemberError extends ThreadbridgeError {
  declare readonly code: 'not_a_member'

  constructor(
    readonly communityId: string,
    readonly communityName: string,
    /** How to join, for a person: e.g. "Join Lightbulb Moment with /join". */
    readonly joinHint: string,
  ) {
    super('not_a_member', `You need to be a member of ${communityName} to add comments! ${joinHint}`)
  }
}

export class BannedError extends ThreadbridgeError {
  declare readonly code: 'banned'

  constructor(
    readonly communityId: string,
    readonly communityName: string,
  ) {
    super('banned', `You have been banned from ${communityName}.`)
  }
}

export class DiscussionLockedError extends ThreadbridgeError {
  declare readonly code: 'discussion_locked'

  constructor(readonly discussionId: string) {
    super('discussion_locked', 'This discussion is locked: no more replies can be added.')
  }
}

/** Editing or replying to something that was deleted. */
export class ContentDeletedError extends ThreadbridgeError {
  declare readonly code: 'content_deleted'

  constructor(
    readonly entity: 'discussion' | 'reply',
    readonly id: string,
  ) {
    super('content_deleted', `This ${entity} was deleted.`)
  }
}

export class PermissionDeniedError extends ThreadbridgeError {
  constructor(
    /** What was attempted, e.g. "ban members" or "edit this reply". */
    readonly action: string,
  ) {
    super('permission_denied', `You are not allowed to ${action}.`)
  }
}

/** Why `/link` or `/unlink` was refused; the message says what to do instead. */
export type AccountLinkRefusal =
  | 'unknown_code'
  | 'expired_code'
  | 'used_code'
  | 'same_platform'
  | 'self_link'
  | 'already_linked'
  | 'linked_elsewhere'
  | 'not_linked'
  | 'nothing_to_confirm'
  | 'banned'

/** Linking or unlinking accounts was refused, for a reason the person can act on. */
export class AccountLinkError extends ThreadbridgeError {
  constructor(
    readonly reason: AccountLinkRefusal,
    /** One line for the person: what went wrong and what to do. */
    message: string,
  ) {
    super('link_refused', message)
  }
}

/** Why appointing or removing a moderator was refused; the message says what to do instead. */
export type AppointmentRefusal = 'target_banned' | 'configured'

/** A moderator's appointment or removal that cannot be done, for a reason the moderator can act on. */
export class AppointmentError extends ThreadbridgeError {
  constructor(
    readonly reason: AppointmentRefusal,
    /** One line for the moderator: what went wrong and what to do. */
    message: string,
  ) {
    super('appointment_refused', message)
  }
}

/**
 * A platform could not be connected at start-up: it refused our token, or could not be reached.
 * The message is one line for the operator: what happened and what to do.
 */
export class PlatformConnectError extends ThreadbridgeError {
  constructor(
    readonly platform: 'discord' | 'slack',
    readonly reason: 'token_refused' | 'unreachable',
    message: string,
    cause?: unknown,
  ) {
    super('platform_unavailable', message, { cause, retryable: reason === 'unreachable' })
  }
}

/** REDIS_URL names a Redis that does not answer: the shared rate limits cannot be counted. */
export class RateStoreUnavailableError extends ThreadbridgeError {
  constructor(message: string, cause?: unknown) {
    super('rate_store_unavailable', message, { cause, retryable: true })
  }
}

/** Another live process already runs on this data directory (its embedded database, its spool). */
export class DataDirLockedError extends ThreadbridgeError {
  constructor(
    readonly dataDir: string,
    readonly holderPid: number,
  ) {
    super(
      'data_dir_locked',
      `the data directory ${dataDir} is in use by another Threadbridge (pid ${holderPid}); stop it, or set THREADBRIDGE_DATA_DIR to a directory of this process's own`,
    )
  }
}

/**
 * A platform refused or failed a delivery. `retryable` separates outages (5xx, timeouts, rate
 * limits: try again later) from permanent refusals (a deleted channel, a missing permission:
 * retrying cannot help, so the job goes to the dead-letter state for moderators to see).
 */
export class DeliveryError extends ThreadbridgeError {
  constructor(
    readonly platform: 'discord' | 'slack',
    /** The platform's own error code or HTTP status, for the record. */
    readonly reason: string,
    options: { retryable: boolean; retryAfterMs?: number; cause?: unknown },
  ) {
    super('delivery_failed', `${platform}: ${reason}`, { retryable: options.retryable, cause: options.cause })
    this.retryAfterMs = options.retryAfterMs
  }

  /** When the platform said how long to wait (a 429's Retry-After), in milliseconds. */
  readonly retryAfterMs: number | undefined
}

/** A refusal of someone's message that they should hear; its `code` is the reason they are told. */
export type RefusalToTell = NotAMemberError | BannedError | DiscussionLockedError | ContentDeletedError

/**
 * The core refused someone's message for a reason they should hear (not a member, banned, a
 * locked or deleted discussion): adapters tell them privately instead of logging a failure.
 */
export function isRefusalToTell(error: unknown): error is RefusalToTell {
  return (
    error instanceof NotAMemberError ||
    error instanceof BannedError ||
    error instanceof DiscussionLockedError ||
    error instanceof ContentDeletedError
  )
}

/** Wraps anything thrown into a ThreadbridgeError, keeping the original as `cause`. */
export function asThreadbridgeError(error: unknown): ThreadbridgeError {
  if (error instanceof ThreadbridgeError) return error
  return new ThreadbridgeError('unknown', describeCause(error), { cause: error })
}

export function describeCause(cause: unknown): string {
  if (cause instanceof Error) return cause.message
  return String(cause)
}
