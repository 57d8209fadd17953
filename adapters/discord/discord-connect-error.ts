import { DiscordjsError, DiscordjsErrorCodes } from 'discord.js'
import { describeCause, PlatformConnectError } from '../../src/errors.ts'

/**
 * Turns what a failed Discord login threw into one line an operator can act on: a refused token
 * is a settings problem, anything else (refused connections, timeouts, DNS) a reachability one.
 */
export function toDiscordConnectError(error: unknown, apiUrl: string | undefined): PlatformConnectError {
  if (error instanceof PlatformConnectError) return error
  if (error instanceof DiscordjsError && error.code === DiscordjsErrorCodes.TokenInvalid) {
    return new PlatformConnectError(
      'discord',
      'token_refused',
      'Discord refused DISCORD_TOKEN (401 Unauthorized): copy the bot token again from the Discord developer portal',
      error,
    )
  }
  return new PlatformConnectError(
    'discord',
    'unreachable',
    `cannot reach Discord at ${apiUrl ?? 'https://discord.com/api'}: ${networkReason(error)}; check the network${apiUrl ? ' and THREADBRIDGE_DISCORD_API_URL' : ''}`,
    error,
  )
}

function networkReason(error: unknown): string {
  const code = (error as { code?: unknown }).code ?? (error as { cause?: { code?: unknown } }).cause?.code
  if (error instanceof Error && error.name === 'AbortError') return 'no answer in time'
  return typeof code === 'string' ? code : describeCause(error)
}
