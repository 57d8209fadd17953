import { WebClient } from '@slack/web-api'
import { type DoctorCheck, fail, note, ok } from '../../src/doctor/doctor-check.ts'

export interface SlackDoctorOptions {
  botToken: string
  /**
   * How Slack reaches the bot: Socket Mode, opened with the app-level token; or HTTP, every
   * request checked with the signing secret (`sandbox`: the sandbox's own, said so).
   */
  receiving: { mode: 'socket'; appToken: string } | { mode: 'http'; signingSecret: string; sandbox?: boolean }
  apiUrl?: string | undefined
  /** The bot scopes the app's manifest asks for. */
  requiredScopes: string[]
  /** The bridged channels: the bot must be a member of each. */
  channelIds: string[]
  /** The configured communities' Slack workspaces: each must be the one the bot token is for. */
  workspaces?: { community: string; teamId: string }[]
}

/**
 * Checks what the bot needs of Slack, one line each: the bot token (auth.test), its scopes (the
 * `x-oauth-scopes` header Slack answers every call with, https://api.slack.com/authentication/token-types),
 * how Slack reaches it (checkReceiving), the workspace each community names (auth.test's
 * `team_id`), and its membership of each bridged channel (conversations.info's `is_member`).
 * Changes nothing.
 */
export async function checkSlack(options: SlackDoctorOptions): Promise<DoctorCheck[]> {
  const client = new WebClient(options.botToken, {
    retryConfig: { retries: 0 },
    timeout: 10_000,
    ...(options.apiUrl ? { slackApiUrl: options.apiUrl } : {}),
  })
  const checks: DoctorCheck[] = []
  let scopes: string[] | undefined
  let botName = 'the bot'
  let team = { id: '', name: '' }
  try {
    const auth = await client.auth.test()
    scopes = auth.response_metadata?.scopes
    botName = `@${auth.user}`
    team = { id: auth.team_id ?? '', name: auth.team ?? '' }
    checks.push(
      ok(`Slack: SLACK_BOT_TOKEN is valid (workspace ${team.name}, team id ${team.id}, bot @${auth.user})`),
    )
  } catch (error) {
    const code = slackError(error)
    return [
      fail(
        code === 'invalid_auth' || code === 'not_authed' || code === 'token_revoked'
          ? `Slack: Slack refused SLACK_BOT_TOKEN (${code}): copy the Bot User OAuth Token again from the app's OAuth & Permissions page`
          : `Slack: cannot reach Slack${options.apiUrl ? ` at ${options.apiUrl}` : ''}: ${code}`,
      ),
    ]
  }
  const lacking = options.requiredScopes.filter((scope) => !scopes?.includes(scope))
  checks.push(
    lacking.length === 0
      ? ok(
          `Slack: the bot token has every scope slack-manifest.yml asks for (${options.requiredScopes.length})`,
        )
      : fail(
          `Slack: the bot token lacks the scope${lacking.length > 1 ? 's' : ''} ${lacking.join(', ')}: add ${lacking.length > 1 ? 'them' : 'it'} under OAuth & Permissions (or update the app from slack-manifest.yml), then reinstall the app`,
        ),
  )
  checks.push(...(await checkReceiving(options)))
  // A command run outside the bridged channel finds its community by this id: a wrong one is
  // "Threadbridge bridges no community in this workspace".
  for (const { community, teamId } of options.workspaces ?? [])
    checks.push(
      teamId === team.id
        ? ok(`Slack: ${community}'s slack.teamId is the token's workspace (${team.id})`)
        : fail(
            `Slack: ${community}'s slack.teamId is ${teamId}, but SLACK_BOT_TOKEN is for workspace ${team.name} (${team.id}): set slack.teamId to ${team.id} in THREADBRIDGE_CONFIG, or use that workspace's bot token`,
          ),
    )
  for (const channel of options.channelIds) {
    const info = await client.conversations.info({ channel }).then(
      (answer) => answer.channel,
      (error: unknown) => slackError(error),
    )
    if (typeof info === 'string')
      checks.push(fail(`Slack: cannot read channel ${channel} (${info}): check THREADBRIDGE_CONFIG`))
    else if (info?.is_member !== true)
      checks.push(
        fail(`Slack: the bot is not in #${info?.name ?? channel}: invite it there with /invite ${botName}`),
      )
    else checks.push(ok(`Slack: the bot is in #${info.name ?? channel}`))
  }
  return checks
}

/**
 * Socket Mode: the app-level token opens a connection (apps.connections.open only issues its
 * URL). HTTP mode uses no app token, and the signing secret cannot be tried from here (only a
 * request Slack signed proves it): that it is set is what can be checked.
 */
async function checkReceiving({ receiving, apiUrl }: SlackDoctorOptions): Promise<DoctorCheck[]> {
  if (receiving.mode === 'http')
    return [
      note('Slack: SLACK_APP_TOKEN is not used in HTTP mode (THREADBRIDGE_SLACK_MODE=http): not checked'),
      receiving.signingSecret === ''
        ? fail(
            "Slack: SLACK_SIGNING_SECRET is not set: HTTP mode checks every request with it; copy it from the app's Basic Information page",
          )
        : ok(
            `Slack: SLACK_SIGNING_SECRET is set (HTTP mode): every request to /slack/events is checked with it${receiving.sandbox ? " (the sandbox's)" : ''}`,
          ),
    ]
  const app = new WebClient(receiving.appToken, {
    retryConfig: { retries: 0 },
    timeout: 10_000,
    ...(apiUrl ? { slackApiUrl: apiUrl } : {}),
  })
  const opened = await app.apps.connections.open().then(
    () => undefined,
    (error: unknown) => slackError(error),
  )
  return [
    opened === undefined
      ? ok('Slack: SLACK_APP_TOKEN opens a Socket Mode connection')
      : fail(
          `Slack: Slack refused SLACK_APP_TOKEN (${opened}): generate an app-level token with connections:write under Basic Information`,
        ),
  ]
}

function slackError(error: unknown): string {
  const data = (error as { data?: { error?: unknown } }).data
  if (typeof data?.error === 'string') return data.error
  const code = (error as { code?: unknown }).code
  return typeof code === 'string' ? code : error instanceof Error ? error.message : String(error)
}
