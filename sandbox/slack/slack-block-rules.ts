import { SlackApiError } from './slack-api-error.ts'

/**
 * Block Kit's rules, as Slack enforces them when a message or a view carries blocks
 * (https://api.slack.com/reference/block-kit/blocks, /reference/block-kit/block-elements and
 * /reference/block-kit/composition-objects). Each problem is worded as Slack words it in
 * `response_metadata.messages`: `[ERROR] … [json-pointer:/blocks/0/text/text]`.
 */

/** Slack's limits on how many blocks a surface holds: 50 in a message, 100 in a modal or Home tab. */
export const MAX_BLOCKS = { message: 50, modal: 100 } as const

/** The block types Block Kit defines; anything else is refused. */
const BLOCK_TYPES = new Set([
  'actions',
  'context',
  'context_actions',
  'divider',
  'file',
  'header',
  'image',
  'input',
  'markdown',
  'rich_text',
  'section',
  'table',
  'video',
])

type Json = Record<string, unknown>

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null

const problem = (text: string, pointer: string) => `[ERROR] ${text} [json-pointer:${pointer}]`

/** A text object: plain_text or mrkdwn, with 1 to `max` characters. */
function textProblems(
  value: unknown,
  pointer: string,
  max: number,
  kinds: string[] = ['plain_text', 'mrkdwn'],
): string[] {
  if (!isObject(value)) return [problem('must provide an object', pointer)]
  if (typeof value.type !== 'string' || !kinds.includes(value.type))
    return [problem(`must be one of: ${kinds.join(', ')}`, `${pointer}/type`)]
  if (typeof value.text !== 'string' || value.text.length === 0)
    return [problem('must be more than 0 characters', `${pointer}/text`)]
  if (value.text.length > max) return [problem(`must be less than ${max + 1} characters`, `${pointer}/text`)]
  return []
}

/** One interactive element (a button, a select, an input…), and its action_id. */
function elementProblems(element: unknown, pointer: string): string[] {
  if (!isObject(element)) return [problem('must provide an object', pointer)]
  if (typeof element.type !== 'string') return [problem('must provide a string', `${pointer}/type`)]
  const problems: string[] = []
  if (element.action_id !== undefined) {
    if (typeof element.action_id !== 'string' || element.action_id.length === 0)
      problems.push(problem('must be more than 0 characters', `${pointer}/action_id`))
    else if (element.action_id.length > 255)
      problems.push(problem('must be less than 256 characters', `${pointer}/action_id`))
  }
  if (element.type === 'button') {
    // A button's label: plain text only, at most 75 characters.
    problems.push(...textProblems(element.text, `${pointer}/text`, 75, ['plain_text']))
    if (typeof element.value === 'string' && element.value.length > 2000)
      problems.push(problem('must be less than 2001 characters', `${pointer}/value`))
  }
  return problems
}

/** action_ids must be unique within their block. */
function duplicateActionIds(elements: unknown[], pointer: string): string[] {
  const seen = new Set<string>()
  const problems: string[] = []
  elements.forEach((element, index) => {
    if (!isObject(element) || typeof element.action_id !== 'string') return
    if (seen.has(element.action_id))
      problems.push(
        problem(
          `action_id "${element.action_id}" is already used in this block`,
          `${pointer}/${index}/action_id`,
        ),
      )
    seen.add(element.action_id)
  })
  return problems
}

