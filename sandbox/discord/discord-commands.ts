import { ApplicationCommandOptionType, ApplicationCommandType } from 'discord-api-types/v10'
import { HttpError } from '../http/http-kit.ts'

/** An application command as Discord stores it. */
export interface StoredCommand {
  id: string
  application_id: string
  version: string
  type: ApplicationCommandType
  name: string
  description: string
  options?: CommandOption[]
  guild_id?: string
}

/** An option as registered: what the interaction's values are checked against. */
export interface CommandOption {
  name: string
  type: ApplicationCommandOptionType
  description: string
  required?: boolean
  autocomplete?: boolean
  choices?: { name: string; value: string | number }[]
  min_value?: number
  max_value?: number
  min_length?: number
  max_length?: number
  channel_types?: number[]
}

/** Discord's pattern for command and option names (lowercase where the script has case). */
const NAME = /^[-_\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$/u
const MAX_COMMANDS = 100
const MAX_OPTIONS = 25

/**
 * An application's commands, globally ("global") and per guild, as Discord keeps them
 * (https://discord.com/developers/docs/interactions/application-commands): a bulk overwrite
 * replaces a scope's list, keeps the id of every command whose name and type it already had, and
 * gives a new version only to a command whose definition changed. A definition Discord would
 * refuse is answered 400 with code 50035 (Invalid Form Body), and nothing is replaced.
 */
export class CommandRegistry {
  readonly scopes = new Map<string, StoredCommand[]>()

  list(scope: string): StoredCommand[] {
    return this.scopes.get(scope) ?? []
  }

  overwrite(scope: string, applicationId: string, input: unknown[], nextId: () => string): StoredCommand[] {
    if (input.length > MAX_COMMANDS) throw invalid('_errors', `Must be ${MAX_COMMANDS} or fewer in length.`)
    const previous = this.list(scope)
    const commands = input.map((raw, index) => {
      const definition = validate(raw, index)
      const existing = previous.find((c) => c.name === definition.name && c.type === definition.type)
      const unchanged = existing !== undefined && sameDefinition(existing, definition)
      return {
        ...definition,
        id: existing?.id ?? nextId(),
        application_id: applicationId,
        version: unchanged ? existing.version : nextId(),
        ...(scope === 'global' ? {} : { guild_id: scope }),
      }
    })
    const names = commands.map((c) => `${c.type}:${c.name}`)
    if (new Set(names).size !== names.length)
      throw invalid('_errors', 'Application command names must be unique')
    this.scopes.set(scope, commands)
    return commands
  }

  /** The command a person can run here: the guild's own first, then the global ones. */
  /** A registered command by name and type (a slash command and a message command may share a name). */
  find(
    guildId: string | undefined,
    name: string,
    type: ApplicationCommandType = ApplicationCommandType.ChatInput,
  ): StoredCommand | undefined {
    const named = (c: StoredCommand) => c.name === name && c.type === type
    const inGuild = guildId === undefined ? undefined : this.list(guildId).find(named)
    return inGuild ?? this.list('global').find(named)
  }
}

function validate(raw: unknown, index: number): Omit<StoredCommand, 'id' | 'application_id' | 'version'> {
  const command = (raw ?? {}) as Record<string, unknown>
  const type = (command.type ?? ApplicationCommandType.ChatInput) as ApplicationCommandType
  const name = command.name
  const chatInput = type === ApplicationCommandType.ChatInput
  if (typeof name !== 'string' || (chatInput && (!NAME.test(name) || name !== name.toLowerCase())))
    throw invalid(`${index}.name`, 'Command name is invalid')
  const description = typeof command.description === 'string' ? command.description : ''
  if (chatInput && (description.length < 1 || description.length > 100))
    throw invalid(`${index}.description`, 'Must be between 1 and 100 in length.')
  // User and message commands (the right-click menu) have a name of up to 32 characters, spaces
  // and capitals allowed, an empty description and no options.
  if (!chatInput && (name.length < 1 || name.length > 32))
    throw invalid(`${index}.name`, 'Must be between 1 and 32 in length.')
  if (!chatInput && description !== '')
    throw invalid(`${index}.description`, 'Context menu commands cannot have description')
  if (!chatInput && Array.isArray(command.options) && command.options.length > 0)
    throw invalid(`${index}.options`, 'Context menu commands cannot have options')
  const options = Array.isArray(command.options) ? (command.options as Record<string, unknown>[]) : []
  if (options.length > MAX_OPTIONS)
    throw invalid(`${index}.options`, `Must be ${MAX_OPTIONS} or fewer in length.`)
  for (const [at, option] of options.entries()) {
    if (typeof option.name !== 'string' || !NAME.test(option.name))
      throw invalid(`${index}.options.${at}.name`, 'Command option name is invalid')
    if (!Object.values(ApplicationCommandOptionType).includes(option.type as ApplicationCommandOptionType))
      throw invalid(`${index}.options.${at}.type`, 'Value is not a valid enum value.')
    // Autocomplete is for free-typed strings and numbers, and not alongside fixed choices.
    // https://discord.com/developers/docs/interactions/application-commands#application-command-object-application-command-option-structure
    if (option.autocomplete === true) {
      const typed = [
        ApplicationCommandOptionType.String,
        ApplicationCommandOptionType.Integer,
        ApplicationCommandOptionType.Number,
      ].includes(option.type as ApplicationCommandOptionType)
      if (!typed || (Array.isArray(option.choices) && option.choices.length > 0))
        throw invalid(`${index}.options.${at}.autocomplete`, 'Autocomplete cannot be set with choices')
    }
  }
  return {
    type,
    name,
    description,
    ...(options.length > 0 ? { options: options as unknown as CommandOption[] } : {}),
  }
}

function sameDefinition(a: Pick<StoredCommand, 'description' | 'options'>, b: typeof a): boolean {
  return (
    a.description === b.description && JSON.stringify(a.options ?? []) === JSON.stringify(b.options ?? [])
  )
}

function invalid(path: string, message: string): HttpError {
  return new HttpError(400, {
    message: 'Invalid Form Body',
    code: 50035,
    errors: { [path]: { _errors: [{ code: 'BASE_TYPE_INVALID', message }] } },
  })
}
