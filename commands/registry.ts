import { z } from 'zod'
import {
  COMMAND_ACTION_PREFIX,
  type CommandContext,
  type CommandDefinition,
  type CommandResult,
  type CommandSet,
  defineCommand,
} from '../src/command/command.ts'
import { requireMember } from '../src/command/require-member.ts'
import { slackUsage } from '../src/command/subcommand-text.ts'
import { storableText } from '../src/db/storable-text.ts'
import {
  AccountLinkError,
  AppointmentError,
  isRefusalToTell,
  NotAMemberError,
  PermissionDeniedError,
  ValidationError,
} from '../src/errors.ts'
import { joinHint } from '../src/members/memberships.ts'
import { audit } from './audit.ts'
import { ban, unban } from './ban.ts'
import { bridge } from './bridge.ts'
import { deleteCommand } from './delete.ts'
import { digest } from './digest.ts'
import { discuss } from './discuss.ts'
import { forgetMe } from './forget-me.ts'
import { join } from './join.ts'
import { leave } from './leave.ts'
import { link } from './link.ts'
import { lock, unlock } from './lock.ts'
import { moderators } from './moderators.ts'
import { reply } from './reply.ts'
import { subscribe } from './subscribe.ts'
import { unlink } from './unlink.ts'
import { unsubscribe } from './unsubscribe.ts'

/**
 * `/help` (Discord), `/threadbridge help` (Slack): what this person can run here. It lists the
 * other commands, so it lives beside their list.
 */
const help = defineCommand({
  name: 'help',
  description: 'What you can do with Threadbridge here',
  args: z.object({}),
  async run(ctx) {
    return { text: await helpText(ctx) }
  },
})

/** Every command, in the order help lists them. */
export const COMMANDS: readonly CommandDefinition[] = [
  join,
  discuss,
  reply,
  subscribe,
  unsubscribe,
  digest,
  link,
  unlink,
  leave,
  deleteCommand,
  forgetMe,
  lock,
  unlock,
  ban,
  unban,
  audit,
  moderators,
  bridge,
  help,
]

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
  if (command === undefined)
    return { text: `There is no ${name.slice(0, 32)} command. ${await helpText(ctx)}` }
  return answering(ctx, async () => {
    const refused = await refusal(command, ctx)
    if (refused !== undefined) return refused
    const parsed = command.args.safeParse(withoutNul(rawArgs ?? {}))
    if (!parsed.success) return { text: argumentProblem(command, parsed.error, rawArgs, ctx) }
    const result = await command.run(ctx, parsed.data)
    // Their DMs refused a digest: this private answer is the one place to say so, once.
    return (await ctx.core.firstClosedDmsNotice(ctx.actor))
      ? { ...result, text: `${result.text}\n\n${closedDmsNotice(ctx)}` }
      : result
  })
}

/**
 * A command's button was pressed: the command named in its id decides what happens, for the
 * person who pressed it. An id we did not make, or a command without buttons, changes nothing.
 */
export async function pressCommandAction(actionId: string, ctx: CommandContext): Promise<CommandResult> {
  const rest = actionId.startsWith(COMMAND_ACTION_PREFIX) ? actionId.slice(COMMAND_ACTION_PREFIX.length) : ''
  const colon = rest.indexOf(':')
  const command = colon === -1 ? undefined : COMMANDS.find((c) => c.name === rest.slice(0, colon))
  if (command?.press === undefined) return { text: 'That button is no longer valid.' }
  const press = command.press
  return answering(ctx, () => press(ctx, rest.slice(colon + 1)))
}

/** How to get digests again after a DM was refused, as each platform's settings call it. */
function closedDmsNotice(ctx: CommandContext): string {
  return ctx.platform === 'discord'
    ? `Your last digest could not reach you: Discord refused a direct message from Threadbridge. Allow direct messages from this server's members (the server's Privacy Settings), then run ${ctx.commandLine('digest')} to try again.`
    : `Your last digest could not reach you on Slack. Run ${ctx.commandLine('digest')} to try again.`
}

/**
 * Why this person may not run the command here, if they may not: checked before anything else,
 * a form included. Undefined when they may.
 */
export async function refuseCommand(name: string, ctx: CommandContext): Promise<CommandResult | undefined> {
  const command = COMMANDS.find((c) => c.name === name)
  return command === undefined ? undefined : answering(ctx, () => refusal(command, ctx))
}

async function refusal(command: CommandDefinition, ctx: CommandContext): Promise<CommandResult | undefined> {
  if (command.who === 'members') await requireMember(ctx)
  // Banned is banned, whatever rights the platform gives: no moderating, no lifting one's own ban.
  // A ban an erasure left as a mark counts too.
  if (command.who === 'moderators' && (await ctx.core.memberships.isBanned(ctx.community.id, ctx.actor))) {
    await ctx.core.recordRefusal(ctx.community.id, ctx.actor, command.name)
    return {
      text: `You are banned from ${ctx.community.name}, so you cannot run ${ctx.commandLine(command.name)}.`,
    }
  }
  if (command.who === 'moderators' && !(await moderates(ctx))) {
    // Moderators see who tried what they may not: the attempt is audited, the person told privately.
    await ctx.core.recordRefusal(ctx.community.id, ctx.actor, command.name)
    return { text: `Only moderators of ${ctx.community.name} can run ${ctx.commandLine(command.name)}.` }
  }
  return undefined
}

