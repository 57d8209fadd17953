import { App, LogLevel, SocketModeReceiver } from '@slack/bolt'
import type { SlackEmulator } from '../../sandbox/slack/slack-emulator.ts'

/**
 * The real Bolt app in Socket Mode, pointed at the emulator. The emulator must already listen:
 * Bolt calls auth.test from its constructor. A short client ping timeout makes reconnects fast.
 */
export async function startBoltApp(
  emulator: SlackEmulator,
  setup: (app: App) => void,
  /** `ignoreSelf: false` hears the bot's own events, which Bolt drops by default. */
  options: { ignoreSelf?: boolean } = {},
): Promise<App> {
  const clientOptions = { slackApiUrl: emulator.apiUrl }
  const receiver = new SocketModeReceiver({
    appToken: 'xapp-sandbox',
    clientPingTimeout: 1500,
    logLevel: LogLevel.ERROR,
    installerOptions: { clientOptions },
  })
  const app = new App({
    token: 'xoxb-sandbox',
    receiver,
    clientOptions,
    logLevel: LogLevel.ERROR,
    ...options,
  })
  setup(app)
  await app.start()
  return app
}

/** Resolves once `condition` holds, re-checking whenever `poke` is called; never sleeps blindly. */
export function waiter() {
  const wakers: (() => void)[] = []
  return {
    poke: () => {
      for (const wake of wakers.splice(0)) wake()
    },
    async until(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
      const deadline = Date.now() + timeoutMs
      while (!condition()) {
        const remaining = deadline - Date.now()
        if (remaining <= 0) throw new Error('timed out waiting for a condition')
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, remaining)
          wakers.push(() => {
            clearTimeout(timer)
            resolve()
          })
        })
      }
    },
  }
}
