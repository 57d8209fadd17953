/**
 * Dates that show in each reader's own time zone on both platforms: Discord's `<t:seconds:style>`
 * (https://discord.com/developers/docs/reference#message-formatting-timestamp-styles) and Slack's
 * `<!date^seconds^{tokens}|fallback>`
 * (https://api.slack.com/reference/surfaces/formatting#date-formatting).
 */
const SLACK_TOKENS: Record<string, string> = {
  t: '{time}',
  T: '{time_secs}',
  d: '{date_num}',
  D: '{date}',
  f: '{date} at {time}',
  F: '{date_long} at {time}',
  R: '{ago}',
}

/** A Discord timestamp as a Slack date; the fallback (for clients that cannot format) is UTC. */
export function slackDate(seconds: number, style = 'f'): string {
  if (!Number.isFinite(seconds)) return 'a date'
  const fallback = utc(seconds)
  return `<!date^${Math.trunc(seconds)}^${SLACK_TOKENS[style] ?? SLACK_TOKENS.f}|${fallback}>`
}

/** A Slack date as a Discord timestamp, in the style nearest its tokens. */
export function discordTimestamp(seconds: number, tokens = ''): string {
  if (!Number.isFinite(seconds)) return 'a date'
  return `<t:${Math.trunc(seconds)}:${styleFor(tokens)}>`
}

function styleFor(tokens: string): string {
  if (tokens.includes('{ago}')) return 'R'
  const date = tokens.includes('{date')
  const time = tokens.includes('{time')
  if (date && time) return tokens.includes('{date_long') ? 'F' : 'f'
  if (time) return tokens.includes('{time_secs}') ? 'T' : 't'
  return tokens.includes('{date_num}') ? 'd' : 'D'
}

function utc(seconds: number): string {
  const date = new Date(seconds * 1000)
  return Number.isNaN(date.getTime()) ? 'a date' : `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`
}
