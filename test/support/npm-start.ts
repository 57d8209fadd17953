import { readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { type RunningProcess, runProcess } from './run-process.ts'

export const root = fileURLToPath(new URL('../..', import.meta.url))
const scripts = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')).scripts as Record<
  string,
  string
>

/**
 * Runs what `npm start` runs, without npm in between: npm re-raises a Ctrl-C on itself after its
 * child exits, which would hide whether the bot itself stopped cleanly.
 */
export function npmStart(env: NodeJS.ProcessEnv): RunningProcess {
  return runProcess('sh', ['-c', `exec ${scripts.start}`], { cwd: root, env })
}

/**
 * The environment a newcomer has: none of our variables set, except the health port, which is
 * any free one (port 3000 may be someone's, and tests run in parallel).
 */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = { ...process.env }
  for (const key of Object.keys(env)) {
    if (
      key === 'DATABASE_URL' ||
      key === 'REDIS_URL' ||
      key.startsWith('THREADBRIDGE_') ||
      key.startsWith('DISCORD_') ||
      key.startsWith('SLACK_')
    ) {
      delete env[key]
    }
  }
  return { ...env, THREADBRIDGE_HTTP_PORT: '0', ...extra }
}
