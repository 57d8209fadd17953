import {
  type APIActionRowComponent,
  type APIButtonComponent,
  type APIEmbed,
  ButtonStyle,
  type Client,
  ComponentType,
  RESTJSONErrorCodes,
} from 'discord.js'
import { shownName } from '../../src/command/shown-name.ts'
import { DeliveryError } from '../../src/errors.ts'
import { escapeDiscord } from '../../src/format/slack-to-discord.ts'
import { type DigestMessage, DMS_CLOSED } from '../../src/platform/platform-port.ts'
import { isDiscordError, toDeliveryError } from './discord-errors.ts'

/** Discord's limits for one message: 10 embeds, 6,000 characters across them, 5 rows of 5 buttons. */
const MAX_EMBEDS = 10
const MAX_EMBED_TOTAL = 6000
const MAX_BUTTONS = 25
/** What the footer says, with the digest's key: how a retry recognises what it already sent. */
const FOOTER = 'Threadbridge digest'

/**
 * Sends a digest as a DM: the summary as content, one embed per discussion (its news, its newest
 * replies, links to it on both platforms), and buttons (https://discord.com/developers/docs/components/reference#button).
 * The nonce makes a resend within Discord's window the same message; after a longer silence,
 * `lookFirst` reads the DM's recent messages for a footer with this key. A person who takes no
 * DMs from the bot (50007) gets a DeliveryError with reason DMS_CLOSED.
 */
export async function sendDiscordDigest(
  client: Client,
  input: { platformUserId: string; key: string; message: DigestMessage; lookFirst: boolean },
): Promise<void> {
  try {
    const user = await client.users.fetch(input.platformUserId)
    const channel = await user.createDM()
    if (input.lookFirst) {
      const recent = await channel.messages.fetch({ limit: 25 })
      if (recent.some((m) => m.embeds.some((e) => e.footer?.text === `${FOOTER} ${input.key}`))) return
    }
    await channel.send({
      content: input.message.summary,
      embeds: embedsOf(input.message, input.key),
      components: rowsOf(input.message.actions),
      nonce: input.key.slice(0, 25),
      enforceNonce: true,
      allowedMentions: { parse: [] },
    })
  } catch (error) {
    if (isDiscordError(error, RESTJSONErrorCodes.CannotSendMessagesToThisUser))
      throw new DeliveryError('discord', DMS_CLOSED, { retryable: false, cause: error })
    throw toDeliveryError(error)
  }
}

export function embedsOf(message: DigestMessage, key: string): APIEmbed[] {
  const embeds: APIEmbed[] = []
  let budget = MAX_EMBED_TOTAL - (FOOTER.length + key.length + 1) - (message.more?.length ?? 0) - 50
  for (const section of message.sections.slice(0, MAX_EMBEDS)) {
    // Headings and subheadings carry titles and names people chose: escaped, so they read as typed.
    const links = section.links.map((link) => `[${escapeDiscord(link.label)}](${link.url})`).join(' · ')
    const title = cut(shownName('discord', section.heading), 256)
    const description = cut(
      [`**${shownName('discord', section.subheading)}**`, ...section.lines, links].filter(Boolean).join('\n'),
      4096,
    )
    if (title.length + description.length > budget) break
    budget -= title.length + description.length
    embeds.push({ title, description })
  }
  if (embeds.length === 0) embeds.push({ description: message.summary })
  const last = embeds[embeds.length - 1] as APIEmbed
  if (message.more) last.description = `${last.description ?? ''}\n\n_${shownName('discord', message.more)}_`
  last.footer = { text: `${FOOTER} ${key}` }
  return embeds
}

export function rowsOf(actions: DigestMessage['actions']): APIActionRowComponent<APIButtonComponent>[] {
  const buttons: APIButtonComponent[] = actions.slice(0, MAX_BUTTONS).map((action) => ({
    type: ComponentType.Button,
    custom_id: action.id,
    label: cut(action.label, 80),
    style: action.danger ? ButtonStyle.Danger : ButtonStyle.Secondary,
  }))
  const rows: APIActionRowComponent<APIButtonComponent>[] = []
  for (let i = 0; i < buttons.length; i += 5)
    rows.push({ type: ComponentType.ActionRow, components: buttons.slice(i, i + 5) })
  return rows
}

function cut(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`
}
