import { ComponentType } from 'discord-api-types/v10'
import { HttpError } from '../http/http-kit.ts'
import { invalidForm } from './discord-message-parts.ts'

/** A text input as the modal declared it, defaults filled in. */
export interface ShownTextInput {
  custom_id: string
  label: string
  style: 1 | 2
  min_length: number
  max_length: number
  required: boolean
  value?: string
  placeholder?: string
}

/** A modal shown to a person: what they can fill in and submit. */
export interface ShownModal {
  custom_id: string
  title: string
  inputs: ShownTextInput[]
}

/**
 * A MODAL callback's data (type 9), checked as Discord checks it: a custom_id of 1–100
 * characters, a title of at most 45, and 1–5 action rows, each holding one text input (type 4)
 * with a custom_id, a label of at most 45, style 1 (short) or 2 (paragraph), min_length 0–4000,
 * max_length 1–4000, and required (true unless said otherwise).
 * https://discord.com/developers/docs/interactions/receiving-and-responding#interaction-response-object-modal
 * https://discord.com/developers/docs/components/reference#text-input
 */
export function checkModal(raw: unknown): ShownModal {
  const data = (raw ?? {}) as Record<string, unknown>
  const customId = data.custom_id
  if (typeof customId !== 'string' || customId.length < 1 || customId.length > 100)
    throw invalidForm('data.custom_id', 'Must be between 1 and 100 in length.')
  if (typeof data.title !== 'string' || data.title.length < 1 || data.title.length > 45)
    throw invalidForm('data.title', 'Must be between 1 and 45 in length.')
  const rows = data.components
  if (!Array.isArray(rows) || rows.length < 1 || rows.length > 5)
    throw invalidForm('data.components', 'Must be between 1 and 5 in length.')
  const inputs = rows.map((row: { type?: number; components?: Record<string, unknown>[] }, r) => {
    const at = `data.components.${r}`
    if (row.type !== ComponentType.ActionRow || row.components?.length !== 1)
      throw invalidForm(at, 'A modal row is an action row holding one text input.')
    const input = row.components[0] as Record<string, unknown>
    if (input.type !== ComponentType.TextInput)
      throw invalidForm(`${at}.components.0.type`, 'Must be a text input.')
    const id = input.custom_id
    if (typeof id !== 'string' || id.length < 1 || id.length > 100)
      throw invalidForm(`${at}.components.0.custom_id`, 'Must be between 1 and 100 in length.')
    if (typeof input.label !== 'string' || input.label.length < 1 || input.label.length > 45)
      throw invalidForm(`${at}.components.0.label`, 'Must be between 1 and 45 in length.')
    if (input.style !== 1 && input.style !== 2)
      throw invalidForm(`${at}.components.0.style`, 'Value is not a valid enum value.')
    const min = input.min_length === undefined ? 0 : Number(input.min_length)
    const max = input.max_length === undefined ? 4000 : Number(input.max_length)
    if (!Number.isInteger(min) || min < 0 || min > 4000)
      throw invalidForm(`${at}.components.0.min_length`, 'Must be between 0 and 4000.')
    if (!Number.isInteger(max) || max < 1 || max > 4000 || max < min)
      throw invalidForm(
        `${at}.components.0.max_length`,
        'Must be between 1 and 4000, and not under min_length.',
      )
    return {
      custom_id: id,
      label: input.label,
      style: input.style,
      min_length: min,
      max_length: max,
      required: input.required !== false,
      ...(typeof input.value === 'string' ? { value: input.value } : {}),
      ...(typeof input.placeholder === 'string' ? { placeholder: input.placeholder } : {}),
    } satisfies ShownTextInput
  })
  if (new Set(inputs.map((i) => i.custom_id)).size !== inputs.length)
    throw invalidForm('data.components', 'Component custom id cannot be duplicated')
  return { custom_id: customId, title: data.title, inputs }
}

/**
 * What the person typed, as a MODAL_SUBMIT carries it (`data.components`: one action row per
 * input, with its custom_id and value), checked against what the modal declared, as Discord's
 * client checks it before the person can press Submit: a required input must be filled, and any
 * value must fit min_length and max_length. An input the modal lacks is refused (400).
 * https://discord.com/developers/docs/interactions/receiving-and-responding#interaction-object-modal-submit-data-structure
 */
export function submission(modal: ShownModal, raw: unknown) {
  const values = (raw ?? {}) as Record<string, unknown>
  for (const name of Object.keys(values))
    if (!modal.inputs.some((i) => i.custom_id === name))
      throw new HttpError(400, { error: `the modal ${modal.custom_id} has no input ${name}` })
  const components = modal.inputs.map((input) => {
    const given = values[input.custom_id] ?? input.value ?? ''
    if (typeof given !== 'string') throw new HttpError(400, { error: `${input.custom_id} takes text` })
    if (input.required && given === '')
      throw new HttpError(400, { error: `${input.label} (${input.custom_id}) is required` })
    if (given !== '' && (given.length < input.min_length || given.length > input.max_length))
      throw new HttpError(400, {
        error: `${input.label} (${input.custom_id}) takes ${input.min_length}–${input.max_length} characters`,
      })
    return {
      type: ComponentType.ActionRow,
      components: [{ type: ComponentType.TextInput, custom_id: input.custom_id, value: given }],
    }
  })
  return { custom_id: modal.custom_id, components }
}
