import { HttpError } from '../http/http-kit.ts'
import type { SlackView } from './slack-views.ts'

type Json = Record<string, unknown>

/** The field of `state.values` each input element reports its value in. */
const VALUE_FIELD: Record<string, string> = {
  plain_text_input: 'value',
  email_text_input: 'value',
  url_text_input: 'value',
  number_text_input: 'value',
  static_select: 'selected_option',
  external_select: 'selected_option',
  radio_buttons: 'selected_option',
  multi_static_select: 'selected_options',
  multi_external_select: 'selected_options',
  checkboxes: 'selected_options',
  users_select: 'selected_user',
  multi_users_select: 'selected_users',
  conversations_select: 'selected_conversation',
  multi_conversations_select: 'selected_conversations',
  channels_select: 'selected_channel',
  multi_channels_select: 'selected_channels',
  datepicker: 'selected_date',
  timepicker: 'selected_time',
  datetimepicker: 'selected_date_time',
}

function optionsOf(element: Json): Json[] {
  const options = Array.isArray(element.options) ? (element.options as Json[]) : []
  const groups = Array.isArray(element.option_groups) ? (element.option_groups as { options?: Json[] }[]) : []
  return [...options, ...groups.flatMap((g) => g.options ?? [])]
}

/** A select's option, found by the value the person picked. */
function option(element: Json, value: unknown, where: string): Json {
  const found = optionsOf(element).find((o) => o.value === value)
  if (found === undefined)
    throw new HttpError(400, { error: `${where} has no option with value ${String(value)}` })
  return found
}

function reading(element: Json, given: unknown, where: string): Json {
  const type = String(element.type)
  const field = VALUE_FIELD[type] ?? 'value'
  if (given === undefined || given === null || given === '') return { type, [field]: null }
  if (field === 'selected_option') return { type, selected_option: option(element, given, where) }
  if (field === 'selected_options') {
    const values = Array.isArray(given) ? given : [given]
    return { type, selected_options: values.map((v) => option(element, v, where)) }
  }
  return { type, [field]: given }
}

/**
 * `view.state.values[block_id][action_id]` as a view_submission carries it
 * (https://api.slack.com/reference/interaction-payloads/views): one entry per input block, with
 * what the person entered. Slack's client refuses to submit while a required input is empty
 * ("Please complete this required field"), so that is a 400 here, as is a value for no input.
 */
export function submittedValues(view: SlackView, given: unknown): SlackView['state']['values'] {
  const entered = (typeof given === 'object' && given !== null ? given : {}) as Record<string, Json>
  const inputs = view.blocks.filter((b) => b.type === 'input')
  const values: SlackView['state']['values'] = {}
  const missing: string[] = []
  for (const [blockId, actions] of Object.entries(entered)) {
    const block = inputs.find((b) => b.block_id === blockId)
    const actionId = (block?.element as Json | undefined)?.action_id
    for (const id of Object.keys(actions ?? {}))
      if (block === undefined || id !== actionId)
        throw new HttpError(400, { error: `the view has no input ${blockId}.${id} to fill in` })
  }
  for (const block of inputs) {
    const element = (block.element ?? {}) as Json
    const blockId = String(block.block_id ?? '')
    const actionId = String(element.action_id ?? '')
    const given = entered[blockId]?.[actionId]
    const value = reading(element, given, `${blockId}.${actionId}`)
    if (block.optional !== true && (given === undefined || given === null || given === ''))
      missing.push(blockId)
    values[blockId] = { [actionId]: value }
  }
  if (missing.length > 0) throw new HttpError(400, { error: 'required_fields_missing', block_ids: missing })
  return values
}
