import { describe, expect, it } from 'vitest'
import { COMMANDS } from '../../commands/registry.ts'
import { useBridge } from '../support/bridge-harness.ts'
import { runOnSlack } from '../support/run-command.ts'

/**
 * The attack: every word typed after `/threadbridge` became a Prometheus label value, so anyone in
 * the workspace could grow the metrics' memory without bound, and write into what /metrics shows.
 * Labels now come from the closed set of command names, anything else counts as `unknown`.
 */
describe('metric labels cannot be flooded by typed subcommands (real Bolt, sandbox)', () => {
  const t = useBridge()

  it('counts made-up subcommands under one label and never shows the typed word', async () => {
    const words = ['zz-flood-1', 'zz-flood-2', 'zz-flood-3', '"}evil{x="y']
    for (const word of words) await runOnSlack(t, t.sandbox.slackSeed.users.sam, word)
    await runOnSlack(t, t.sandbox.slackSeed.users.sam, 'join')

    const text = await (await fetch(`${t.httpUrl}/metrics`)).text()
    for (const word of ['zz-flood', 'evil']) expect(text).not.toContain(word)
    const labels = [
      ...text.matchAll(/^threadbridge_command_runs_total\{command="([^"]*)",platform="slack"\} (\d+)$/gm),
    ]
    const counted = Object.fromEntries(labels.map(([, command, n]) => [command, Number(n)]))
    expect(counted).toEqual({ join: 1, unknown: words.length })
    const known = new Set([...COMMANDS.map((c) => c.name), 'unknown'])
    for (const name of Object.keys(counted)) expect(known.has(name)).toBe(true)
  })
})
