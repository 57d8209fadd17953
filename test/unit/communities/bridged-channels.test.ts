import { describe, expect, it } from 'vitest'
import { BridgedChannels } from '../../../src/communities/bridged-channels.ts'

describe('BridgedChannels', () => {
  it('keeps events of the bridged channels only, once the list is read', async () => {
    const channels = new BridgedChannels(async () => ['C1'])
    await channels.load()
    expect([channels.includes('C1'), channels.includes('C2')]).toEqual([true, false])
  })

  it('keeps every event while the list cannot be read, and reads it again on the next check', async () => {
    let reads = 0
    let away = true
    const channels = new BridgedChannels(async () => {
      reads++
      if (away) throw new Error('connect ECONNREFUSED')
      return ['C1']
    })
    await channels.load()
    expect(channels.includes('C2')).toBe(true) // not known yet: nothing is lost
    await channels.load() // joins the read that check started, which fails too
    expect(reads).toBe(2)
    away = false
    await channels.load()
    expect(channels.includes('C2')).toBe(false)
    expect(reads).toBe(3)
  })

  it('reads once however many checks wait for it', async () => {
    let reads = 0
    let release: () => void = () => {}
    const gate = new Promise<void>((resolve) => {
      release = resolve
    })
    const channels = new BridgedChannels(async () => {
      reads++
      await gate
      return ['C1']
    })
    for (const id of ['C1', 'C2', 'C3']) expect(channels.includes(id)).toBe(true)
    release()
    await channels.load()
    expect(reads).toBe(1)
    expect(channels.includes('C3')).toBe(false)
  })
})
