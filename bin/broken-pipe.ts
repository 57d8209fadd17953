/**
 * What a command does when its output's reader has gone (`threadbridge doctor | head -1`): every
 * later write to stdout fails with EPIPE, which unhandled is a stack trace. A well-behaved command
 * line tool stops there, silently, and the shell reports a program ended by SIGPIPE as 128 + 13.
 */
export const BROKEN_PIPE_EXIT = 141

let whenClosed: () => void = () => process.exit(BROKEN_PIPE_EXIT)
let closed = false

/** Ends the process quietly once stdout's reader has gone; any other stdout failure is thrown. */
export function endQuietlyOnBrokenPipe(stdout: NodeJS.WriteStream = process.stdout): void {
  stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error
    // Once: what is written while it ends (a last line of its own) fails the same way.
    if (closed) return
    closed = true
    whenClosed()
  })
}

/** How a command with something to close first (the bot: its connections) ends instead. */
export function onBrokenPipe(end: () => void): void {
  whenClosed = end
}