/** Whether this person moderates here now: the platform says so, or our records do. */
async function moderates(ctx: CommandContext): Promise<boolean> {
  if (ctx.platformModerator === true) return true
  // The role of this account, never of one linked to it.
  return ctx.core.moderators.moderates(ctx.community.id, ctx.actor)
}

/** Runs `work`, turning a refusal or bad input into what to tell the person; anything else is thrown. */
async function answering<T extends CommandResult | undefined>(ctx: CommandContext, work: () => Promise<T>) {
  try {
    return await work()
  } catch (error) {
    // A refusal or a bad input is the person's to hear; anything else is ours to log.
    if (error instanceof NotAMemberError)
      return {
        text: `You need to be a member of ${error.communityName} first. ${joinHint(error.communityName, ctx.commandLine('join'))}`,
      }
    if (
      isRefusalToTell(error) ||
      error instanceof ValidationError ||
      error instanceof PermissionDeniedError ||
      error instanceof AccountLinkError ||
      error instanceof AppointmentError
    )
      return { text: sentence(error.message) }
    throw error
  }
}

/** The arguments with NUL taken out of their text (see storableText). */
function withoutNul(raw: unknown): unknown {
  if (typeof raw !== 'object' || raw === null) return raw
  return Object.fromEntries(
    Object.entries(raw).map(([name, value]) => [
      name,
      typeof value === 'string' ? storableText(value) : value,
    ]),
  )
}

/** One line on the first thing wrong with the arguments, and how the command is typed. */
function argumentProblem(
  command: CommandDefinition,
  error: z.ZodError,
  rawArgs: unknown,
  ctx: CommandContext,
): string {
  const raw = (rawArgs ?? {}) as Record<string, unknown>
  // On Slack, words cannot be skipped: the first one not typed, up to the last required, is missing.
  const positional = ctx.platform === 'slack' ? (command.slack?.positional ?? []) : []
  const lastRequired = positional.findLastIndex(
    (n) => command.args.shape[n]?.safeParse(undefined).success !== true,
  )
  const skipped = command.slack?.parse
    ? undefined
    : positional.slice(0, lastRequired + 1).find((n) => raw[n] === undefined)
  const usage = ctx.platform === 'slack' ? ctx.commandLine(slackUsage(command)) : undefined
  if (skipped !== undefined) return `${command.name}: ${skipped} is missing. Usage: ${usage}`
  const rank = (i: z.core.$ZodIssue) => {
    const at = positional.indexOf(String(i.path[0]))
    return at === -1 ? positional.length : at
  }
  const [issue] = [...error.issues].sort((a, b) => rank(a) - rank(b))
  const argument = String(issue?.path[0] ?? 'arguments')
  const what =
    issue === undefined
      ? 'is not valid'
      : raw[argument] === undefined
        ? 'is missing'
        : issue.code === 'invalid_type'
          ? issue.expected === 'int' || issue.expected === 'number'
            ? 'must be a whole number'
            : `must be ${issue.expected === 'string' ? 'text' : `a ${issue.expected}`}`
          : issue.code === 'too_big'
            ? issue.origin === 'string'
              ? `is too long: at most ${String(issue.maximum)} characters`
              : `must be at most ${String(issue.maximum)}`
            : issue.code === 'too_small'
              ? issue.origin === 'string'
                ? 'is empty'
                : `must be at least ${String(issue.minimum)}`
              : issue.code === 'invalid_value'
                ? `must be one of ${issue.values.map(String).join(', ')}`
                : issue.message.replace(/^Invalid input: /, '').toLowerCase()
  return `${command.name}: ${argument} ${what}.${usage ? ` Usage: ${usage}` : ''}`
}

/** A core message as a sentence: capitalised, ending with a full stop. */
function sentence(message: string): string {
  const text = message.charAt(0).toUpperCase() + message.slice(1)
  return /[.!?…:]$/.test(text) ? text : `${text}.`
}

/** What this person can run here, as they would type it, one command a line: moderators' commands for moderators only. */
export async function helpText(ctx: CommandContext): Promise<string> {
  const moderator = await moderates(ctx)
  const line = (c: CommandDefinition) => ctx.commandLine(ctx.platform === 'slack' ? slackUsage(c) : c.name)
  const shown = COMMANDS.filter((c) => c.who !== 'moderators' || moderator)
  return ['What you can do here:', ...shown.map((c) => `${line(c)}: ${c.description}`)].join('\n')
}

/** The commands as bin/ hands them to the adapters. */
export const commandSet: CommandSet = {
  definitions: COMMANDS,
  run: runCommand,
  refuse: refuseCommand,
  press: pressCommandAction,
}
