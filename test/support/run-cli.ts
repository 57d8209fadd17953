import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { root } from './npm-start.ts'

export interface CliResult {
  code: number
  stdout: string
  stderr: string
}

/** `npx threadbridge ARGS` without npx: the package's bin, in the repository, with `env` only. */
export function runCli(args: string[], env: NodeJS.ProcessEnv): Promise<CliResult> {
  return promisify(execFile)(process.execPath, ['bin/threadbridge.mjs', ...args], {
    cwd: root,
    env: { PATH: process.env.PATH, ...env },
  }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: { code: number; stdout: string; stderr: string }) => ({
      code: error.code,
      stdout: error.stdout,
      stderr: error.stderr,
    }),
  )
}
