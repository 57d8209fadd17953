import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { DatabaseUnavailableError, ValidationError } from '../../../src/errors.ts'
import { InboundRunner } from '../../../src/inbound/inbound-runner.ts'
import { type InboundEvent, InboundSpool } from '../../../src/inbound/inbound-spool.ts'
import { isTransientFailure } from '../../../src/inbound/transient-failure.ts'
import { silentLogger } from '../../../src/logger.ts'

const dirs: string[] = []
const spoolDir = () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'threadbridge-spool-'))
  dirs.push(dir)
  return dir
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
})

const event = (eventId: string, key = 'C1'): InboundEvent => ({
  platform: 'slack',
  key,
  kind: 'message',
  eventId,
  data: { text: eventId },
})
const refused = () =>
  Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' })
const runnerOn = (spool: InboundSpool) =>
  new InboundRunner(spool, silentLogger, { isTransient: isTransientFailure, baseDelayMs: 5, maxDelayMs: 20 })

describe('InboundRunner', () => {
  it('keeps an event on disk while the database is away, retries it, and holds its channel’s later events', async () => {
    const spool = new InboundSpool(spoolDir())
    const runner = runnerOn(spool)
    const applied: string[] = []
    let failures = 0
    const onDiskWhileFailing: string[][] = []
    const first = runner.submit(event('e1'), async () => {
      if (failures < 2) {
        failures += 1
        throw refused()
      }
      onDiskWhileFailing.push(spool.list().map((e) => e.event.eventId))
      applied.push('e1')
    })
    const second = runner.submit(event('e2'), async () => {
      applied.push('e2')
    })
    const elsewhere = runner.submit(event('e3', 'C2'), async () => {
      applied.push('e3')
    })
    await Promise.all([first, second, elsewhere])
    expect(failures).toBe(2)
    // e1 (and e2, waiting behind it) stayed on disk until applied; e3 was applied meanwhile.
    expect(onDiskWhileFailing).toEqual([['e1', 'e2']])
    // Another channel is not held up; the same channel keeps its order.
    expect(applied.indexOf('e1')).toBeLessThan(applied.indexOf('e2'))
    expect(applied.indexOf('e3')).toBeLessThan(applied.indexOf('e1'))
    expect(spool.list()).toEqual([])
  })

  it('has each event on disk from its arrival until it is applied', async () => {
    const spool = new InboundSpool(spoolDir())
    const runner = runnerOn(spool)
    const seen: string[][] = []
    await runner.submit(event('e1'), async () => {
      seen.push(spool.list().map((e) => e.event.eventId))
    })
    expect(seen).toEqual([['e1']])
    expect(spool.list()).toEqual([])
  })

  it('does not retry or keep a final failure: the adapter answers it', async () => {
    const spool = new InboundSpool(spoolDir())
    let calls = 0
    const attempt = runnerOn(spool).submit(event('e1'), async () => {
      calls += 1
      throw new ValidationError('the reply is empty')
    })
    await expect(attempt).rejects.toBeInstanceOf(ValidationError)
    expect(calls).toBe(1)
    expect(spool.list()).toEqual([])
  })

  it('leaves what it could not apply for the next start, which replays it before anything new', async () => {
    const dir = spoolDir()
    const before = runnerOn(new InboundSpool(dir))
    let tries = 0
    let triedAgain = () => {}
    const retried = new Promise<void>((resolve) => {
      triedAgain = resolve
    })
    const stuck = before.submit(event('e1'), async () => {
      tries += 1
      if (tries === 2) triedAgain()
      throw new DatabaseUnavailableError('the database is down')
    })
    const queued = before.submit(event('e2'), async () => {
      throw refused()
    })
    await retried // e1 has failed once and is being tried again
    before.stop()
    await Promise.all([stuck, queued])
    // e2 never got its turn before the stop, so it was tried once after it: kept too.
    const spool = new InboundSpool(dir)
    expect(spool.list().map((e) => e.event.eventId)).toEqual(['e1', 'e2'])

    const after = runnerOn(spool)
    const applied: string[] = []
    expect(after.resume('discord', async () => {})).toBe(0)
    expect(
      after.resume('slack', async (e) => {
        applied.push(`replayed ${e.eventId}`)
      }),
    ).toBe(2)
    await after.submit(event('e3'), async () => {
      applied.push('new e3')
    })
    expect(applied).toEqual(['replayed e1', 'replayed e2', 'new e3'])
    expect(spool.list()).toEqual([])
  })

  it('while held, keeps what arrives on disk and applies it only once released, in order', async () => {
    const spool = new InboundSpool(spoolDir())
    const runner = runnerOn(spool)
    const applied: string[] = []
    runner.hold()
    const first = runner.submit(event('e1'), async () => {
      applied.push('e1')
    })
    const second = runner.submit(event('e2'), async () => {
      applied.push('e2')
    })
    // Settled work (the spool is written synchronously) and nothing applied.
    await new Promise((resolve) => setImmediate(resolve))
    expect(applied).toEqual([])
    expect(spool.list().map((e) => e.event.eventId)).toEqual(['e1', 'e2'])
    runner.release()
    await Promise.all([first, second])
    expect(applied).toEqual(['e1', 'e2'])
    expect(spool.list()).toEqual([])
  })

  it('stopped while held (a start that failed), applies nothing and leaves it for the next start', async () => {
    const dir = spoolDir()
    const runner = runnerOn(new InboundSpool(dir))
    runner.hold()
    let applied = 0
    const held = runner.submit(event('e1'), async () => {
      applied += 1
    })
    runner.stop()
    await held
    expect(applied).toBe(0)
    expect(new InboundSpool(dir).list().map((e) => e.event.eventId)).toEqual(['e1'])
  })
})

describe('InboundSpool', () => {
  it('removes what a crash left half-kept, since an event may carry words later deleted', () => {
    const dir = spoolDir()
    const kept = new InboundSpool(dir).add(event('e1'))
    writeFileSync(path.join(dir, '000000000000001-000000001.json.tmp'), JSON.stringify(event('e2')))
    expect(new InboundSpool(dir).list().map((entry) => entry.id)).toEqual([kept])
    expect(readdirSync(dir)).toEqual([`${kept}.json`])
  })
})

describe('isTransientFailure', () => {
  it('tells an unreachable or restarting database from a failure that would repeat', () => {
    const pg = (code: string) => Object.assign(new Error(`pg ${code}`), { code })
    for (const transient of [
      refused(),
      new AggregateError([refused()], 'connect failed'),
      pg('08006'),
      pg('57P01'),
      pg('53300'),
      pg('40001'),
      pg('40P01'),
      new Error('Connection terminated unexpectedly'),
      new Error('wrapped', { cause: pg('08001') }),
      new DatabaseUnavailableError('down'),
    ])
      expect(isTransientFailure(transient), String(transient)).toBe(true)
    for (const final of [
      pg('23505'),
      pg('22P02'),
      pg('57014'),
      new TypeError('x is undefined'),
      new ValidationError('the reply is empty'),
      'a string',
      undefined,
    ])
      expect(isTransientFailure(final), String(final)).toBe(false)
  })
})
