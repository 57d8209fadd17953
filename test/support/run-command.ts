import { expect } from 'vitest'
import type { BridgeHarness } from './bridge-harness.ts'
import { control } from './control.ts'

/**
 * Runs a Discord slash command as a person through the sandbox and returns what they were last
 * shown; asserts it was answered, and privately. `channel` is where it is run (the forum by
 * default; a thread's id to run it in the thread).
 */
export async function runOnDiscord(
  t: BridgeHarness,
  user: string,
  name: string,
  options: Record<string, unknown> = {},
  channel: string = t.sandbox.discordSeed.forumId,
): Promise<string | null | undefined> {
  const result = await control<{
    answered: boolean
    responses: { content: string | null; ephemeral: boolean }[]
  }>(t.discordUrl, 'POST', '/interactions', { user_id: user, channel_id: channel, name, options })
  expect(result.answered).toBe(true)
  // Deferred privately, then answered: every response is ephemeral, the last one says it.
  expect(result.responses.every((r) => r.ephemeral)).toBe(true)
  return result.responses.at(-1)?.content
}

/**
 * Runs `/threadbridge <text>` on Slack as a person and returns what they were last shown, as they
 * read it (Slack's `&lt;`, `&gt;` and `&amp;` decoded); asserts it was answered, ephemerally.
 */
export async function runOnSlack(t: BridgeHarness, user: string, text: string): Promise<string | undefined> {
  const result = await control<{ answered: boolean; responses: { text: string; response_type: string }[] }>(
    t.slackUrl,
    'POST',
    '/commands',
    { user, channel: t.sandbox.slackSeed.channelId, command: '/threadbridge', text },
  )
  expect(result.answered).toBe(true)
  const said = result.responses.filter((r) => r.text !== '')
  expect(said.every((r) => r.response_type === 'ephemeral')).toBe(true)
  return said.at(-1)?.text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&')
}
