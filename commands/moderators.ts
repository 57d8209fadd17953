import { z } from 'zod'
import { type CommandContext, defineCommand } from '../src/command/command.ts'
import { personArgument, personFor } from '../src/command/person-argument.ts'
import { shownName } from '../src/command/shown-name.ts'
import { ValidationError } from '../src/errors.ts'
import type { Platform } from '../src/platform/platform.ts'

const PLATFORM_NAMES: Record<Platform, string> = { discord: 'Discord', slack: 'Slack' }

/**
 * `/moderators [action] [user]` (Discord), `/threadbridge moderators [add|remove @person]`
 * (Slack): who moderates the community, and moderators appointing or removing one, from either
 * platform (a moderator's linked account is a moderator too). Appointing makes the person a member
 * who moderates; removing leaves them a member. Both are audited. Moderators only, checked when
 * it runs.
 */
export const moderators = defineCommand({
  name: 'moderators',
  description: 'Who moderates here; appoint or remove a moderator',
  who: 'moderators',
  args: z.object({
    action: z.enum(['list', 'add', 'remove']).optional().describe('list (the default), add or remove'),
    user: personArgument.optional().describe('The person to appoint or remove: mention them'),
  }),
  slack: { positional: ['action', 'user'], usage: '[add|remove @person]' },
  async run(ctx, { action = 'list', user }) {
    if (action === 'list') return { text: await listing(ctx) }
    if (user === undefined)
      throw new ValidationError(
        `Who? Mention them: ${ctx.platform === 'slack' ? `${ctx.commandLine('moderators')} ${action} @person` : `/moderators action: ${action} user: @person`}.`,
      )
    const person = await personFor(ctx, user)
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
          ? `${shownName(ctx.platform, person.name)} is already a moderator of ${community.name}.`
          : `${shownName(ctx.platform, person.name)} is now a moderator of ${community.name}, on both platforms.`,
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
        ? `${shownName(ctx.platform, person.name)} is no longer a moderator of ${community.name}; they remain a member.`
        : `${shownName(ctx.platform, person.name)} is not an appointed moderator of ${community.name}.`,
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
