import type { App } from '@slack/bolt'
import type { CommandContext, CommandSet } from '../../src/command/command.ts'
import type { Core } from '../../src/core.ts'
import { escapeSlack } from '../../src/format/discord-to-slack.ts'
import type { Logger } from '../../src/logger.ts'
import type { PlatformPort } from '../../src/platform/platform-port.ts'
import { SLACK_COMMAND } from './slack-platform.ts'

export interface SlackCommandsDeps {
  commands: CommandSet
  core: Core
  logger: Logger
  /** For the person's name as Slack shows it (users.info, cached), like every other action of theirs. */
  port: Pick<PlatformPort, 'lookUpUser'>
  /** The app's one slash command. Slack reserves /join and /leave, so the commands are its subcommands. */
  command?: string
}

/**
 * Serves the commands on Slack as subcommands of one slash command, `/threadbridge join`: Slack
 * keeps built-in commands such as /join for itself, and one command is one line in the app's
 * manifest. Acknowledged at once (Slack's 3-second deadline), then answered ephemerally through
 * the command's response_url (https://api.slack.com/interactivity/slash-commands).
 */
export function serveSlackCommands(
  app: App,
  { commands, core, logger, port, command = SLACK_COMMAND }: SlackCommandsDeps,
): void {
  app.command(command, async ({ command: run, ack, respond }) => {
    await ack()
    const say = (text: string) => respond({ response_type: 'ephemeral', text: escapeSlack(text) })
    try {
      const [name = 'help', code] = run.text.trim().split(/\s+/).filter(Boolean)
      const community =
        (await core.communities.findByChannel('slack', run.channel_id)) ??
        (await core.communities.findByWorkspace('slack', run.team_id))
      if (community === undefined) {
        await say('Threadbridge bridges no community in this workspace, so there is nothing to do here.')
        return
      }
      const person = await port.lookUpUser(run.user_id)
      const ctx: CommandContext = {
        core,
        community: { id: community.id, name: community.name },
        actor: {
          platform: 'slack',
          platformUserId: run.user_id,
          displayName: person?.displayName ?? run.user_name,
          avatarUrl: person?.avatarUrl ?? null,
        },
        platform: 'slack',
        commandLine: (subcommand) => `${command} ${subcommand}`,
      }
      // Minimal until Slack gets general argument parsing: `link CODE` passes its second word.
      const args = name.toLowerCase() === 'link' && code !== undefined ? { code } : {}
      const result = await commands.run(name.toLowerCase(), args, ctx)
      await say(result.text)
    } catch (error) {
      logger.error({ err: error, command: run.command }, 'a Slack command failed')
      await say('Something went wrong on our side. Try again in a minute.').catch(() => {})
    }
  })
}
