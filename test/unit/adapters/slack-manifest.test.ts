import { readdirSync, readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { SUBSCRIBE_SHORTCUT } from '../../../adapters/slack/slack-commands.ts'
import { SLACK_BOT_EVENTS } from '../../../adapters/slack/slack-inbound.ts'
import { SLACK_COMMAND } from '../../../adapters/slack/slack-platform.ts'
import { commandSet } from '../../../commands/registry.ts'
import { THREADBRIDGE_MANIFEST } from '../../../sandbox/slack/slack-app-manifest.ts'
import { EVENT_SCOPES, METHOD_SCOPES } from '../../../sandbox/slack/slack-scopes.ts'

const ADAPTER_DIR = new URL('../../../adapters/slack/', import.meta.url)
const sources = readdirSync(ADAPTER_DIR)
  .filter((file) => file.endsWith('.ts'))
  .map((file) => readFileSync(new URL(file, ADAPTER_DIR), 'utf8'))
  .join('\n')

/** Every Web API method the Slack adapter calls, read from its source: `client.chat.postMessage(`. */
const methodsUsed = [
  ...new Set([...sources.matchAll(/client\s*\.\s*(\w+)\s*\.\s*(\w+)\s*\(/g)].map((m) => `${m[1]}.${m[2]}`)),
]

/**
 * Where the adapter calls the methods whose scope depends on the kind of conversation: channel
 * history and threads, and channel look-ups, in the bridged public channels; history of the
 * app's DM with a person before sending a digest (slack-digests.ts).
 */
const CONVERSATION_KINDS: Record<string, ('channel' | 'im')[]> = {
  'conversations.history': ['channel', 'im'],
  'conversations.replies': ['channel'],
  'conversations.info': ['channel'],
}

function scopesOf(method: string): string[] {
  const rule = METHOD_SCOPES[method]
  if (rule === undefined)
    throw new Error(`${method}: add its required scope to sandbox/slack/slack-scopes.ts`)
  if (!('channel' in rule)) return [...rule]
  const kinds = CONVERSATION_KINDS[method]
  if (kinds === undefined) throw new Error(`${method}: say where it is called in CONVERSATION_KINDS`)
  return kinds.map((kind) => rule[kind])
}

/** slack-manifest.yml against the code: everything the code uses is declared, and nothing more. */
describe('slack-manifest.yml declares what the Slack adapter uses', () => {
  it('declares the one slash command', () => {
    expect(THREADBRIDGE_MANIFEST.commands).toEqual([SLACK_COMMAND])
  })

  it('declares a message shortcut per command that acts on a message, and "Notify me when people reply"', () => {
    const onMessage = commandSet.definitions.flatMap((d) =>
      d.onMessage ? [{ callback_id: d.name, type: 'message', name: d.onMessage.label }] : [],
    )
    const declared = THREADBRIDGE_MANIFEST.shortcuts
    expect(declared.map((s) => s.callback_id).sort()).toEqual(
      [SUBSCRIBE_SHORTCUT, ...onMessage.map((s) => s.callback_id)].sort(),
    )
    for (const shortcut of onMessage) expect(declared).toContainEqual(shortcut)
    expect(declared.every((s) => s.type === 'message')).toBe(true)
  })

  it('subscribes to exactly the events the inbound listener takes', () => {
    expect([...THREADBRIDGE_MANIFEST.botEvents].sort()).toEqual([...SLACK_BOT_EVENTS].sort())
  })

  it('asks for exactly the scopes the Web API methods, the events and the commands need', () => {
    expect(methodsUsed).toContain('chat.postMessage') // the source scan finds calls at all
    const needed = new Set<string>([
      ...methodsUsed.flatMap(scopesOf),
      ...SLACK_BOT_EVENTS.map((event) => {
        const scope = EVENT_SCOPES[event]
        if (scope === undefined) throw new Error(`${event}: add its scope to sandbox/slack/slack-scopes.ts`)
        return scope
      }),
    ])
    // Slash commands and shortcuts need `commands` (https://api.slack.com/scopes/commands).
    if (THREADBRIDGE_MANIFEST.commands.length + THREADBRIDGE_MANIFEST.shortcuts.length > 0)
      needed.add('commands')
    // Posting under the author's name and avatar (https://api.slack.com/scopes/chat:write.customize).
    if (/\busername:|\bicon_url\b/.test(sources)) needed.add('chat:write.customize')
    expect([...THREADBRIDGE_MANIFEST.botScopes].sort()).toEqual([...needed].sort())
  })
})
