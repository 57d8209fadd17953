import type { App } from '@slack/bolt'
import type { WebClient } from '@slack/web-api'
import type { CommandContext, CommandSet } from '../../src/command/command.ts'
import { slackArgs, splitSubcommand } from '../../src/command/subcommand-text.ts'
import type { Core } from '../../src/core.ts'
import { applyDigestAction, DIGEST_ACTION_PREFIX } from '../../src/digests/digest-actions.ts'
import { escapeSlack } from '../../src/format/discord-to-slack.ts'
import type { Logger } from '../../src/logger.ts'
import type { PlatformPort } from '../../src/platform/platform-port.ts'
import { commandAnswer, serveSlackCommandButtons } from './slack-command-buttons.ts'
import { FORM_CALLBACK_PREFIX, formOrigin, formValues, formView } from './slack-command-form.ts'
import { isWorkspaceAdmin } from './slack-moderators.ts'
import { SLACK_COMMAND } from './slack-platform.ts'

/** The message shortcut "Notify me when people reply": its callback_id in the app's manifest. */
export const SUBSCRIBE_SHORTCUT = 'subscribe_thread'

export interface SlackCommandsDeps {
  commands: CommandSet
  core: Core
  logger: Logger
  /**
   * The person's name as Slack shows it (users.info, cached), like every other action of theirs;
   * and an ephemeral message, for the answer to a form, which has no response_url.
   */
  port: Pick<PlatformPort, 'lookUpUser' | 'tellPrivately'>
  /** The app's one slash command. Slack reserves /join and /leave, so the commands are its subcommands. */
  command?: string
}

const SORRY = 'Something went wrong on our side. Try again in a minute.'
const NO_COMMUNITY = 'Threadbridge bridges no community in this workspace, so there is nothing to do here.'

/**
 * Serves the commands on Slack as subcommands of one slash command, `/threadbridge join`: Slack
 * keeps built-in commands such as /join for itself, and one command is one line in the app's
 * manifest. Acknowledged at once (Slack's 3-second deadline), then answered ephemerally through
 * the command's response_url (https://api.slack.com/interactivity/slash-commands). A command
 * with a form, run with nothing after it, opens the form as a modal instead; and the message
 * shortcut "Notify me when people reply" subscribes from the thread itself, where Slack runs no
 * slash command (https://api.slack.com/interactivity/shortcuts).
 */
export function serveSlackCommands(app: App, slackDeps: SlackCommandsDeps): void {
  // The app's own client asks Slack about people's workspace roles when a command runs.
  const deps = { ...slackDeps, client: app.client }
  const { commands, logger } = deps
  const command = deps.command ?? SLACK_COMMAND

  app.command(command, async ({ command: run, ack, respond, client }) => {
    await ack()
    const say = async (text: string): Promise<void> => {
      await respond({ response_type: 'ephemeral', text: escapeSlack(text) })
    }
    try {
      const { name, rest } = splitSubcommand(run.text)
      const definition = commands.definitions.find((d) => d.name === name)
      const ctx = await contextFor(deps, command, run.user_id, run.user_name, run.team_id, run.channel_id)
      if (ctx === undefined) return await say(NO_COMMUNITY)
      if (definition?.form !== undefined && rest === '') {
        // Refused before the form opens, so nobody fills one in to be turned away. The trigger
        // works once and for 3 seconds: nothing slow comes before views.open.
        const refused = await commands.refuse(name, ctx)
        if (refused !== undefined) return await say(refused.text)
        await client.views.open({
          trigger_id: run.trigger_id,
          view: formView(definition, { channelId: run.channel_id }),
        })
        return
      }
      const result = await commands.run(name, definition ? slackArgs(definition, rest) : {}, ctx)
      await respond({ response_type: 'ephemeral', ...commandAnswer(result) })
    } catch (error) {
      logger.error({ err: error, command: run.command }, 'a Slack command failed')
      await say(SORRY).catch(() => {})
    }
  })

  app.view(new RegExp(`^${FORM_CALLBACK_PREFIX}`), async ({ ack, view, body }) => {
    // Closes the form at once; the answer follows as an ephemeral message where it was opened.
    await ack()
    const origin = formOrigin(view.private_metadata)
    const definition = commands.definitions.find(
      (d) => `${FORM_CALLBACK_PREFIX}${d.name}` === view.callback_id,
    )
    if (origin === undefined || definition === undefined) return
    const tell = (text: string) =>
      deps.port.tellPrivately({
        channelId: origin.channelId,
        platformUserId: body.user.id,
        threadId: null,
        text,
      })
    try {
      const ctx = await contextFor(
        deps,
        command,
        body.user.id,
        body.user.name,
        body.team?.id,
        origin.channelId,
      )
      if (ctx === undefined) return await tell(NO_COMMUNITY)
      const result = await commands.run(definition.name, formValues(definition, view.state.values), ctx)
      await tell(result.text)
    } catch (error) {
      logger.error({ err: error, command: definition.name }, 'a Slack form failed')
      await tell(SORRY).catch(() => {})
    }
  })

  // A digest's buttons, pressed in the DM: applied for whoever pressed them, answered privately.
  app.action(new RegExp(`^${DIGEST_ACTION_PREFIX}`), async ({ ack, body, action, respond }) => {
    await ack()
    const id = 'action_id' in action ? action.action_id : ''
    try {
      const person = await deps.port.lookUpUser(body.user.id)
      const text = await applyDigestAction(
        deps.core,
        person === undefined
          ? { platform: 'slack', platformUserId: body.user.id, displayName: body.user.id, nameUnknown: true }
          : { platform: 'slack', platformUserId: body.user.id, ...person },
        id,
        (name) => `${command} ${name}`,
      )
      await respond({ response_type: 'ephemeral', replace_original: false, text: escapeSlack(text) })
    } catch (error) {
      logger.error({ err: error, action: id }, 'a digest button failed')
      await respond({ response_type: 'ephemeral', replace_original: false, text: SORRY }).catch(() => {})
    }
  })

  serveMessageShortcuts(app, deps, command)

  // Buttons on commands' answers (forget-me's Erase me), pressed by whoever sees them.
  serveSlackCommandButtons(
    app,
    commands,
    (userId, teamId, channelId) => contextFor(deps, command, userId, undefined, teamId, channelId),
    logger,
  )

  app.shortcut(
    { callback_id: SUBSCRIBE_SHORTCUT, type: 'message_action' },
    async ({ ack, shortcut, respond }) => {
      await ack()
      const say = async (text: string): Promise<void> => {
        await respond({ response_type: 'ephemeral', text: escapeSlack(text) })
      }
      try {
        const threadId = shortcut.message.thread_ts ?? shortcut.message.ts
        const ctx = await contextFor(
          deps,
          command,
          shortcut.user.id,
          shortcut.user.name,
          shortcut.team?.id,
          shortcut.channel.id,
          threadId,
        )
        if (ctx === undefined) return await say(NO_COMMUNITY)
        const found = await deps.core.findDiscussion(ctx.community.id, {
          kind: 'thread',
          platform: 'slack',
          threadId,
        })
        if (found === undefined)
          return await say(
            `This message is not part of a bridged discussion. To hear of new discussions, run ${command} subscribe new.`,
          )
        await say((await commands.run('subscribe', {}, ctx)).text)
      } catch (error) {
        logger.error({ err: error, shortcut: SUBSCRIBE_SHORTCUT }, 'a Slack shortcut failed')
        await say(SORRY).catch(() => {})
      }
    },
  )
}

