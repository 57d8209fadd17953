import { z } from 'zod'
import { defineCommand } from '../src/command/command.ts'

/** `/leave` (Discord), `/threadbridge leave` (Slack): stop being a member; your posts stay yours. */
export const leave = defineCommand({
  name: 'leave',
  description: 'Leave this community: what you write is no longer mirrored',
  args: z.object({}),
  async run({ core, community, actor, commandLine }) {
    const { wasMember } = await core.memberships.leave(community.id, actor)
    return {
      text: wasMember
        ? `You have left ${community.name}. Rejoin any time with ${commandLine('join')}.`
        : `You are not a member of ${community.name}, so there is nothing to leave.`,
    }
  },
})
