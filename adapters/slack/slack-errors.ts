import { ErrorCode, type WebAPIPlatformError, type WebAPIRateLimitedError } from '@slack/web-api'
import { DeliveryError } from '../../src/errors.ts'

/** Slack error codes after which retrying cannot help. */
const PERMANENT = new Set([
  'channel_not_found',
  'not_in_channel',
  'is_archived',
  'msg_too_long',
  'no_text',
  'cant_update_message',
  'cant_delete_message',
  'message_not_found',
  'thread_not_found',
  'invalid_auth',
  'account_inactive',
  'token_revoked',
  'missing_scope',
  'restricted_action',
])

/** Translates what the Slack WebClient throws into the engine's retryable-or-not DeliveryError. */
export function toDeliveryError(error: unknown): DeliveryError {
  if (error instanceof DeliveryError) return error
  const code = (error as { code?: string }).code
  if (code === ErrorCode.RateLimitedError) {
    const retryAfter = (error as WebAPIRateLimitedError).retryAfter
    return new DeliveryError('slack', 'ratelimited', {
      retryable: true,
      retryAfterMs: retryAfter * 1000,
      cause: error,
    })
  }
  if (code === ErrorCode.PlatformError) {
    const reason = (error as WebAPIPlatformError).data.error
    return new DeliveryError('slack', reason, { retryable: !PERMANENT.has(reason), cause: error })
  }
  // HTTP errors (5xx), timeouts and refused connections: the call may or may not have landed.
  return new DeliveryError('slack', error instanceof Error ? error.message : String(error), {
    retryable: true,
    cause: error,
  })
}

/**
 * Whether a Slack call made while taking an event in failed for now only: rate limited, a 5xx,
 * or the request never got an answer. Slack's own error codes (no such user) are final.
 */
export function isTransientSlackFailure(error: unknown): boolean {
  const code = (error as { code?: string } | null)?.code
  if (code === ErrorCode.RateLimitedError || code === ErrorCode.RequestError) return true
  return code === ErrorCode.HTTPError && ((error as { statusCode?: number }).statusCode ?? 0) >= 500
}
