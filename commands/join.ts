import { z } from 'zod'
import { defineCommand } from '../src/command/command.ts'

/** `/join` (Discord), `/threadbridge join` (Slack): become a member of the bridged community. */
export const join = defineCommand({
  name: 'join',
  description: 'Become a member of this community, so your posts are mirrored',
  args: z.object({}),
  async run({ core, community, actor }) {
    const { alreadyMember } = await core.memberships.join(community.id, actor)
    return {
      text: alreadyMember
        ? `You are already a member of ${community.name}.`
        : `You are now a member of ${community.name}: what you write in its discussions crosses to the other side.`,
    }
  },
})
