import { ErrorCode, type WebAPIPlatformError } from '@slack/web-api'
import { describeCause, PlatformConnectError } from '../../src/errors.ts'

/** Slack's answers to auth.test that mean the token itself is wrong, not the network. */
const TOKEN_REFUSALS = new Set(['invalid_auth', 'not_authed', 'account_inactive', 'token_revoked'])

/**
 * Turns what a failed Slack start threw into one line an operator can act on: a token Slack
 * refuses is a settings problem; a request that never got an answer, a reachability one.
 */
export function toSlackConnectError(error: unknown, apiUrl: string | undefined): PlatformConnectError {
  if (error instanceof PlatformConnectError) return error
  const code = (error as { code?: unknown }).code
  if (code === ErrorCode.PlatformError) {
    const reason = (error as WebAPIPlatformError).data.error
    const appToken = (error as { token?: string }).token === 'SLACK_APP_TOKEN'
    if (TOKEN_REFUSALS.has(reason))
      return new PlatformConnectError(
        'slack',
        'token_refused',
        appToken
          ? `Slack refused SLACK_APP_TOKEN (${reason}): generate an app-level token with connections:write under Basic Information, App-Level Tokens`
          : `Slack refused SLACK_BOT_TOKEN (${reason}): copy the Bot User OAuth Token again from the Slack app's settings`,
        error,
      )
    return new PlatformConnectError(
      'slack',
      'token_refused',
      `Slack refused to start the bot (${reason}): check the app's tokens and scopes`,
      error,
    )
  }
  const where = apiUrl ?? 'https://slack.com/api/'
  const why =
    code === ErrorCode.RequestError || code === ErrorCode.HTTPError ? 'no answer' : describeCause(error)
  return new PlatformConnectError(
    'slack',
    'unreachable',
    `cannot reach Slack at ${where}: ${why}; check the network${apiUrl ? ' and THREADBRIDGE_SLACK_API_URL' : ''}`,
    error,
  )
}