function blockProblemsAt(block: unknown, pointer: string): string[] {
  if (!isObject(block)) return [problem('must provide an object', pointer)]
  if (typeof block.type !== 'string' || !BLOCK_TYPES.has(block.type))
    return [problem(`unsupported type: ${String(block.type)}`, `${pointer}/type`)]
  const problems: string[] = []
  if (block.block_id !== undefined) {
    if (typeof block.block_id !== 'string' || block.block_id.length === 0)
      problems.push(problem('must be more than 0 characters', `${pointer}/block_id`))
    else if (block.block_id.length > 255)
      problems.push(problem('must be less than 256 characters', `${pointer}/block_id`))
  }
  switch (block.type) {
    case 'section': {
      // A section needs text, unless it has fields (https://api.slack.com/reference/block-kit/blocks#section).
      if (block.text === undefined && block.fields === undefined)
        problems.push(problem('must provide either text or fields', pointer))
      if (block.text !== undefined) problems.push(...textProblems(block.text, `${pointer}/text`, 3000))
      if (block.fields !== undefined) {
        if (!Array.isArray(block.fields) || block.fields.length === 0 || block.fields.length > 10)
          problems.push(problem('must provide 1 to 10 items', `${pointer}/fields`))
        else
          block.fields.forEach((field, i) => {
            problems.push(...textProblems(field, `${pointer}/fields/${i}`, 2000))
          })
      }
      if (block.accessory !== undefined)
        problems.push(...elementProblems(block.accessory, `${pointer}/accessory`))
      break
    }
    case 'actions': {
      if (!Array.isArray(block.elements) || block.elements.length === 0 || block.elements.length > 25) {
        problems.push(problem('must provide 1 to 25 items', `${pointer}/elements`))
        break
      }
      block.elements.forEach((element, i) => {
        problems.push(...elementProblems(element, `${pointer}/elements/${i}`))
      })
      problems.push(...duplicateActionIds(block.elements, `${pointer}/elements`))
      break
    }
    case 'context':
      if (!Array.isArray(block.elements) || block.elements.length === 0 || block.elements.length > 10)
        problems.push(problem('must provide 1 to 10 items', `${pointer}/elements`))
      break
    case 'header':
      problems.push(...textProblems(block.text, `${pointer}/text`, 150, ['plain_text']))
      break
    case 'input':
      problems.push(...textProblems(block.label, `${pointer}/label`, 2000, ['plain_text']))
      if (block.element === undefined) problems.push(problem('must provide an object', `${pointer}/element`))
      else problems.push(...elementProblems(block.element, `${pointer}/element`))
      break
    case 'image':
      if (typeof block.alt_text !== 'string' || block.alt_text.length === 0)
        problems.push(problem('must provide a string', `${pointer}/alt_text`))
      break
  }
  return problems
}

/**
 * Every problem with a list of blocks on a surface: too many blocks, unknown types, limits
 * exceeded, a block_id used twice.
 */
export function blockProblems(blocks: unknown, surface: keyof typeof MAX_BLOCKS, pointer: string): string[] {
  if (!Array.isArray(blocks)) return [problem('must provide an array', pointer)]
  const max = MAX_BLOCKS[surface]
  if (blocks.length > max) return [problem(`no more than ${max} items allowed`, pointer)]
  const problems = blocks.flatMap((block, i) => blockProblemsAt(block, `${pointer}/${i}`))
  const blockIds = new Set<string>()
  blocks.forEach((block, i) => {
    if (!isObject(block) || typeof block.block_id !== 'string') return
    if (blockIds.has(block.block_id))
      problems.push(problem(`block_id "${block.block_id}" is already used`, `${pointer}/${i}/block_id`))
    blockIds.add(block.block_id)
  })
  return problems
}

/**
 * A message's `blocks` argument (a JSON string in a form body, an array in a JSON one), checked:
 * `invalid_blocks_format` when it is not an array of blocks at all, `invalid_blocks` with Slack's
 * messages when a block breaks a rule. Undefined when the message has no blocks.
 */
export function messageBlocks(value: unknown): unknown[] | undefined {
  if (value === undefined || value === null || value === '') return undefined
  let blocks = value
  if (typeof value === 'string') {
    try {
      blocks = JSON.parse(value)
    } catch {
      throw new SlackApiError('invalid_blocks_format')
    }
  }
  if (!Array.isArray(blocks)) throw new SlackApiError('invalid_blocks_format')
  const problems = blockProblems(blocks, 'message', '/blocks')
  if (problems.length > 0) throw new SlackApiError('invalid_blocks', problems)
  return blocks
}
