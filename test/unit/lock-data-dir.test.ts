import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { LOCK_FILE, lockDataDir } from '../../bin/lock-data-dir.ts'
import { DataDirLockedError } from '../../src/errors.ts'

describe('lockDataDir', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'threadbridge-lock-'))
  afterEach(() => rmSync(path.join(dir, LOCK_FILE), { force: true }))

  it('writes our pid, refuses a live holder by pid, and releases', () => {
    const lock = lockDataDir(dir)
    expect(readFileSync(lock.file, 'utf8').trim()).toBe(String(process.pid))
    // A live holder other than us: the parent of this test process.
    writeFileSync(lock.file, `${process.ppid}\n`)
    expect(() => lockDataDir(dir)).toThrow(DataDirLockedError)
    expect(() => lockDataDir(dir)).toThrow(`pid ${process.ppid}`)
    writeFileSync(lock.file, `${process.pid}\n`)
    lock.release()
    expect(existsSync(lock.file)).toBe(false)
  })

  it('takes over a lock whose process is gone', () => {
    const gone = spawnSync(process.execPath, ['-e', '']).pid
    writeFileSync(path.join(dir, LOCK_FILE), `${gone}\n`)
    const lock = lockDataDir(dir)
    expect(readFileSync(lock.file, 'utf8').trim()).toBe(String(process.pid))
    lock.release()
  })
})
