import { type APIEmbed, ComponentType, MessageFlags } from 'discord-api-types/v10'
import { HttpError } from '../http/http-kit.ts'

export const MAX_CONTENT_LENGTH = 2000

/** What a message shows: its text, embeds and components. */
export interface MessageParts {
  content: string
  embeds: APIEmbed[]
  components: unknown[]
}

/**
 * A message's content, embeds and components, checked as Discord checks them. A message needs
 * content, an embed, a component or a file (50006 otherwise): an embed-only message is fine.
 * https://discord.com/developers/docs/resources/message#create-message (limits in
 * https://discord.com/developers/docs/resources/message#embed-object-embed-limits and
 * https://discord.com/developers/docs/components/reference#action-row)
 */
export function messageParts(
  input: { content?: unknown; embeds?: unknown; components?: unknown; flags?: unknown },
  options: { hasFiles?: boolean; allowEmpty?: boolean } = {},
): MessageParts {
  const content = typeof input.content === 'string' ? input.content : ''
  if (content.length > MAX_CONTENT_LENGTH)
    throw invalidForm('content', `Must be ${MAX_CONTENT_LENGTH} or fewer in length.`, 'BASE_TYPE_MAX_LENGTH')
  const embeds = checkEmbeds(input.embeds)
  const v2 = (Number(input.flags ?? 0) & MessageFlags.IsComponentsV2) !== 0
  const components = checkComponents(input.components, v2)
  const empty = content.trim() === '' && embeds.length === 0 && components.length === 0 && !options.hasFiles
  if (empty && !options.allowEmpty)
    throw new HttpError(400, { message: 'Cannot send an empty message', code: 50006 })
  return { content, embeds, components }
}

function checkEmbeds(raw: unknown): APIEmbed[] {
  if (raw === undefined || raw === null) return []
  if (!Array.isArray(raw)) throw invalidForm('embeds', 'Must be an array.')
  if (raw.length > 10) throw invalidForm('embeds', 'Must be 10 or fewer in length.')
  let total = 0
  const limit = (at: string, value: unknown, max: number) => {
    if (value === undefined || value === null) return
    const text = String(value)
    if (text.length > max) throw invalidForm(at, `Must be ${max} or fewer in length.`)
    total += text.length
  }
  for (const [i, embed] of (raw as APIEmbed[]).entries()) {
    limit(`embeds.${i}.title`, embed.title, 256)
    limit(`embeds.${i}.description`, embed.description, 4096)
    limit(`embeds.${i}.footer.text`, embed.footer?.text, 2048)
    limit(`embeds.${i}.author.name`, embed.author?.name, 256)
    if ((embed.fields?.length ?? 0) > 25)
      throw invalidForm(`embeds.${i}.fields`, 'Must be 25 or fewer in length.')
    for (const [f, field] of (embed.fields ?? []).entries()) {
      limit(`embeds.${i}.fields.${f}.name`, field.name, 256)
      limit(`embeds.${i}.fields.${f}.value`, field.value, 1024)
    }
  }
  if (total > 6000) throw invalidForm('embeds', 'Embed size exceeds maximum size of 6000')
  return raw as APIEmbed[]
}

/**
 * Classic components: up to 5 action rows of up to 5 buttons (or one select); a button has a
 * custom_id (1–100, unique in the message) unless it is a link, which has a url instead. With
 * the IS_COMPONENTS_V2 flag the layout is Discord's newer one, passed through as given.
 */
function checkComponents(raw: unknown, v2: boolean): unknown[] {
  if (raw === undefined || raw === null) return []
  if (!Array.isArray(raw)) throw invalidForm('components', 'Must be an array.')
  if (v2) return raw
  if (raw.length > 5) throw invalidForm('components', 'Must be 5 or fewer in length.')
  const ids = new Set<string>()
  for (const [r, row] of (raw as { type?: number; components?: Record<string, unknown>[] }[]).entries()) {
    if (row.type !== ComponentType.ActionRow || !Array.isArray(row.components) || row.components.length === 0)
      throw invalidForm(`components.${r}`, 'Top-level components must be action rows with components.')
    if (row.components.length > 5)
      throw invalidForm(`components.${r}.components`, 'Must be 5 or fewer in length.')
    for (const [c, component] of row.components.entries()) {
      const at = `components.${r}.components.${c}`
      if (component.type !== ComponentType.Button) {
        if (row.components.length > 1) throw invalidForm(at, 'A select menu fills its action row.')
        continue
      }
      if (typeof component.label === 'string' && component.label.length > 80)
        throw invalidForm(`${at}.label`, 'Must be 80 or fewer in length.')
      if (component.style === 5) {
        if (typeof component.url !== 'string' || component.custom_id !== undefined)
          throw invalidForm(at, 'A link button has a url and no custom_id.')
        continue
      }
      const id = component.custom_id
      if (typeof id !== 'string' || id.length < 1 || id.length > 100)
        throw invalidForm(`${at}.custom_id`, 'Must be between 1 and 100 in length.')
      if (ids.has(id)) throw invalidForm(`${at}.custom_id`, 'Component custom id cannot be duplicated')
      ids.add(id)
    }
  }
  return raw
}

/** Discord's "Invalid Form Body" error, with the field's nested error list. */
export function invalidForm(field: string, message: string, code = 'BASE_TYPE_BAD_LENGTH'): HttpError {
  return new HttpError(400, {
    message: 'Invalid Form Body',
    code: 50035,
    errors: { [field]: { _errors: [{ code, message }] } },
  })
}
