import type { types } from '@slack/bolt'
import type { WebClient } from '@slack/web-api'
import { DeliveryError } from '../../src/errors.ts'
import { escapeSlack } from '../../src/format/discord-to-slack.ts'
import { slackWords } from '../../src/format/slack-words.ts'
import { type DigestMessage, DMS_CLOSED } from '../../src/platform/platform-port.ts'
import { toDeliveryError } from './slack-errors.ts'

/** Message metadata naming a digest by its key: how a retry finds what it already sent. */
const EVENT_TYPE = 'threadbridge_digest'
/** Slack's limits: 50 blocks a message, 3,000 characters a section, 25 buttons an actions block. */
const MAX_BLOCKS = 50
const MAX_SECTION = 3000

/**
 * Sends a digest as a DM in blocks (https://api.slack.com/reference/block-kit/blocks): one section
 * per discussion, then what did not fit, then the buttons; the summary is the notification text.
 * It carries message metadata with its key (https://api.slack.com/metadata), so with `lookFirst`
 * the DM's recent history is read for it before sending again. A deactivated person cannot be
 * DMed: reason DMS_CLOSED.
 */
export async function sendSlackDigest(
  client: WebClient,
  input: { platformUserId: string; key: string; message: DigestMessage; lookFirst: boolean },
): Promise<void> {
  try {
    const opened = await client.conversations.open({ users: input.platformUserId })
    const channel = opened.channel?.id
    if (channel === undefined) throw new DeliveryError('slack', 'no DM channel', { retryable: true })
    if (input.lookFirst) {
      const history = await client.conversations.history({ channel, limit: 20, include_all_metadata: true })
      const sent = history.messages?.some(
        (m) =>
          m.metadata?.event_type === EVENT_TYPE &&
          (m.metadata.event_payload as Record<string, unknown> | undefined)?.key === input.key,
      )
      if (sent) return
    }
    await client.chat.postMessage({
      channel,
      text: escapeSlack(input.message.summary),
      blocks: blocksOf(input.message),
      metadata: { event_type: EVENT_TYPE, event_payload: { key: input.key } },
      unfurl_links: false,
    })
  } catch (error) {
    if (error instanceof DeliveryError) throw error
    const reason = (error as { data?: { error?: string } }).data?.error
    if (reason === 'user_disabled' || reason === 'user_not_found')
      throw new DeliveryError('slack', DMS_CLOSED, { retryable: false, cause: error })
    throw toDeliveryError(error)
  }
}

/**
 * The digest's blocks. Every mrkdwn text says `verbatim`: what Slack would link by itself in plain
 * words (an address, `#general`, a name) stays words, and only the links we make are links
 * (https://api.slack.com/reference/block-kit/composition-objects#text). The heading and
 * subheading, built from titles and names people chose, are shown as words (`slackWords`).
 */
export function blocksOf(message: DigestMessage): types.KnownBlock[] {
  const blocks: types.KnownBlock[] = []
  const room = MAX_BLOCKS - 3
  for (const section of message.sections.slice(0, room)) {
    const links = section.links.map((link) => `<${link.url}|${escapeSlack(link.label)}>`).join(' · ')
    const text = [
      `*${slackWords(section.heading)}*`,
      slackWords(section.subheading),
      ...section.lines.map((line) => `> ${line}`),
      links,
    ]
      .filter(Boolean)
      .join('\n')
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: cut(text, MAX_SECTION), verbatim: true } })
  }
  if (message.more)
    blocks.push({
      type: 'context',
      elements: [{ type: 'mrkdwn', text: escapeSlack(message.more), verbatim: true }],
    })
  if (message.actions.length > 0)
    blocks.push({
      type: 'actions',
      block_id: 'digest_actions',
      elements: message.actions.slice(0, 25).map((action) => ({
        type: 'button' as const,
        action_id: action.id,
        value: action.id,
        text: { type: 'plain_text' as const, text: cut(action.label, 75) },
        ...(action.danger ? { style: 'danger' as const } : {}),
      })),
    })
  return blocks
}

function cut(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`
}
