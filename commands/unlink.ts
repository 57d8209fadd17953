import { z } from 'zod'
import { defineCommand } from '../src/command/command.ts'

/** `/unlink` (Discord), `/threadbridge unlink` (Slack): this account and its linked one are two people again. */
export const unlink = defineCommand({
  name: 'unlink',
  description: 'Undo link: your Discord and Slack accounts become separate again',
  args: z.object({}),
  async run({ core, actor }) {
    const other = await core.accountLinks.unlink(actor)
    const there = other.platform === 'discord' ? 'Discord' : 'Slack'
    return {
      text: `Unlinked: this account and ${other.displayName} on ${there} are separate again, each keeping your memberships and settings.`,
    }
  },
})
