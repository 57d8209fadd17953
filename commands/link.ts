import { z } from 'zod'
import { defineCommand } from '../src/command/command.ts'

/**
 * `/link` (Discord), `/threadbridge link` (Slack): without a code, a code to enter on the other
 * platform; with one, links this account to the account that made it, as one person.
 */
export const link = defineCommand({
  name: 'link',
  description: 'Link your Discord and Slack accounts: get a code here, enter it on the other side',
  args: z.object({
    code: z
      .string()
      .trim()
      .min(1)
      .max(32)
      .optional()
      .describe('The code you got from link on the other platform; leave it out to get one'),
  }),
  slack: { positional: ['code'] },
  async run({ core, actor, platform, commandLine }, { code }) {
    if (code === undefined) {
      const made = await core.accountLinks.createCode(actor)
      // The other platform's command, as it is typed there by default.
      const there =
        platform === 'discord'
          ? `Slack with /threadbridge link ${made.code}`
          : `Discord with /link code: ${made.code}`
      return {
        text: `Your link code is ${made.code}. Within 10 minutes, enter it on ${there} (it works once).`,
      }
    }
    const other = await core.accountLinks.link(actor, code)
    const there = other.platform === 'discord' ? 'Discord' : 'Slack'
    return {
      text: `Linked: you and ${other.displayName} on ${there} are now one person here. Undo it with ${commandLine('unlink')}.`,
    }
  },
})
