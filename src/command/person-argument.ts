import { z } from 'zod'
import { ValidationError } from '../errors.ts'
import { PLATFORMS, type Platform, type PlatformActor } from '../platform/platform.ts'
import type { CommandContext } from './command.ts'
import { shorten } from './discussion-argument.ts'
import { shownName } from './shown-name.ts'

/**
 * A command argument naming a person on the platform it is typed on: on Discord a user option
 * (the picker; the adapter passes `<@id|name>`), on Slack the one word for everything: a mention
 * as Slack escapes it (`<@U123|name>`, since the command's `should_escape` is true), an account
 * on either platform (`slack:U123`, `discord:<id>`), or a name as typed (`@alex`, `alex`).
 */
export const personArgument = z
  .string()
  .trim()
  .min(1)
  .max(200)
  .meta({ kind: 'person' })
  .describe('The person: pick them')

/**
 * On Discord, beside the picker, for someone the picker cannot show: an account on either
 * platform (`slack:U123`, `discord:<id>`) or the name of a member of this community.
 */
export const accountArgument = z
  .string()
  .trim()
  .min(1)
  .max(200)
  .describe('Or: slack:<id>, discord:<id>, or a member’s name')

/** The person a command names: their account (never created from a name), and how to say who. */
export interface NamedPerson {
  /** The account, with `nameUnknown` so the name typed never renames anyone. */
  ref: PlatformActor
  /** Their name as we know it, else as typed, else as their platform shows it, else the id. */
  name: string
  /**
   * What an answer says: `jo (Discord 100000000000000001)`, or `Discord account 100000000000000001`
   * for a nameless one; the name escaped for the platform the command was run on (`shownName`),
   * so it goes into that platform's answer as it is.
   */
  label: string
}

/** Account ids as each platform makes them: a Discord snowflake; a Slack user id (U…, W… on Enterprise Grid). */
const ID_SHAPE: Record<Platform, RegExp> = { discord: /^\d{17,20}$/, slack: /^[UW][A-Z0-9]{2,20}$/ }
/** An id typed alone, told from a name: Slack's real ids have nine characters or more. */
const BARE_ID: Record<Platform, RegExp> = { discord: /^\d{17,20}$/, slack: /^[UW][A-Z0-9]{8,20}$/ }

/** A user mention as the platform sends it: Discord `<@id>`/`<@!id>`, Slack `<@U123>`/`<@U123|name>`. */
const MENTION = /^<@!?([A-Za-z0-9]+)(?:\|([^>]*))?>$/
const EXPLICIT = /^(discord|slack):\s*<?@?!?([A-Za-z0-9]+)>?$/i

const PLATFORM_NAMES: Record<Platform, string> = { discord: 'Discord', slack: 'Slack' }

/**
 * The person `value` names, for a moderators' command run in `ctx`'s community. A mention names
 * an account on the platform it was typed on, `discord:<id>` or `slack:<id>` one on that
 * platform (each checked against the platform's id shape: a Discord id typed on Slack names no
 * Slack account); a name finds only members of this community, on either platform, and must find
 * exactly one. Throws a ValidationError saying how to name them otherwise (for several, listing
 * each as platform and id).
 */
export async function personFor(ctx: CommandContext, value: string): Promise<NamedPerson> {
  const text = value.trim()
  const mention = MENTION.exec(text)
  if (mention?.[1] !== undefined) return byId(ctx, ctx.platform, mention[1], mention[2])
  const explicit = EXPLICIT.exec(text)
  if (explicit?.[1] !== undefined && explicit[2] !== undefined) {
    const platform = PLATFORMS.find((p) => p === explicit[1]?.toLowerCase()) ?? ctx.platform
    return byId(ctx, platform, explicit[2])
  }
  // A bare id in this platform's shape; a bare Discord id on Slack says how to name it instead.
  if (BARE_ID[ctx.platform].test(text)) return byId(ctx, ctx.platform, text)
  const elsewhere = PLATFORMS.find((p) => p !== ctx.platform && ID_SHAPE[p].test(text))
  if (elsewhere !== undefined && /^\d+$/.test(text))
    throw new ValidationError(
      `"${shorten(text)}" looks like a ${PLATFORM_NAMES[elsewhere]} id: write ${elsewhere}:${shorten(text)} to name that account.`,
    )
  return byName(ctx, text.replace(/^@/, ''))
}

