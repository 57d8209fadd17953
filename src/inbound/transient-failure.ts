import { ThreadbridgeError } from '../errors.ts'

/** Network failures: the other end is away or the path to it is broken, for now. */
const TRANSIENT_ERRNO = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
])

/**
 * PostgreSQL's SQLSTATEs that mean "not now" rather than "never": 08 connection exceptions,
 * 53 insufficient resources (too many connections, disk full), 57P0x the server shutting down or
 * starting up, 40001/40P01 a serialization failure or deadlock the transaction lost.
 */
const TRANSIENT_SQLSTATE = /^(08...|53...|57P0.|40001|40P01)$/

/** What node-postgres and PGlite say, without a code, when the connection or pool is gone. */
const TRANSIENT_MESSAGE =
  /Connection terminated|timeout exceeded when trying to connect|Cannot use a pool after calling end|Client was closed|PGlite is closed/i

/**
 * Whether a failure may pass if the same work is tried again later: the database (or a network
 * path) is unreachable, restarting or overloaded. A constraint, a bad input or a bug fails the
 * same way every time, so it is not.
 */
export function isTransientFailure(error: unknown): boolean {
  let current: unknown = error
  for (let depth = 0; current !== undefined && current !== null && depth < 8; depth += 1) {
    if (current instanceof ThreadbridgeError && current.retryable) return true
    if (current instanceof AggregateError && current.errors.some(isTransientFailure)) return true
    const code = (current as { code?: unknown }).code
    if (typeof code === 'string' && (TRANSIENT_ERRNO.has(code) || TRANSIENT_SQLSTATE.test(code))) return true
    if (current instanceof Error && TRANSIENT_MESSAGE.test(current.message)) return true
    current = (current as { cause?: unknown }).cause
  }
  return false
}
