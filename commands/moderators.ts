import { z } from 'zod'
import { type CommandContext, defineCommand } from '../src/command/command.ts'
import { accountArgument, personArgument, personFrom } from '../src/command/person-argument.ts'
import { shownName } from '../src/command/shown-name.ts'
import type { Platform } from '../src/platform/platform.ts'

const PLATFORM_NAMES: Record<Platform, string> = { discord: 'Discord', slack: 'Slack' }

/**
 * `/moderators [action] [user]` (Discord), `/threadbridge moderators [add|remove @person]`
 * (Slack): who moderates the community, and moderators appointing or removing one, from either
 * platform. The role is the named account's: an account linked to it is not a moderator through it
 * (a link neither gives nor takes the role). Appointing makes the person a member
 * who moderates; removing leaves them a member. Both are audited. Moderators only, checked when
 * it runs.
 */
export const moderators = defineCommand({
  name: 'moderators',
  description: 'Who moderates here; appoint or remove a moderator',
  who: 'moderators',
  args: z.object({
    action: z.enum(['list', 'add', 'remove']).optional().describe('list (the default), add or remove'),
    user: personArgument.optional().describe('The person to appoint or remove: pick them'),
    account: accountArgument.optional(),
  }),
  slack: { positional: ['action', 'user'], usage: '[add|remove @person|slack:id|discord:id]' },
  async run(ctx, { action = 'list', user, account }) {
    if (action === 'list') return { text: await listing(ctx) }
    const person = await personFrom(
      ctx,
      { user, account },
      `Mention them: ${ctx.platform === 'slack' ? `${ctx.commandLine('moderators')} ${action} @person (or slack:<id>, discord:<id>)` : `/moderators action: ${action} user: @person (or account: slack:<id>)`}.`,
    )
    const { core, community, actor } = ctx
    if (action === 'add') {
      const { alreadyModerator } = await core.moderators.appoint(
        community.id,
        actor,
        person.ref,
        ctx.platformModerator ?? false,
      )
      return {
        text: alreadyModerator
          ? `${person.label} is already a moderator of ${community.name}.`
          : `${person.label} is now a moderator of ${community.name}, from that account (an account linked to it does not moderate through it).`,
      }
    }
    const { wasModerator } = await core.moderators.remove(
      community.id,
      actor,
      person.ref,
      ctx.platformModerator ?? false,
    )
    return {
      text: wasModerator
        ? `${person.label} is no longer a moderator of ${community.name}; they remain a member.`
        : `${person.label} is not an appointed moderator of ${community.name}.`,
    }
  },
})

/** The moderators by name, and who else moderates by a platform's say-so, as configured. */
async function listing({ core, community, commandLine, platform }: CommandContext): Promise<string> {
  const named = await core.moderators.list(community.id)
  const lines = named.map(
    (m) =>
      `- ${shownName(platform, m.name)} (${m.platforms.map((p) => PLATFORM_NAMES[p]).join(', ')}${m.configured ? '; named in the configuration' : ''})`,
  )
  const bridged = new Set((await core.communities.bridges(community.id)).map((b) => b.platform))
  const also: string[] = []
  if (bridged.has('discord')) {
    const { moderatorRoles } = await core.communities.bridgeModerators(community.id, 'discord')
    also.push(
      `On Discord, anyone with Manage Messages or Manage Threads in the bridged channel${moderatorRoles.length > 0 ? `, or the role ${moderatorRoles.join(' or ')}` : ''}.`,
    )
  }
  if (
    bridged.has('slack') &&
    (await core.communities.bridgeModerators(community.id, 'slack')).workspaceAdminsModerate
  )
    also.push("On Slack, the workspace's admins and owners.")
  return [
    lines.length === 0
      ? `${community.name} has no appointed moderators.`
      : `Moderators of ${community.name}:`,
    ...lines,
    ...also,
    platform === 'slack'
      ? `${commandLine('moderators')} add @person appoints one; ${commandLine('moderators')} remove @person removes one.`
      : '/moderators action: add user: @person appoints one; action: remove removes one.',
  ].join('\n')
}
