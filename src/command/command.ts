import type { z } from 'zod'
import type { Core } from '../core.ts'
import type { Platform, PlatformActor } from '../platform/platform.ts'

/** Where and by whom a command runs: the community of the server or workspace it was run in. */
export interface CommandContext {
  core: Core
  community: { id: string; name: string }
  actor: PlatformActor
  platform: Platform
  /** How a person types a command here: `/join` on Discord, `/threadbridge join` on Slack. */
  commandLine(name: string): string
  /**
   * The platform thread the command was run in, if any: a Discord thread's channel id. Commands
   * about "this discussion" default to it. Slack runs no command in a thread, so never there.
   */
  threadId?: string
  /**
   * Run from a message's own menu (Discord's Apps menu, a Slack message shortcut: see `onMessage`),
   * not typed: the person chose a message and gave no link, and an answer says so.
   */
  fromMessage?: boolean
  /**
   * The platform says, now, that this person moderates the bridged channel (Discord: Manage
   * Messages or Manage Threads there, channel overwrites counted). Our own moderator role counts
   * as well; see `who: 'moderators'`.
   */
  platformModerator?: boolean
  /**
   * Whether the bot may remove people's own messages on a platform of this community's bridge,
   * now (Discord: Manage Messages in the bridged channel; never on Slack). The runtime, which
   * holds the platforms, provides it; where it is absent the answer cannot say.
   */
  mayRemoveOriginals?(platform: Platform): Promise<boolean>
  /**
   * Tells one account something privately (a Discord DM, a Slack DM), for a command that concerns
   * an account other than the one running it (`/link`: the other account hears it was linked). The
   * runtime, which holds the platforms, provides it; a failure to deliver is logged there, never
   * thrown, and where it is absent nobody else is told.
   */
  tell?(account: { platform: Platform; platformUserId: string }, text: string): Promise<void>
  /**
   * Whether a platform says, now, that this account moderates the community's bridged channel
   * there by its own rights (`PlatformPort.moderates`): what a ban asks of its target. False where
   * the community is not bridged on that platform. The runtime provides it.
   */
  platformModerates?(account: { platform: Platform; platformUserId: string }): Promise<boolean>
  /**
   * The name a platform shows, now, for a person (a Discord member's nickname or display name, a
   * Slack display name) or a channel (its name, without `#`): for an answer that would otherwise
   * show only an id. Undefined where the platform does not know it or cannot say. The runtime,
   * which holds the platforms, provides it; a failed lookup is logged there, never thrown.
   */
  lookUpName?(what: {
    platform: Platform
    kind: 'person' | 'channel'
    id: string
  }): Promise<string | undefined>
  /**
   * Whether this account is the bridge's own bot, on either platform: a moderators' command
   * refuses to ban, unban, appoint or remove it. The runtime, which holds the platforms, provides
   * it; where it is absent no account is the bot's.
   */
  isBridgeAccount?(account: { platform: Platform; platformUserId: string }): Promise<boolean>
}

/** What to show the person: always privately (ephemeral on both platforms), as plain text. */
export interface CommandResult {
  text: string
  /**
   * Buttons under the text (Discord button components, Slack an actions block), for a command
   * that asks before it acts. Pressing one calls the command's `press` with what followed its name
   * in the id (see `commandActionId`); its answer replaces this message.
   */
  actions?: CommandAction[]
  /**
   * For a pressed button only: `false` answers the presser with a message of their own and leaves
   * the message the button is on as it was (a refusal must not wipe someone else's question).
   */
  replace?: boolean
}

/** A button on a command's answer; `danger` styles it as destructive on both platforms. */
export interface CommandAction {
  /** From `commandActionId`: at most 100 characters (Discord's custom_id limit). */
  id: string
  label: string
  danger?: boolean
}

/** Command buttons' ids start with this, then the command's name, a colon, and its payload. */
export const COMMAND_ACTION_PREFIX = 'command:'

/** A button id that brings `payload` back to command `name`'s `press`. */
export function commandActionId(name: string, payload: string): string {
  return `${COMMAND_ACTION_PREFIX}${name}:${payload}`
}

/**
 * One slash command, defined once for both platforms: Discord registers it as a guild
 * application command, Slack runs it as a subcommand of the one `/threadbridge` command. Its
 * arguments are a zod object (parsed the same way on both platforms); its handler calls the core
 * and returns what to show. It never calls a platform SDK.
 */
