import { DiscordAPIError, HTTPError, RateLimitError, type RESTJSONErrorCodes } from 'discord.js'
import { DeliveryError } from '../../src/errors.ts'

/**
 * Discord error codes after which retrying cannot help: the thing is gone, we may not touch it, or
 * a setting refuses it until someone changes it (40067: the forum requires a tag on every post).
 */
const PERMANENT_CODES = new Set([10003, 10008, 10015, 40067, 50001, 50013, 50035, 50006, 160005, 220001])

/** Translates what discord.js throws into the engine's retryable-or-not DeliveryError. */
export function toDeliveryError(error: unknown): DeliveryError {
  if (error instanceof DeliveryError) return error
  if (error instanceof RateLimitError) {
    return new DeliveryError('discord', `rate limited on ${error.route}`, {
      retryable: true,
      retryAfterMs: error.retryAfter,
      cause: error,
    })
  }
  if (error instanceof DiscordAPIError) {
    const code = typeof error.code === 'number' ? error.code : 0
    const permanent = PERMANENT_CODES.has(code) || error.status === 403 || error.status === 404
    return new DeliveryError('discord', `${error.status} ${code} ${error.message}`, {
      retryable: !permanent,
      cause: error,
    })
  }
  if (error instanceof HTTPError)
    return new DeliveryError('discord', `HTTP ${error.status}`, { retryable: true, cause: error })
  // Timeouts (AbortError) and network failures: the request may or may not have landed.
  const name = error instanceof Error ? error.name : 'Error'
  return new DeliveryError('discord', `${name}: ${error instanceof Error ? error.message : String(error)}`, {
    retryable: true,
    cause: error,
  })
}

/**
 * Whether a Discord call made while taking an event in (fetching a message again) failed for
 * now only: rate limited, a 5xx, or a timeout. Unknown messages and missing access are final.
 */
export function isTransientDiscordFailure(error: unknown): boolean {
  if (error instanceof RateLimitError || error instanceof HTTPError) return true
  if (error instanceof DiscordAPIError) return error.status >= 500
  return error instanceof Error && error.name === 'AbortError'
}

/** Whether Discord answered with one of these JSON error codes (Unknown Message, Thread Locked…). */
export function isDiscordError(error: unknown, ...codes: RESTJSONErrorCodes[]): boolean {
  return error instanceof DiscordAPIError && codes.includes(error.code as RESTJSONErrorCodes)
}
