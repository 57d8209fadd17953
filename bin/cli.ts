/**
 * `threadbridge <command>`: the operator's entry point (bin/threadbridge.mjs loads it through tsx).
 * Each command's module is imported only when it runs, so `--help` and `migrate` never load a
 * chat SDK, and `start` is exactly what `npm start` has always run. A bad argument prints one
 * line and the usage hint, and exits 2, like a bad setting does.
 */
import { Argument, Command, CommanderError, Option } from 'commander'
import { endQuietlyOnBrokenPipe } from './broken-pipe.ts'
import type { MigrateDirection } from './migrate.ts'

// Every command: output piped to a reader that stops early ends it quietly, not in a stack trace.
endQuietlyOnBrokenPipe()

/**
 * One line per usage error, named like every other line an operator sees on stderr:
 * `threadbridge export: unknown option '--x' (see threadbridge export --help)`.
 */
function oneLineErrors(command: Command, name: string): Command {
  return command.exitOverride().configureOutput({
    outputError: (text, write) =>
      write(`${name}: ${text.trim().replace(/^error: /, '')} (see ${name} --help)\n`),
  })
}

const program = oneLineErrors(
  new Command('threadbridge').description("Bridges a community's discussions between Discord and Slack."),
  'threadbridge',
)

/** A subcommand whose usage errors name it. */
function subcommand(name: string): Command {
  return oneLineErrors(program.command(name), `threadbridge ${name}`)
}

subcommand('start')
  .description('run the bot (the sandbox when no token is set); what `npm start` runs')
  .action(async () => {
    await import('./threadbridge.ts')
  })

subcommand('migrate')
  .description('bring the database schema up to date, or undo its last step')
  .addArgument(
    new Argument('[direction]', '"latest" or "down"').choices(['latest', 'down']).default('latest'),
  )
  .action(async (direction: MigrateDirection) => {
    await (await import('./migrate.ts')).migrate(direction)
  })

subcommand('export')
  .description("print a community's discussions, or what one person wrote, as JSON Lines")
  .addOption(new Option('--community <id>', 'every discussion and reply of this community'))
  .addOption(
    new Option(
      '--member <ref>',
      'what one person wrote and what is held about them: a member id, discord:<user id> or slack:<user id>',
    ).conflicts('community'),
  )
  .action(async (options: { community?: string; member?: string }, command: Command) => {
    const { exportRecords, parseMemberRef } = await import('./export.ts')
    if (options.community !== undefined) {
      if (options.community.trim() === '') command.error('--community needs a community id')
      return exportRecords({ communityId: options.community })
    }
    if (options.member === undefined) command.error('give --community or --member')
    const member = parseMemberRef(options.member)
    if (typeof member === 'string') command.error(member)
    return exportRecords({ member })
  })

subcommand('invite')
  .description('print the Discord link that adds the bot to a server, with the rights it uses')
  .action(async () => {
    await (await import('./invite.ts')).printInvite(process.env)
  })

subcommand('doctor')
  .description('check tokens, intents, scopes, channels, commands, database and Redis; exit 1 if any fails')
  .action(async () => {
    process.exitCode = await (await import('./doctor.ts')).runDoctor(process.env)
  })

subcommand('backfill')
  .description("mirror a newly bridged channel's past, oldest first, through the normal delivery path")
  .requiredOption('--since <when>', 'how far back: 30d, 12h, 90m, 2w, or an ISO date (2025-01-31)')
  .action(async (options: { since: string }) => {
    const { runBackfill } = await import('./backfill.ts')
    process.exitCode = await runBackfill({ argv: ['--since', options.since] })
  })

try {
  await program.parseAsync(process.argv)
} catch (error) {
  // Help and version are "errors" with exit code 0; a usage error has been printed already.
  if (error instanceof CommanderError) process.exit(error.exitCode === 0 ? 0 : 2)
  throw error
}
