import { z } from 'zod'
import {
  type CommandContext,
  type CommandDefinition,
  type CommandResult,
  type CommandSet,
  defineCommand,
} from '../src/command/command.ts'
import { AccountLinkError, isRefusalToTell, PermissionDeniedError, ValidationError } from '../src/errors.ts'
import { join } from './join.ts'
import { leave } from './leave.ts'
import { link } from './link.ts'
import { unlink } from './unlink.ts'

/**
 * `/help` (Discord), `/threadbridge help` (Slack): what this person can run here. It lists the
 * other commands, so it lives beside their list.
 */
const help = defineCommand({
  name: 'help',
  description: 'What you can do with Threadbridge here',
  args: z.object({}),
  async run(ctx) {
    return { text: helpText(ctx) }
  },
})

/** Every command, in the order help lists them. */
export const COMMANDS: readonly CommandDefinition[] = [join, leave, link, unlink, help]

/**
 * Runs a command by name with its raw arguments (an object of option values), and always returns
 * something to tell the person: the help for an unknown command, a one-line reason for a bad
 * argument or a refusal (not a member, banned…). A failure that is not the person's to fix is
 * thrown, for the adapter to log and answer with an apology.
 */
export async function runCommand(
  name: string,
  rawArgs: unknown,
  ctx: CommandContext,
): Promise<CommandResult> {
  const command = COMMANDS.find((c) => c.name === name)
  if (command === undefined) return { text: `There is no ${name} command. ${helpText(ctx)}` }
  const parsed = command.args.safeParse(rawArgs ?? {})
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    return { text: `${name}: ${issue?.path.join('.') || 'arguments'} ${issue?.message ?? 'are not valid'}.` }
  }
  try {
    return await command.run(ctx, parsed.data)
  } catch (error) {
    // A refusal or a bad input is the person's to hear; anything else is ours to log.
    if (
      isRefusalToTell(error) ||
      error instanceof ValidationError ||
      error instanceof PermissionDeniedError ||
      error instanceof AccountLinkError
    )
      return { text: error.message }
    throw error
  }
}

/** What a person can run here, as they would type it. */
export function helpText(ctx: Pick<CommandContext, 'commandLine'>): string {
  return `Commands: ${COMMANDS.map((c) => `${ctx.commandLine(c.name)}: ${c.description}`).join('; ')}.`
}

/** The commands as bin/ hands them to the adapters. */
export const commandSet: CommandSet = { definitions: COMMANDS, run: runCommand }
