import type { types } from '@slack/bolt'
import type { z } from 'zod'
import type { CommandDefinition } from '../../src/command/command.ts'

/** Every command form's view has a callback_id starting with this, then the command's name. */
export const FORM_CALLBACK_PREFIX = 'threadbridge_form:'

/** Slack's longest plain_text_input (https://api.slack.com/reference/block-kit/block-elements#input). */
const MAX_INPUT_LENGTH = 3000

/** Where the form was opened, so the answer to its submission is shown there. */
export interface FormOrigin {
  channelId: string
}

/**
 * A command's form as a Slack modal (https://api.slack.com/surfaces/modals): one input block per
 * field, optional where the argument is, bounded by the argument's own length where Slack can.
 */
export function formView(definition: CommandDefinition, origin: FormOrigin): types.View {
  const form = definition.form
  if (form === undefined) throw new Error(`${definition.name} has no form`)
  return {
    type: 'modal',
    callback_id: `${FORM_CALLBACK_PREFIX}${definition.name}`,
    private_metadata: JSON.stringify(origin),
    title: { type: 'plain_text', text: form.title.slice(0, 24) },
    submit: { type: 'plain_text', text: form.submit.slice(0, 24) },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: form.fields.map((field) => {
      const schema = definition.args.shape[field.name] as z.ZodType | undefined
      const optional = schema?.safeParse(undefined).success ?? true
      const maxLength = stringMax(schema)
      return {
        type: 'input',
        block_id: field.name,
        optional,
        label: { type: 'plain_text', text: field.label },
        element: {
          type: 'plain_text_input',
          action_id: field.name,
          multiline: field.multiline ?? false,
          max_length: Math.min(maxLength ?? MAX_INPUT_LENGTH, MAX_INPUT_LENGTH),
          ...(field.placeholder
            ? { placeholder: { type: 'plain_text', text: field.placeholder.slice(0, 150) } }
            : {}),
        },
      }
    }),
  }
}

/** The submitted values as raw arguments: empty inputs absent, for the schema to judge. */
export function formValues(
  definition: CommandDefinition,
  values: Record<string, Record<string, { value?: string | null }>>,
): Record<string, string> {
  const args: Record<string, string> = {}
  for (const field of definition.form?.fields ?? []) {
    const value = values[field.name]?.[field.name]?.value
    if (typeof value === 'string' && value.trim() !== '') args[field.name] = value
  }
  return args
}

/** Reads where a form was opened; a view we did not make (or tampered metadata) has no origin. */
export function formOrigin(privateMetadata: string | undefined): FormOrigin | undefined {
  try {
    const parsed = JSON.parse(privateMetadata ?? '') as { channelId?: unknown }
    return typeof parsed.channelId === 'string' ? { channelId: parsed.channelId } : undefined
  } catch {
    return undefined
  }
}

function stringMax(schema: z.ZodType | undefined): number | undefined {
  const inner = (schema as { unwrap?: () => z.ZodType } | undefined)?.unwrap?.() ?? schema
  const max = (inner as { maxLength?: number | null } | undefined)?.maxLength
  return typeof max === 'number' ? max : undefined
}
