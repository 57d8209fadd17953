import { mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { DataDirLockedError } from '../src/errors.ts'

export const LOCK_FILE = 'threadbridge.lock'

export interface DataDirLock {
  readonly file: string
  /** Removes the lock if it is still ours; safe to call more than once, and from an exit handler. */
  release(): void
}

/**
 * Claims `dataDir` for this process: two bots on one embedded database would corrupt it, and two
 * on one spool would apply each other's events. The lock file holds our pid and is created with
 * `wx` (O_CREAT | O_EXCL), so of two processes starting at once exactly one creates it. A lock
 * whose pid is no longer alive (a crash, a kill -9, a container restarted with our pid) is stale
 * and taken over. It is released when the process exits, however it exits.
 */
export function lockDataDir(dataDir: string): DataDirLock {
  mkdirSync(dataDir, { recursive: true })
  const file = path.join(dataDir, LOCK_FILE)
  // Two attempts: the second follows the removal of a stale lock. Should another process take the
  // stale lock over between our removal and our create, `wx` fails and it is refused by pid.
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(file, `${process.pid}\n`, { flag: 'wx' })
      const release = () => {
        process.off('exit', release)
        if (holderOf(file) === process.pid) unlinkSync(file)
      }
      process.on('exit', release)
      return { file, release }
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
    }
    const holder = holderOf(file)
    if (holder !== undefined && holder !== process.pid && isAlive(holder))
      throw new DataDirLockedError(dataDir, holder)
    // Stale, unreadable or half-written by a process that died writing it: nobody holds it.
    try {
      unlinkSync(file)
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
    }
  }
  const holder = holderOf(file)
  throw new DataDirLockedError(dataDir, holder ?? 0)
}

/**
 * The pid of the live process holding `dataDir`, without claiming it (for `threadbridge doctor`,
 * which runs beside the bot); undefined when nobody does or the lock is stale.
 */
export function dataDirHolder(dataDir: string): number | undefined {
  const holder = holderOf(path.join(dataDir, LOCK_FILE))
  return holder !== undefined && isAlive(holder) ? holder : undefined
}

function holderOf(file: string): number | undefined {
  try {
    const pid = Number.parseInt(readFileSync(file, 'utf8').trim(), 10)
    return Number.isInteger(pid) && pid > 0 ? pid : undefined
  } catch {
    return undefined
  }
}

function isAlive(pid: number): boolean {
  try {
    // Signal 0 checks existence without signalling; EPERM means alive under another user.
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}
