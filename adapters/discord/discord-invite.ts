import { DiscordAPIError, REST, type RESTGetCurrentApplicationResult, Routes } from 'discord.js'
import { PlatformConnectError } from '../../src/errors.ts'
import { BOT_PERMISSIONS } from './bot-permissions.ts'

/**
 * The link that adds the bot to a server with exactly its rights and its slash commands
 * (https://discord.com/developers/docs/topics/oauth2#bot-authorization-flow):
 * `https://discord.com/oauth2/authorize?client_id=ID&permissions=N&scope=bot+applications.commands`.
 */
export function inviteUrl(applicationId: string): string {
  return `https://discord.com/oauth2/authorize?client_id=${encodeURIComponent(applicationId)}&permissions=${BOT_PERMISSIONS}&scope=bot+applications.commands`
}

/**
 * The bot's application id, asked of Discord with its token (GET /applications/@me,
 * https://discord.com/developers/docs/resources/application#get-current-application).
 * Throws PlatformConnectError: `token_refused` for a 401, `unreachable` otherwise.
 */
export async function fetchApplication(
  token: string,
  apiUrl?: string,
): Promise<RESTGetCurrentApplicationResult> {
  const rest = new REST({ version: '10', retries: 0, timeout: 10_000, ...(apiUrl ? { api: apiUrl } : {}) })
  rest.setToken(token)
  try {
    return (await rest.get(Routes.currentApplication())) as RESTGetCurrentApplicationResult
  } catch (error) {
    if (error instanceof DiscordAPIError && error.status === 401)
      throw new PlatformConnectError(
        'discord',
        'token_refused',
        'Discord refused DISCORD_TOKEN (401 Unauthorized): copy the bot token again from the Discord developer portal (Bot, Reset Token)',
        error,
      )
    const reason =
      (error as { code?: unknown }).code ?? (error instanceof Error ? error.message : String(error))
    throw new PlatformConnectError(
      'discord',
      'unreachable',
      `cannot reach Discord at ${apiUrl ?? 'https://discord.com/api'}: ${String(reason)}`,
      error,
    )
  }
}
