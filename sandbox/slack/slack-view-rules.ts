import { SlackApiError } from './slack-api-error.ts'
import { blockProblems } from './slack-block-rules.ts'

/** A view as an app gives it to views.open, views.push, views.update or a response_action. */
export interface ViewInput {
  type: 'modal'
  title: Record<string, unknown>
  blocks: Record<string, unknown>[]
  close?: Record<string, unknown>
  submit?: Record<string, unknown>
  private_metadata?: string
  callback_id?: string
  external_id?: string
  clear_on_close?: boolean
  notify_on_close?: boolean
}

const problem = (text: string, pointer: string) => `[ERROR] ${text} [json-pointer:${pointer}]`

function plainText(value: unknown, pointer: string, max: number): string[] {
  if (typeof value !== 'object' || value === null) return [problem('must provide an object', pointer)]
  const text = value as { type?: unknown; text?: unknown }
  if (text.type !== 'plain_text') return [problem('must be one of: plain_text', `${pointer}/type`)]
  if (typeof text.text !== 'string' || text.text.length === 0)
    return [problem('must be more than 0 characters', `${pointer}/text`)]
  if (text.text.length > max) return [problem(`must be less than ${max + 1} characters`, `${pointer}/text`)]
  return []
}

function stringLimit(value: unknown, pointer: string, max: number): string[] {
  if (value === undefined) return []
  if (typeof value !== 'string') return [problem('must provide a string', pointer)]
  return value.length > max ? [problem(`must be less than ${max + 1} characters`, pointer)] : []
}

/**
 * A modal view's rules (https://api.slack.com/reference/surfaces/views,
 * https://api.slack.com/surfaces/modals): type `modal`; a plain-text title, close and submit of at
 * most 24 characters; at most 100 blocks, under Block Kit's rules; a submit button whenever there
 * is an input block; callback_id and external_id of at most 255 characters, private_metadata of at
 * most 3000.
 */
export function viewProblems(view: Record<string, unknown>, pointer = '/view'): string[] {
  const problems: string[] = []
  if (view.type !== 'modal') problems.push(problem('must be one of: modal', `${pointer}/type`))
  problems.push(...plainText(view.title, `${pointer}/title`, 24))
  if (view.close !== undefined) problems.push(...plainText(view.close, `${pointer}/close`, 24))
  if (view.submit !== undefined) problems.push(...plainText(view.submit, `${pointer}/submit`, 24))
  problems.push(...blockProblems(view.blocks, 'modal', `${pointer}/blocks`))
  const hasInput =
    Array.isArray(view.blocks) &&
    view.blocks.some((b) => typeof b === 'object' && b !== null && (b as { type?: unknown }).type === 'input')
  if (hasInput && view.submit === undefined)
    problems.push(problem('must provide submit when an input block is present', `${pointer}/submit`))
  problems.push(...stringLimit(view.callback_id, `${pointer}/callback_id`, 255))
  problems.push(...stringLimit(view.external_id, `${pointer}/external_id`, 255))
  problems.push(...stringLimit(view.private_metadata, `${pointer}/private_metadata`, 3000))
  return problems
}

/**
 * The `view` argument (a JSON string in a form body, an object in a JSON one), checked: Slack
 * answers `invalid_arguments` with a message per problem in `response_metadata.messages`.
 */
export function parseView(value: unknown, pointer = '/view'): ViewInput {
  let view = value
  if (typeof value === 'string') {
    try {
      view = JSON.parse(value)
    } catch {
      throw new SlackApiError('invalid_arguments', [problem('must provide a valid JSON object', pointer)])
    }
  }
  if (typeof view !== 'object' || view === null || Array.isArray(view))
    throw new SlackApiError('invalid_arguments', [problem('must provide an object', pointer)])
  const problems = viewProblems(view as Record<string, unknown>, pointer)
  if (problems.length > 0) throw new SlackApiError('invalid_arguments', problems)
  return view as ViewInput
}