/**
 * The commands that act on a message, as message shortcuts whose callback_id is the command's
 * name (declared in the app's manifest): the message's permalink fills the command's argument,
 * as if the person had pasted what Copy link gives.
 */
function serveMessageShortcuts(
  app: App,
  deps: SlackCommandsDeps & { client: WebClient },
  command: string,
): void {
  for (const definition of deps.commands.definitions) {
    const onMessage = definition.onMessage
    if (onMessage === undefined) continue
    app.shortcut(
      { callback_id: definition.name, type: 'message_action' },
      async ({ ack, shortcut, respond }) => {
        await ack()
        const say = (text: string) => respond({ response_type: 'ephemeral', text: escapeSlack(text) })
        try {
          const { channel, message, team, user } = shortcut
          const ctx = await contextFor(deps, command, user.id, user.name, team?.id, channel.id)
          if (ctx === undefined) return void (await say(NO_COMMUNITY))
          const link = slackPermalink(team?.domain ?? 'app', channel.id, message.ts, message.thread_ts)
          const args = { [onMessage.argument]: link }
          await say((await deps.commands.run(definition.name, args, { ...ctx, fromMessage: true })).text)
        } catch (error) {
          deps.logger.error({ err: error, shortcut: definition.name }, 'a Slack shortcut failed')
          await say(SORRY).catch(() => {})
        }
      },
    )
  }
}

/** A message's permalink as chat.getPermalink gives it, a thread reply's with its thread_ts. */
function slackPermalink(domain: string, channelId: string, ts: string, threadTs: string | undefined): string {
  const link = `https://${domain}.slack.com/archives/${channelId}/p${ts.replace('.', '')}`
  return threadTs !== undefined && threadTs !== ts ? `${link}?thread_ts=${threadTs}&cid=${channelId}` : link
}

/** The context a command runs in for this person, here; undefined where no community is bridged. */
async function contextFor(
  { core, port, client }: SlackCommandsDeps & { client: WebClient },
  command: string,
  userId: string,
  userName: string | undefined,
  teamId: string | undefined,
  channelId: string,
  threadId?: string,
): Promise<CommandContext | undefined> {
  const community =
    (await core.communities.findByChannel('slack', channelId)) ??
    (teamId === undefined ? undefined : await core.communities.findByWorkspace('slack', teamId))
  if (community === undefined) return undefined
  const person = await port.lookUpUser(userId)
  const { workspaceAdminsModerate } = await core.communities.bridgeModerators(community.id, 'slack')
  return {
    core,
    community: { id: community.id, name: community.name },
    // Where the configuration says so, Slack's admins and owners moderate, as Slack says now.
    platformModerator: workspaceAdminsModerate && (await isWorkspaceAdmin(client, userId)),
    // Without users.info's answer, the command's handle (or the id) names a newcomer only.
    actor:
      person === undefined
        ? { platform: 'slack', platformUserId: userId, displayName: userName ?? userId, nameUnknown: true }
        : { platform: 'slack', platformUserId: userId, ...person },
    platform: 'slack',
    commandLine: (subcommand) => `${command} ${subcommand}`,
    ...(threadId === undefined ? {} : { threadId }),
  }
}
