import { describe, expect, it } from 'vitest'
import { eventually, useBridge } from '../support/bridge-harness.ts'
import { control } from '../support/control.ts'
import { runOnDiscord, runOnSlack } from '../support/run-command.ts'

/** One sample's value from Prometheus text, or undefined when the series is absent. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `))
  return line === undefined ? undefined : Number(line.slice(series.length + 1))
}

describe('health, readiness and metrics (real clients, sandbox, real database)', () => {
  const t = useBridge()
  const metrics = async () => (await fetch(`${t.httpUrl}/metrics`)).text()

  it('counts a mirrored conversation: messages, latency, outbox, spool, commands and digests', async () => {
    const thread = await control(t.discordUrl, 'POST', `/channels/${t.sandbox.discordSeed.forumId}/threads`, {
      author_id: t.sandbox.discordSeed.users.jo,
      name: 'Measured',
      content: 'What gets measured gets managed.',
    })
    const channel = t.sandbox.slackSeed.channelId
    const [root] = await eventually(
      () => control<any[]>(t.slackUrl, 'GET', `/conversations/${channel}/history`),
      (m) => m.length === 1,
    )
    await control(t.slackUrl, 'POST', '/messages', {
      user: t.sandbox.slackSeed.users.sam,
      channel,
      text: 'And what gets managed gets measured.',
      thread_ts: root.ts,
    })
    await eventually(
      () => control<any[]>(t.discordUrl, 'GET', `/channels/${thread.id}/messages`),
      (m) => m.length === 2,
    )
    // A digest the run queues is delivered before the outbox is read: the outbox must be empty.
    await t.bridge.runDigests()
    await t.bridge.worker.idle()

    const response = await fetch(`${t.httpUrl}/metrics`)
    expect(response.headers.get('content-type')).toContain('text/plain')
    const text = await response.text()
    expect(sample(text, 'threadbridge_mirror_messages_total{platform="discord",outcome="mirrored"}')).toBe(1)
    expect(sample(text, 'threadbridge_mirror_messages_total{platform="slack",outcome="mirrored"}')).toBe(1)
    const latencyCount = sample(text, 'threadbridge_mirror_latency_seconds_count') ?? 0
    const latencySum = sample(text, 'threadbridge_mirror_latency_seconds_sum') ?? -1
    expect(latencyCount).toBeGreaterThanOrEqual(2)
    // Plausible: positive, and each well under the test's own timeout.
    expect(latencySum).toBeGreaterThan(0)
    expect(latencySum / latencyCount).toBeLessThan(15)
    expect(sample(text, 'threadbridge_outbox_depth')).toBe(0)
    expect(sample(text, 'threadbridge_outbox_oldest_age_seconds')).toBe(0)
    expect(sample(text, 'threadbridge_inbound_spool_depth')).toBe(0)
    expect(sample(text, 'threadbridge_retries_total')).toBe(0)
    expect(sample(text, 'threadbridge_dead_letters_total')).toBe(0)
    expect(sample(text, 'threadbridge_digest_runs_total')).toBe(1)
    expect(text).toContain('# TYPE threadbridge_rate_limited_total counter')
    expect(text).toContain('# TYPE threadbridge_command_runs_total counter')
    expect(sample(text, 'process_cpu_user_seconds_total')).toBeGreaterThan(0)
  })

  it('counts commands by name and platform', async () => {
    await runOnSlack(t, t.sandbox.slackSeed.users.sam, 'join')
    await runOnDiscord(t, t.sandbox.discordSeed.users.jo, 'join')
    const text = await metrics()
    expect(text).toMatch(/^threadbridge_command_runs_total\{command="join",platform="slack"\} 1$/m)
    expect(text).toMatch(/^threadbridge_command_runs_total\{command="join",platform="discord"\} 1$/m)
  })

  it('is live and ready once the database answers and both platforms are connected; not ready after', async () => {
    expect((await fetch(`${t.httpUrl}/healthz`)).status).toBe(200)
    const ready = await fetch(`${t.httpUrl}/readyz`)
    expect([ready.status, await ready.json()]).toEqual([200, { status: 'ready' }])

    await t.bridge.stop()
    const stopped = await fetch(`${t.httpUrl}/readyz`)
    expect(stopped.status).toBe(503)
    expect(await stopped.json()).toEqual({
      status: 'not ready',
      reasons: ['Discord is not connected', 'Slack is not connected'],
    })
    await t.restartBridge()
  })
})