export interface CommandDefinition<Args extends z.ZodObject = z.ZodObject> {
  /** Lowercase, as Discord requires; the Slack subcommand word too. */
  name: string
  /** One line, at most 100 characters (Discord's limit). */
  description: string
  args: Args
  /**
   * How Slack's one line of text maps to the arguments: their names in order, each a word, the
   * last taking the rest of the text (`reply 12 Thanks, all`). With `split: 'lines'` the first
   * line is the first argument and the following lines the second (`discuss <title>` then the
   * body). Without it, the command takes no arguments on Slack.
   */
  slack?: {
    positional: readonly (keyof z.infer<Args> & string)[]
    split?: 'words' | 'lines'
    /** How help shows it, where the names alone would mislead (`discuss <title>, the body on the next lines`). */
    usage?: string
    /**
     * Reads the words itself, for a command whose words can come in any order (`digest daily
     * Europe/Paris`): each word's shape says which argument it is.
     */
    parse?(rest: string): Record<string, string>
  }
  /**
   * Who may run it. `members`: refused, with how to join, before anything else (before a form
   * opens, so nobody fills one in to be refused). `moderators`: the community's moderators, by
   * our records or by the platform's rights at this moment. Default: anyone.
   */
  who?: 'anyone' | 'members' | 'moderators'
  /**
   * A form to fill in when the command is run with no arguments at all, where a form is kinder
   * than remembering them (a Discord modal, a Slack modal). Its fields are arguments; what is
   * submitted is parsed by `args` like anything typed.
   */
  form?: CommandForm<keyof z.infer<Args> & string>
  /**
   * Suggestions while an argument is typed, where a value is hard to remember (a discussion, a
   * time zone): Discord's autocomplete. At most 25 are shown.
   */
  suggest?: Partial<Record<keyof z.infer<Args> & string, Suggest>>
  /**
   * Also offered on a message itself, for what belongs to one (deleting it): a Discord message
   * command (a message's Apps menu) and a Slack message shortcut, both named `label` (at most 32
   * characters). The message's link, as the platform's Copy Link gives it, fills `argument`.
   */
  onMessage?: { label: string; argument: keyof z.infer<Args> & string }
  run(ctx: CommandContext, args: z.infer<Args>): Promise<CommandResult>
  /**
   * One of its answer's buttons was pressed, by the person in `ctx` (not necessarily who ran it:
   * the payload must say whose it is, and this must check). What it returns replaces the message.
   */
  press?(ctx: CommandContext, payload: string): Promise<CommandResult>
}

/** One suggestion: what the person reads (at most 100 characters) and the value it stands for. */
export interface Choice {
  name: string
  value: string
}

/** Suggestions for what a person has typed so far into one argument. */
export type Suggest = (ctx: CommandContext, typed: string) => Promise<readonly Choice[]>

/** A command's arguments as a form: a title (at most 24 characters, Slack's limit) and text fields. */
export interface CommandForm<Field extends string = string> {
  title: string
  /** The submit button's label; at most 24 characters. */
  submit: string
  fields: readonly {
    name: Field
    /** At most 45 characters (Discord's label limit). */
    label: string
    /** Several lines of text (a paragraph), rather than one. */
    multiline?: boolean
    placeholder?: string
  }[]
}

export function defineCommand<Args extends z.ZodObject>(
  definition: CommandDefinition<Args>,
): CommandDefinition<Args> {
  return definition
}

/**
 * The commands as the adapters serve them: what to register and how to run one. The registry in
 * commands/ implements it; bin/ hands it to each adapter, which never imports commands/ itself.
 */
export interface CommandSet {
  readonly definitions: readonly CommandDefinition[]
  /** Always an answer for the person (the help for an unknown name); throws only on our failures. */
  run(name: string, rawArgs: unknown, ctx: CommandContext): Promise<CommandResult>
  /** Why this person may not run it here (not a member…), checked before a form opens; undefined if they may. */
  refuse(name: string, ctx: CommandContext): Promise<CommandResult | undefined>
  /** A command's button (an id from `commandActionId`) was pressed: what replaces its message. */
  press(actionId: string, ctx: CommandContext): Promise<CommandResult>
}
