import { type ChildProcess, spawn } from 'node:child_process'

export interface RunningProcess {
  child: ChildProcess
  output(): string
  /** Resolves once the combined output contains `text`; rejects if the process exits first. */
  waitFor(text: string, timeoutMs?: number): Promise<void>
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>
  /** Sends a signal to the whole process group, as a terminal's Ctrl-C does. */
  signal(signal: NodeJS.Signals): void
}

/** Starts a command in its own process group and watches what it prints. */
export function runProcess(
  command: string,
  args: string[],
  options: { cwd: string; env: NodeJS.ProcessEnv },
): RunningProcess {
  const child = spawn(command, args, { ...options, detached: true, stdio: ['ignore', 'pipe', 'pipe'] })
  let output = ''
  const listeners = new Set<() => void>()
  const onData = (chunk: Buffer) => {
    output += chunk.toString('utf8')
    for (const listener of listeners) listener()
  }
  child.stdout?.on('data', onData)
  child.stderr?.on('data', onData)
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  )
  return {
    child,
    output: () => output,
    exited,
    signal: (signal) => {
      if (child.pid !== undefined) process.kill(-child.pid, signal)
    },
    waitFor: (text, timeoutMs = 60_000) =>
      new Promise<void>((resolve, reject) => {
        const check = () => {
          if (output.includes(text)) {
            cleanup()
            resolve()
          }
        }
        const timer = setTimeout(() => {
          cleanup()
          reject(new Error(`timed out waiting for ${JSON.stringify(text)}; output so far:\n${output}`))
        }, timeoutMs)
        const cleanup = () => {
          clearTimeout(timer)
          listeners.delete(check)
        }
        listeners.add(check)
        void exited.then(() => {
          if (!output.includes(text)) {
            cleanup()
            reject(new Error(`exited before printing ${JSON.stringify(text)}; output:\n${output}`))
          }
        })
        check()
      }),
  }
}
