import { escapeSlack } from './discord-to-slack.ts'
import { defuseMassMentionWords } from './format-context.ts'

/**
 * Slack's formatting markers, each with a look-alike that is only a character. Slack's mrkdwn has
 * no escape for them (https://api.slack.com/reference/surfaces/formatting#escaping), so a title
 * carrying one could end its bold heading early, or start italics, a strike or code that runs
 * into what follows.
 */
const MARKER_LOOK_ALIKES: Record<string, string> = {
  '*': '\u2217', // ∗ asterisk operator
  _: '\u02CD', // ˍ modifier letter low macron
  '~': '\u223C', // ∼ tilde operator
  '`': '\u02CB', // ˋ modifier letter grave accent
}

/**
 * Text someone chose (a title, a name) shown in Slack mrkdwn as the words typed, for a heading or
 * a line of its own: Slack's control characters escaped, formatting markers as look-alikes,
 * broadcast words defused, and on one line, since a line break ends a bold run. Blocks carrying it
 * also say `verbatim`, so Slack links no address or channel name in it by itself.
 */
export function slackWords(text: string): string {
  return defuseMassMentionWords(escapeSlack(withoutSlackMarkers(oneLine(text))))
}

/** Slack's formatting markers in `text` as their look-alikes: what is left cannot format. */
export function withoutSlackMarkers(text: string): string {
  return text.replace(/[*_~`]/g, (m) => MARKER_LOOK_ALIKES[m] ?? m)
}

/** Line breaks, with the spaces around them, as one space: a name cannot start a line of its own. */
export function oneLine(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, ' ').trim()
}