/**
 * The person in a command's picker (`user`) or typed account (`account`): exactly one is needed,
 * since a moderator who gave both could not tell which one was acted on. Never the bridge's own
 * account: a hasty `ban @Threadbridge` would stop the bot from hearing itself named, and an
 * appointment would make it a moderator.
 */
export async function personFrom(
  ctx: CommandContext,
  args: { user?: string | undefined; account?: string | undefined },
  usage: string,
): Promise<NamedPerson> {
  if (args.user !== undefined && args.account !== undefined)
    throw new ValidationError(`Give user: or account:, not both: nothing was done. ${usage}`)
  const value = args.user ?? args.account
  if (value === undefined) throw new ValidationError(`Who? ${usage}`)
  const person = await personFor(ctx, value)
  if (await ctx.isBridgeAccount?.(person.ref))
    throw new ValidationError(
      `${person.label} is Threadbridge's own account: moderators' commands do not act on it, so nothing was done.`,
    )
  return person
}

async function byId(
  ctx: CommandContext,
  platform: Platform,
  id: string,
  typedName?: string,
): Promise<NamedPerson> {
  if (!ID_SHAPE[platform].test(id))
    throw new ValidationError(
      `"${shorten(id)}" is not a ${PLATFORM_NAMES[platform]} user id. ${platform === 'slack' ? 'Slack ids start with U or W' : 'Discord ids are 17 to 20 digits'}: mention them, or write ${platform}:<id>.`,
    )
  const [known] = await ctx.core.findAccounts(platform, { id })
  // Someone the bridge never saw (a server's owner who never wrote there) is named by their platform.
  const name =
    known?.displayName ??
    (typedName?.replace(/^@/, '').trim() || (await ctx.lookUpName?.({ platform, kind: 'person', id })))
  return named(ctx.platform, platform, id, name)
}

async function byName(ctx: CommandContext, name: string): Promise<NamedPerson> {
  const found = await ctx.core.findMembersNamed(ctx.community.id, name)
  const [only] = found
  if (found.length === 1 && only !== undefined)
    return named(ctx.platform, only.platform, only.platformUserId, only.displayName)
  const shown = (text: string, max?: number) => shownName(ctx.platform, shorten(text, max))
  const how = `mention them${ctx.platform === 'discord' ? ' (the user option)' : ''}, or write slack:<id> or discord:<id>`
  if (found.length === 0)
    throw new ValidationError(`No member of ${ctx.community.name} is called "${shown(name)}": ${how}.`)
  const which = found.map((a) => `${a.platform}:${a.platformUserId} (${shown(a.displayName, 30)})`).join(', ')
  throw new ValidationError(
    `Several members of ${ctx.community.name} are called "${shown(name)}": ${which}. Name one by its platform and id, as listed.`,
  )
}

/**
 * The person on `platform`, as the answer on `reader` (where the command runs) names them: with the
 * platform and id in brackets; with no name anywhere, by the platform and id alone.
 */
function named(
  reader: Platform,
  platform: Platform,
  platformUserId: string,
  name: string | undefined,
): NamedPerson {
  const where = PLATFORM_NAMES[platform]
  return {
    ref: { platform, platformUserId, displayName: name ?? platformUserId, nameUnknown: true },
    name: name ?? platformUserId,
    label:
      name === undefined
        ? `${where} account ${platformUserId}`
        : `${shownName(reader, shorten(name, 60))} (${where} ${platformUserId})`,
  }
}
