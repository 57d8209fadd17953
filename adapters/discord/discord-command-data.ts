import {
  type APIModalInteractionResponseCallbackData,
  type ApplicationCommandOptionData,
  ApplicationCommandOptionType,
  ApplicationCommandType,
  type ChatInputApplicationCommandData,
  ComponentType,
  type MessageApplicationCommandData,
  TextInputStyle,
} from 'discord.js'
import { z } from 'zod'
import type { CommandDefinition } from '../../src/command/command.ts'

/** Every command form's modal has a custom_id starting with this, then the command's name. */
export const MODAL_PREFIX = 'threadbridge_form:'

/** Discord's longest string option; longer text is refused by our schema, not cut. */
const MAX_OPTION_LENGTH = 6000
/** Discord's longest text input in a modal. */
const MAX_INPUT_LENGTH = 4000

/**
 * A command's definition as Discord takes it: typed options from its zod arguments, with their
 * choices, bounds and autocomplete, required ones first as Discord insists
 * (https://discord.com/developers/docs/interactions/application-commands#application-command-object-application-command-option-structure).
 * A command with a form has no required option: run bare, it opens the form instead.
 */
export function discordCommand(command: CommandDefinition): ChatInputApplicationCommandData {
  const options = Object.entries(command.args.shape).map(([name, schema]) => {
    const option = discordOption(name, schema as z.ZodType, command.suggest?.[name] !== undefined)
    return command.form === undefined ? option : { ...option, required: false }
  })
  return {
    name: command.name,
    description: command.description,
    options: [...options.filter((o) => o.required), ...options.filter((o) => !o.required)],
  }
}

/**
 * The message commands (a message's Apps menu) of the commands that act on a message: a name of
 * up to 32 characters, no description, no options; the message is the interaction's target
 * (https://discord.com/developers/docs/interactions/application-commands#message-commands).
 */
export function discordMessageCommands(
  commands: readonly CommandDefinition[],
): MessageApplicationCommandData[] {
  return commands.flatMap((command) =>
    command.onMessage === undefined
      ? []
      : [{ name: truncate(command.onMessage.label, 32), type: ApplicationCommandType.Message }],
  )
}

function discordOption(
  name: string,
  schema: z.ZodType,
  autocomplete: boolean,
): ApplicationCommandOptionData & { required: boolean } {
  const inner = unwrap(schema)
  const required = !schema.safeParse(undefined).success
  const description = truncate(schema.description ?? inner.description ?? name, 100)
  // A person: Discord's user picker (the adapter passes the chosen user on as `<@id|name>`).
  if ((inner.meta() as { kind?: string } | undefined)?.kind === 'person')
    return { name, description, required, type: ApplicationCommandOptionType.User }
  if (inner instanceof z.ZodNumber) {
    const integer = inner.format === 'safeint' || inner.isInt
    return {
      name,
      description,
      required,
      type: integer ? ApplicationCommandOptionType.Integer : ApplicationCommandOptionType.Number,
      ...(Number.isFinite(inner.minValue) ? { minValue: inner.minValue as number } : {}),
      ...(Number.isFinite(inner.maxValue) ? { maxValue: inner.maxValue as number } : {}),
    }
  }
  if (inner instanceof z.ZodBoolean)
    return { name, description, required, type: ApplicationCommandOptionType.Boolean }
  if (inner instanceof z.ZodEnum)
    return {
      name,
      description,
      required,
      type: ApplicationCommandOptionType.String,
      choices: inner.options.map((value) => ({ name: String(value), value: String(value) })),
    }
  const text = inner instanceof z.ZodString ? inner : undefined
  return {
    name,
    description,
    required,
    type: ApplicationCommandOptionType.String,
    // Suggestions help, but a person may still type a number or link of their own.
    ...(autocomplete ? { autocomplete: true } : {}),
    ...(text?.minLength ? { minLength: Math.min(text.minLength, MAX_OPTION_LENGTH) } : {}),
    maxLength: Math.min(text?.maxLength ?? MAX_OPTION_LENGTH, MAX_OPTION_LENGTH),
  }
}

/**
 * A command's form as a Discord modal (interaction callback 9): one text input per field, in an
 * action row each, required where the argument is
 * (https://discord.com/developers/docs/interactions/receiving-and-responding#interaction-response-object-modal).
 */
export function formModal(command: CommandDefinition): APIModalInteractionResponseCallbackData {
  const form = command.form
  if (form === undefined) throw new Error(`${command.name} has no form`)
  return {
    custom_id: `${MODAL_PREFIX}${command.name}`,
    title: truncate(form.title, 45),
    components: form.fields.map((field) => {
      const schema = command.args.shape[field.name] as z.ZodType | undefined
      const inner = schema === undefined ? undefined : unwrap(schema)
      const max = inner instanceof z.ZodString ? inner.maxLength : null
      return {
        type: ComponentType.ActionRow,
        components: [
          {
            type: ComponentType.TextInput,
            custom_id: field.name,
            label: truncate(field.label, 45),
            style: field.multiline ? TextInputStyle.Paragraph : TextInputStyle.Short,
            required: !(schema?.safeParse(undefined).success ?? true),
            max_length: Math.min(max ?? MAX_INPUT_LENGTH, MAX_INPUT_LENGTH),
            ...(field.placeholder ? { placeholder: truncate(field.placeholder, 100) } : {}),
          },
        ],
      }
    }),
  }
}

function unwrap(schema: z.ZodType): z.ZodType {
  return schema instanceof z.ZodOptional ? (schema.unwrap() as z.ZodType) : schema
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`
}
