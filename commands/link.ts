import { z } from 'zod'
import {
  type CommandContext,
  type CommandResult,
  commandActionId,
  defineCommand,
} from '../src/command/command.ts'
import { describeWithId, type LinkedAccount } from '../src/members/account-links.ts'
import { PLATFORMS, type Platform } from '../src/platform/platform.ts'

const NAME = 'link'

/**
 * `/link` (Discord), `/threadbridge link` (Slack): without a code, a code to enter on the other
 * platform; with one, asks the account that made it to confirm. The maker then runs link again
 * (without a code) and reads which account entered their code, by platform, name and id, with a
 * Link and a Refuse button: nothing is linked before they press Link, so a code that leaked links
 * no stranger. Both accounts are told when it is done. A link moves no moderator role: the role
 * stays with the account it was given to. An account banned anywhere cannot be linked (the ban
 * would follow the link): each step refuses it in one line.
 */
export const link = defineCommand({
  name: NAME,
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
  async run(ctx, { code }) {
    const { core, actor, platform } = ctx
    if (code === undefined) {
      const entering = await core.accountLinks.waiting(actor)
      if (entering !== undefined) return confirmation(actor, entering)
      const made = await core.accountLinks.createCode(actor)
      return {
        text: `Your link code is ${made.code}. Within 10 minutes, enter it on ${there(other(platform), `${NAME} ${made.code}`)} (it works once), then run ${ctx.commandLine(NAME)} here again to confirm it was you.`,
      }
    }
    const maker = await core.accountLinks.enter(actor, code)
    await ctx.tell?.(
      maker,
      `${describeWithId(actor, maker.platform)} entered your Threadbridge link code. If that account is yours, run ${commandLineOn(maker.platform, NAME)} and press Link; if it is not, press Refuse there. Nothing is linked until you do.`,
    )
    return {
      text: `Code accepted. Nothing is linked yet: the account that made it, ${describeWithId(maker, platform)}, must confirm within 10 minutes by running ${commandLineOn(maker.platform, NAME)} there and pressing Link.`,
    }
  },
  async press(ctx, payload) {
    const [verb, ...ids] = payload.split(':')
    const [makerPlatform, makerId, enteringPlatform, enteringId] = ids
    if (makerPlatform !== ctx.actor.platform || makerId !== ctx.actor.platformUserId)
      return {
        text: `Only the account that made the link code can answer this. Nothing was changed.`,
        replace: false,
      }
    const entering = accountFrom(enteringPlatform, enteringId)
    if (entering === undefined) return { text: 'That button is no longer valid.' }
    if (verb === 'refuse') {
      await ctx.core.accountLinks.refuse(ctx.actor, entering)
      return { text: 'Refused: nothing was linked, and that code no longer works.' }
    }
    if (verb !== 'confirm') return { text: 'That button is no longer valid.' }
    return linked(ctx, entering)
  },
})

async function linked(
  ctx: CommandContext,
  entering: { platform: Platform; platformUserId: string },
): Promise<CommandResult> {
  const { core, actor, community } = ctx
  const account = await core.accountLinks.confirm(actor, entering, community.id)
  const maker = describeWithId(actor, account.platform)
  await ctx.tell?.(
    account,
    `Linked: this account and ${maker} are now one person on Threadbridge, as confirmed there. Moderator roles stay with the account they were given to. If this was not you, run ${commandLineOn(account.platform, 'unlink')} at once.`,
  )
  return {
    text: `Linked: you and ${describeWithId(account, ctx.platform)} are now one person here. Moderator roles stay with the account they were given to. Undo it with ${ctx.commandLine('unlink')}.`,
  }
}

/** The maker's question: which account entered their code, and whether to link it. */
function confirmation(maker: { platform: Platform; platformUserId: string }, entering: LinkedAccount) {
  const accounts = `${maker.platform}:${maker.platformUserId}:${entering.platform}:${entering.platformUserId}`
  // Button labels are plain text on both platforms: the name goes there as written.
  const name =
    entering.displayName.length > 24 ? `${entering.displayName.slice(0, 23)}…` : entering.displayName
  return {
    text: [
      `${describeWithId(entering, maker.platform)} entered your link code.`,
      'Linking makes that account and this one one person here: a mention of either reaches both, memberships and settings are merged. Moderator roles stay with the account they were given to.',
      'Press Link only if that account is yours (within 10 minutes of when it entered the code).',
    ].join('\n'),
    actions: [
      {
        id: commandActionId(NAME, `confirm:${accounts}`),
        label: `Link ${name} (${platformName(entering.platform)} ${entering.platformUserId})`,
      },
      { id: commandActionId(NAME, `refuse:${accounts}`), label: 'Refuse', danger: true },
    ],
  }
}

function accountFrom(
  platform: string | undefined,
  platformUserId: string | undefined,
): { platform: Platform; platformUserId: string } | undefined {
  const known = PLATFORMS.find((p) => p === platform)
  return known === undefined || platformUserId === undefined || platformUserId === ''
    ? undefined
    : { platform: known, platformUserId }
}

function other(platform: Platform): Platform {
  return platform === 'discord' ? 'slack' : 'discord'
}

function platformName(platform: Platform): string {
  return platform === 'discord' ? 'Discord' : 'Slack'
}

/** A command as it is typed on `platform` by default (`/link` on Discord, `/threadbridge link` on Slack). */
function commandLineOn(platform: Platform, line: string): string {
  return platform === 'discord' ? `/${line}` : `/threadbridge ${line}`
}

/** Where to enter a code: `Slack with /threadbridge link ABC`, `Discord with /link code: ABC`. */
function there(platform: Platform, line: string): string {
  return platform === 'slack'
    ? `Slack with ${commandLineOn('slack', line)}`
    : `Discord with ${commandLineOn('discord', line.replace(/^link /, 'link code: '))}`
}
