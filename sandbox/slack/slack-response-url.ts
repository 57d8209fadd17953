import { SlackApiError } from './slack-api-error.ts'
import { messageBlocks } from './slack-block-rules.ts'
import type { CommandResponse, OpenCommand } from './slack-commands.ts'
import type { SlackEmulator } from './slack-emulator.ts'
import { truthy } from './slack-workspace.ts'

/**
 * A response_url works "up to 5 times within 30 minutes" of the interaction
 * (https://api.slack.com/interactivity/handling#message_responses).
 */
export const RESPONSE_URL_USES = 5
export const RESPONSE_URL_LIFETIME_MS = 30 * 60_000

/**
 * An app's answer through a response_url (https://api.slack.com/interactivity/handling,
 * /interactivity/slash-commands): `delete_original` takes away the message the interaction came
 * from, `replace_original` puts the answer in its place, `response_type: "in_channel"` posts it for
 * the whole channel as the app (in `thread_ts` when given), and otherwise only the person sees it.
 * A slash command comes from no message, so there is nothing to replace or delete: its answer is
 * a new message.
 */
export function answerResponseUrl(
  emu: SlackEmulator,
  id: string,
  body: Record<string, unknown>,
): { status: number; body: unknown } {
  const command = emu.commands.get(id)
  if (command === undefined || emu.clock() - command.openedAt > RESPONSE_URL_LIFETIME_MS)
    return { status: 404, body: { ok: false, error: 'expired_url' } }
  if (command.responseUrlUses >= RESPONSE_URL_USES)
    return { status: 404, body: { ok: false, error: 'used_url' } }
  try {
    answer(emu, command, body)
  } catch (error) {
    if (error instanceof SlackApiError) return { status: 400, body: { ok: false, ...error.answer } }
    throw error
  }
  command.responseUrlUses += 1
  return { status: 200, body: { ok: true } }
}

function answer(emu: SlackEmulator, command: OpenCommand, body: Record<string, unknown>): void {
  const { state, workspace, shown } = emu
  const source = command.source
  if (truthy(body.delete_original)) {
    if (source?.kind === 'ephemeral') {
      const entry = shown.ephemeral(command.user, source.ts)
      if (entry) entry.deleted = true
    } else if (source?.kind === 'message') {
      const channel = workspace.requireChannel(source.channel)
      workspace.delete(state.botUser, channel, workspace.requireMessage(channel, source.ts))
    }
    emu.commands.record(command, {
      kind: 'response_url',
      text: '',
      response_type: 'ephemeral',
      delete_original: true,
    })
    return
  }
  const text = typeof body.text === 'string' ? body.text : ''
  const blocks = messageBlocks(body.blocks)
  if (text.trim() === '' && blocks === undefined) throw new SlackApiError('no_text')
  const responseType = body.response_type === 'in_channel' ? 'in_channel' : 'ephemeral'
  const threadTs = typeof body.thread_ts === 'string' && body.thread_ts !== '' ? body.thread_ts : undefined
  const recorded: CommandResponse = {
    kind: 'response_url' as const,
    text,
    response_type: responseType,
    ...(blocks ? { blocks } : {}),
    ...(threadTs ? { thread_ts: threadTs } : {}),
  }
  if (truthy(body.replace_original) && source !== undefined) {
    if (source.kind === 'ephemeral') {
      const entry = shown.ephemeral(command.user, source.ts)
      if (entry === undefined || entry.deleted) throw new SlackApiError('message_not_found')
      entry.text = text
      if (blocks) entry.blocks = blocks
      else delete entry.blocks
      entry.replaced = true
    } else {
      // Only the app's own message can be replaced, as with chat.update.
      const channel = workspace.requireChannel(source.channel)
      workspace.edit(state.botUser, channel, workspace.requireMessage(channel, source.ts), text, blocks)
    }
    emu.commands.record(command, { ...recorded, replace_original: true })
    return
  }
  if (responseType === 'in_channel') {
    const channel = workspace.requireChannel(command.channel)
    const message = workspace.post(state.botUser, channel, { text, blocks, thread_ts: threadTs })
    shown.record(command.user, {
      kind: 'in_channel',
      channel: channel.id,
      ts: message.ts,
      text,
      ...(blocks ? { blocks } : {}),
      ...(threadTs ? { thread_ts: threadTs } : {}),
    })
  } else {
    shown.record(command.user, {
      kind: 'ephemeral',
      channel: command.channel,
      ts: state.nextTs(),
      text,
      ...(blocks ? { blocks } : {}),
      ...(threadTs ? { thread_ts: threadTs } : {}),
    })
  }
  emu.commands.record(command, recorded)
}
