import { App, LogLevel } from '@slack/bolt'

export interface SlackConnectionOptions {
  botToken: string
  appToken: string
  /** Slack's Web API base (https://slack.com/api/); the sandbox's URL in sandbox mode. */
  apiUrl?: string | undefined
  timeoutMs?: number
}

/**
 * Starts the Bolt app in Socket Mode against Slack (or the sandbox: only the base URL differs).
 * Initialisation is deferred so a bad token is an error we can report, not an unhandled
 * rejection from inside Bolt's constructor.
 */
export async function connectSlack(options: SlackConnectionOptions): Promise<App> {
  const app = new App({
    token: options.botToken,
    appToken: options.appToken,
    socketMode: true,
    deferInitialization: true,
    logLevel: LogLevel.WARN,
    // As for Discord: the mirror engine owns retries, so the client makes none of its own.
    clientOptions: {
      ...(options.apiUrl ? { slackApiUrl: options.apiUrl } : {}),
      retryConfig: { retries: 0 },
      timeout: options.timeoutMs ?? 15_000,
    },
  })
  await app.init()
  await app.start()
  return app
}
