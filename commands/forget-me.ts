import { z } from 'zod'
import { type CommandContext, commandActionId, defineCommand } from '../src/command/command.ts'
import { shownName } from '../src/command/shown-name.ts'
import type { ErasurePreview } from '../src/members/erasure-preview.ts'
import type { Platform } from '../src/platform/platform.ts'

const NAME = 'forget-me'

/** How long the Erase me button works: long enough to read the warning, short enough not to linger. */
export const CONFIRM_WINDOW_MS = 15 * 60_000

/**
 * `/forget-me` (Discord), `/threadbridge forget-me` (Slack): says what erasing the person would do
 * and asks, with a danger-styled Erase me button and a Cancel; nothing changes until Erase me is
 * pressed. The buttons carry the account that asked (and when): only that account's press counts,
 * so an id seen elsewhere cannot erase anyone else, and an old confirmation expires.
 */
export const forgetMe = defineCommand({
  name: NAME,
  description: 'Erase yourself: what you wrote becomes a tombstone, your accounts and settings go',
  args: z.object({}),
  async run({ core, actor, platform }) {
    const preview = await core.erasurePreview(actor)
    if (preview === undefined)
      return { text: 'Threadbridge holds nothing about you, so there is nothing to erase.' }
    const account = `${actor.platform}:${actor.platformUserId}`
    return {
      text: warning(preview, platform),
      actions: [
        {
          id: commandActionId(NAME, `erase:${account}:${core.now().getTime()}`),
          label: 'Erase me',
          danger: true,
        },
        { id: commandActionId(NAME, `cancel:${account}`), label: 'Cancel' },
      ],
    }
  },
  async press(ctx, payload) {
    const [verb, platform, platformUserId, issued] = payload.split(':')
    if (platform !== ctx.actor.platform || platformUserId !== ctx.actor.platformUserId)
      return {
        text: `Only the person who ran ${ctx.commandLine(NAME)} can answer it. Nothing was changed.`,
        replace: false,
      }
    if (verb === 'cancel') return { text: 'Cancelled: nothing was erased.' }
    const issuedAt = Number(issued)
    if (verb !== 'erase' || !Number.isSafeInteger(issuedAt))
      return { text: 'That button is no longer valid.' }
    if (ctx.core.now().getTime() - issuedAt > CONFIRM_WINDOW_MS)
      return {
        text: `This confirmation has expired: nothing was erased. Run ${ctx.commandLine(NAME)} again if you still want to be erased.`,
      }
    return { text: await erase(ctx) }
  },
})

async function erase({ core, actor, community }: CommandContext): Promise<string> {
  const outcome = await core.eraseMember(actor, community.id)
  if (outcome === undefined) return 'You were already erased: Threadbridge holds nothing about you.'
  const content = [count(outcome.replies, 'reply', 'replies'), count(outcome.discussions, 'discussion')]
  const tombstones =
    outcome.replies + outcome.discussions === 0
      ? 'you had written nothing to turn into tombstones'
      : `${content.join(' and ')} ${outcome.replies + outcome.discussions === 1 ? 'is' : 'are'} now tombstones on Discord and Slack`
  return `Erased: ${tombstones}; your accounts, preferences and subscriptions are gone.`
}

/**
 * The warning, in plain words: what goes, what stays, and that nothing happens without the button.
 * The ban sentence is said to everyone: true for all, it needs no lookup, and it still holds for a
 * ban placed between this question and the press.
 */
function warning(preview: ErasurePreview, reader: Platform): string {
  const accounts = preview.accounts
    .map((a) => `${shownName(reader, a.displayName)} on ${platformName(a.platform)}`)
    .join(' and ')
  const content =
    preview.replies + preview.discussions === 0
      ? 'You have written nothing that would become a tombstone.'
      : `Your ${written(preview)} ${preview.replies + preview.discussions === 1 ? 'becomes a tombstone' : 'become tombstones'} ("This reply was deleted.", "This discussion was deleted.") on Discord, on Slack and in our records. Replies others wrote in your discussions stay.`
  return [
    'Erase you from Threadbridge? This cannot be undone.',
    content,
    `Your accounts (${accounts}), memberships, preferences, subscriptions, digests and link codes are removed. If you are banned from a community, that ban stays: the bridge keeps a keyed fingerprint of each of your accounts so the ban holds. The moderators' audit keeps only that an erasure happened, without your name.`,
    ...platformNotes(preview),
    'Nothing changes unless you press Erase me (within 15 minutes).',
  ].join('\n')
}

/** "3 replies and 1 discussion", leaving out what is none. */
function written(preview: ErasurePreview): string {
  const parts = [
    preview.replies > 0 ? count(preview.replies, 'reply', 'replies') : '',
    preview.discussions > 0 ? count(preview.discussions, 'discussion') : '',
  ]
  return parts.filter(Boolean).join(' and ')
}

/** What happens to what they wrote on each platform they have an account on, and only those. */
function platformNotes(preview: ErasurePreview): string[] {
  const on = (platform: Platform) => preview.accounts.some((a) => a.platform === platform)
  return [
    ...(on('discord')
      ? ['Messages you wrote directly on Discord are removed there too, where the bot may.']
      : []),
    ...(on('slack')
      ? [
          'Slack lets no app delete a person’s message: those you wrote on Slack stay until you delete them there.',
        ]
      : []),
  ]
}

function count(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`
}

function platformName(platform: Platform): string {
  return platform === 'discord' ? 'Discord' : 'Slack'
}
