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
}

/** What to show the person: always privately (ephemeral on both platforms), as plain text. */
export interface CommandResult {
  text: string
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
  run(ctx: CommandContext, args: z.infer<Args>): Promise<CommandResult>
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
}
