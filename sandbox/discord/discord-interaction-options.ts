import { type APIRole, type APIUser, ApplicationCommandOptionType as T } from 'discord-api-types/v10'
import { HttpError } from '../http/http-kit.ts'
import type { CommandOption, StoredCommand } from './discord-commands.ts'
import type { DiscordState, StoredChannel } from './discord-state.ts'

/** One option as the interaction carries it. */
export interface InteractionOption {
  name: string
  type: T
  value: string | number | boolean
  focused?: true
}

/** The objects behind USER, CHANNEL, ROLE and MENTIONABLE options, keyed by id. */
export interface ResolvedData {
  users?: Record<string, APIUser>
  members?: Record<string, Record<string, unknown>>
  channels?: Record<string, Record<string, unknown>>
  roles?: Record<string, APIRole>
}

/** Where, and by whom, the command is run. */
export interface Where {
  state: DiscordState
  channel: StoredChannel
  userId: string
}

/**
 * A person's option values as the interaction carries them (`{name: value}` or `[{name, value}]`),
 * checked and typed against the registered command, as Discord's client does before anything is
 * sent: an option the command lacks, a required one missing, a value of the wrong type or not
 * among the choices is refused (400). Integers arrive as numbers, booleans as booleans, and the
 * users, members, channels and roles that options name come in `resolved`.
 * https://discord.com/developers/docs/interactions/application-commands#application-command-object-application-command-option-type
 * https://discord.com/developers/docs/interactions/receiving-and-responding#interaction-object-resolved-data-structure
 *
 * With `focused` (an autocomplete), that option holds what the person has typed so far: a string,
 * whatever the option's type, since a half-typed number is not yet a number.
 */
export function typedOptions(
  raw: unknown,
  command: StoredCommand,
  where: Where,
  focused?: string,
): { options: InteractionOption[]; resolved: ResolvedData } {
  const given: { name: string; value: unknown }[] = Array.isArray(raw)
    ? raw
    : Object.entries((raw ?? {}) as Record<string, unknown>).map(([name, value]) => ({ name, value }))
  const resolved: ResolvedData = {}
  const options = given.map(({ name, value }): InteractionOption => {
    const defined = command.options?.find((o) => o.name === name)
    if (defined === undefined) throw refuse(`/${command.name} has no option ${name}`)
    if (name === focused) {
      if (!defined.autocomplete) throw refuse(`option ${name} of /${command.name} has no autocomplete`)
      return { name, type: defined.type, value: String(value ?? ''), focused: true }
    }
    return { name, type: defined.type, value: checkValue(defined, value, where, resolved) }
  })
  if (focused !== undefined && !options.some((o) => o.focused)) {
    const defined = command.options?.find((o) => o.name === focused)
    if (!defined?.autocomplete) throw refuse(`option ${focused} of /${command.name} has no autocomplete`)
    options.push({ name: focused, type: defined.type, value: '', focused: true })
  }
  if (focused === undefined)
    for (const option of command.options ?? [])
      if (option.required && !given.some((g) => g.name === option.name))
        throw refuse(`/${command.name} needs its option ${option.name}`)
  return { options, resolved }
}

function checkValue(
  option: CommandOption,
  value: unknown,
  { state, channel, userId }: Where,
  resolved: ResolvedData,
): string | number | boolean {
  const wrong = (what: string) => refuse(`option ${option.name} takes ${what}, not ${JSON.stringify(value)}`)
  const guild = channel.guild_id ? state.guilds.get(channel.guild_id) : undefined
  let typed: string | number | boolean
  switch (option.type) {
    case T.String:
      if (typeof value !== 'string') throw wrong('a string')
      if (value.length < (option.min_length ?? 0) || value.length > (option.max_length ?? 6000))
        throw wrong(`${option.min_length ?? 0}–${option.max_length ?? 6000} characters`)
      typed = value
      break
    case T.Integer:
    case T.Number:
      if (typeof value !== 'number' || !Number.isFinite(value)) throw wrong('a number')
      if (option.type === T.Integer && !Number.isSafeInteger(value)) throw wrong('an integer')
      if (value < (option.min_value ?? -(2 ** 53)) || value > (option.max_value ?? 2 ** 53))
        throw wrong(`a number between ${option.min_value} and ${option.max_value}`)
      typed = value
      break
    case T.Boolean:
      if (typeof value !== 'boolean') throw wrong('true or false')
      typed = value
      break
    case T.User:
    case T.Mentionable: {
      const user = typeof value === 'string' ? state.users.get(value) : undefined
      const role = typeof value === 'string' ? guild?.roles.find((r) => r.id === value) : undefined
      if (user === undefined && (option.type === T.User || role === undefined))
        throw wrong(option.type === T.User ? 'a user id' : 'a user or role id')
      if (user !== undefined) resolveUser(user, state, channel, resolved)
      if (role !== undefined) resolved.roles = { ...resolved.roles, [role.id]: role }
      typed = value as string
      break
    }
    case T.Channel: {
      const target = typeof value === 'string' ? state.channels.get(value) : undefined
      if (target === undefined || target.guild_id !== channel.guild_id)
        throw wrong('the id of a channel in this server')
      if (option.channel_types && !option.channel_types.includes(target.type))
        throw wrong(`a channel of type ${option.channel_types.join(' or ')}`)
      const { id, type, name, parent_id } = target
      const permissions = state.permissionsIn(target, userId)
      resolved.channels = {
        ...resolved.channels,
        [id]: {
          id,
          type,
          name: name ?? '',
          permissions: permissions.toString(),
          ...(parent_id ? { parent_id } : {}),
          ...(target.archived === undefined
            ? {}
            : { thread_metadata: { archived: target.archived, locked: target.locked ?? false } }),
        },
      }
      typed = id
      break
    }
    case T.Role: {
      const role = typeof value === 'string' ? guild?.roles.find((r) => r.id === value) : undefined
      if (role === undefined) throw wrong('the id of a role in this server')
      resolved.roles = { ...resolved.roles, [role.id]: role }
      typed = role.id
      break
    }
    default:
      // Subcommands and attachments would need more than a value; the sandbox does not offer them.
      throw refuse(`option ${option.name} is of a type the sandbox cannot send (${option.type})`)
  }
  if (option.choices && !option.choices.some((c) => c.value === typed))
    throw wrong(`one of ${option.choices.map((c) => JSON.stringify(c.value)).join(', ')}`)
  return typed
}

/** A user option brings the user, and in a server the member (without its user, with permissions). */
function resolveUser(user: APIUser, state: DiscordState, channel: StoredChannel, resolved: ResolvedData) {
  resolved.users = { ...resolved.users, [user.id]: user }
  const member = channel.guild_id ? state.memberPayload(channel.guild_id, user.id) : undefined
  if (member === undefined) return
  const { user: _user, deaf: _deaf, mute: _mute, ...partial } = member
  resolved.members = {
    ...resolved.members,
    [user.id]: { ...partial, permissions: state.permissionsIn(channel, user.id).toString() },
  }
}

function refuse(error: string): HttpError {
  return new HttpError(400, { error })
}
