import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { InboundSpool } from '../../src/inbound/inbound-spool.ts'
import { eventually, useBridge } from '../support/bridge-harness.ts'
import { control } from '../support/control.ts'

/**
 * The attacks: the inbound spool holds people's words (a Slack event carries the message) while
 * the database is away, and it was readable by every account on the machine; and any channel
 * someone invites the bot to, bridged or not, had its messages written there too.
 */
const dirs: string[] = []
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
})
const permissions = (file: string) => statSync(file).mode & 0o777

describe.runIf(process.platform !== 'win32')('the inbound spool is private to the bot’s account', () => {
  it('makes its folder 0700 and writes each event 0600, whatever the umask allowed', () => {
    const parent = mkdtempSync(path.join(tmpdir(), 'threadbridge-spool-'))
    dirs.push(parent)
    const dir = path.join(parent, 'inbound-spool')
    const spool = new InboundSpool(dir)
    spool.add({
      platform: 'slack',
      key: 'C1',
      kind: 'message',
      eventId: 'e1',
      data: { text: 'private words' },
    })
    expect(permissions(dir)).toBe(0o700)
    const [file] = readdirSync(dir)
    expect(permissions(path.join(dir, file as string))).toBe(0o600)
  })

  it('closes a folder and files an earlier version left open', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'threadbridge-spool-'))
    dirs.push(dir)
    chmodSync(dir, 0o755)
    const left = path.join(dir, '000000000000001-000000001.json')
    writeFileSync(
      left,
      JSON.stringify({ platform: 'slack', key: 'C1', kind: 'message', eventId: 'e0', data: {} }),
    )
    chmodSync(left, 0o644)
    new InboundSpool(dir)
    expect(permissions(dir)).toBe(0o700)
    expect(permissions(left)).toBe(0o600)
  })
})

describe('Slack events from channels that are not bridged (real Bolt, sandbox)', () => {
  const t = useBridge()

  it('are dropped before they reach the spool', async () => {
    const { slackSeed } = t.sandbox
    const state = t.sandbox.slack.state
    const elsewhere = state.addChannel('random', [slackSeed.users.sam, state.botUser.id])
    // With the database away nothing leaves the spool: whatever was taken in stays to be seen.
    t.outage.down = true
    await control(t.slackUrl, 'POST', '/messages', {
      user: slackSeed.users.sam,
      channel: elsewhere.id,
      text: 'Not for the bridge',
    })
    await control(t.slackUrl, 'POST', '/messages', {
      user: slackSeed.users.sam,
      channel: slackSeed.channelId,
      text: 'For the bridge',
    })
    const files = await eventually(
      async () => readdirSync(t.spoolDir).filter((name) => name.endsWith('.json')),
      (names) => names.length >= 1,
    )
    const kept = files.map((name) => JSON.parse(readFileSync(path.join(t.spoolDir, name), 'utf8')).key)
    expect(kept).toEqual([slackSeed.channelId])
    t.outage.down = false
  })
})
