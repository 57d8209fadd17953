import { z } from 'zod'
import { defineCommand } from '../src/command/command.ts'
import { describeWithId } from '../src/members/account-links.ts'

/**
 * `/unlink` (Discord), `/threadbridge unlink` (Slack): this account and its linked one are two
 * people again, each keeping the memberships and settings; a moderator role stays with the
 * account it was given to. Both accounts are told, and the audit keeps it.
 */
export const unlink = defineCommand({
  name: 'unlink',
  description: 'Undo link: your Discord and Slack accounts become separate again',
  args: z.object({}),
  async run({ core, actor, community, tell, platform }) {
    const other = await core.accountLinks.unlink(actor, community.id)
    await tell?.(
      other,
      `Unlinked: this account and ${describeWithId(actor, other.platform)} are separate people on Threadbridge again.`,
    )
    return {
      text: `Unlinked: this account and ${describeWithId(other, platform)} are separate again, each keeping your memberships and settings.`,
    }
  },
})
