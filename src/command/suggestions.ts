import type { Choice, CommandContext } from './command.ts'
import { discussionLabel } from './discussion-argument.ts'

/** Discord shows at most 25 suggestions, each at most 100 characters. */
const MAX_CHOICES = 25
const MAX_NAME = 100

/** The community's live discussions matching what is typed: by number for digits, else by title. */
export async function suggestDiscussions(ctx: CommandContext, typed: string): Promise<Choice[]> {
  const found = await ctx.core.searchDiscussions(ctx.community.id, typed.slice(0, 100), MAX_CHOICES)
  return found.map((d) => ({
    name: fitName(`${discussionLabel(d)}${d.locked ? ' (locked)' : ''}`),
    value: String(d.number),
  }))
}

/** IANA time zones containing what is typed (`york` finds America/New_York); common ones first. */
export async function suggestTimeZones(ctx: CommandContext, typed: string): Promise<Choice[]> {
  const zones = await ctx.core.timeZones(typed.slice(0, 64), MAX_CHOICES)
  return zones.map((zone) => ({ name: zone, value: zone }))
}

function fitName(text: string): string {
  return text.length <= MAX_NAME ? text : `${text.slice(0, MAX_NAME - 1)}…`
}
