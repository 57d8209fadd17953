import type { CommandDefinition } from './command.ts'

/**
 * Splits the text of Slack's one command, `/threadbridge reply 12 Thanks`, into the subcommand
 * (lowercased; `help` when empty) and the rest, newlines kept: Slack sends the whole text as one
 * string (https://api.slack.com/interactivity/slash-commands#app_command_handling).
 */
export function splitSubcommand(text: string): { name: string; rest: string } {
  const trimmed = text.replace(/^\s+/, '')
  const match = /^(\S+)[ \t]*\r?\n?([\s\S]*)$/.exec(trimmed)
  if (match === null) return { name: 'help', rest: '' }
  return { name: (match[1] ?? 'help').toLowerCase(), rest: (match[2] ?? '').trim() }
}

/**
 * A subcommand's raw arguments from the rest of its text, by the command's `slack` usage: each
 * positional argument a word (the last the remaining text), or with `split: 'lines'` the first
 * line then the others. What is absent stays absent, for the schema to call missing.
 */
export function slackArgs(definition: CommandDefinition, rest: string): Record<string, string> {
  const usage = definition.slack
  if (usage === undefined || rest === '') return {}
  if (usage.parse) return usage.parse(rest)
  const args: Record<string, string> = {}
  if (usage.split === 'lines') {
    const [first, second] = usage.positional
    const newline = rest.indexOf('\n')
    const head = (newline === -1 ? rest : rest.slice(0, newline)).trim()
    const tail = newline === -1 ? '' : rest.slice(newline + 1).trim()
    if (first !== undefined && head !== '') args[first] = head
    if (second !== undefined && tail !== '') args[second] = tail
    return args
  }
  let remaining = rest
  usage.positional.forEach((name, index) => {
    if (remaining === '') return
    if (index === usage.positional.length - 1) {
      args[name] = remaining
      remaining = ''
      return
    }
    const match = /^(\S+)\s*([\s\S]*)$/.exec(remaining)
    args[name] = match?.[1] ?? ''
    remaining = match?.[2] ?? ''
  })
  return args
}

/**
 * How a subcommand is typed, for help and for a missing argument: `reply <discussion> <text>`.
 * A word before a required one must be typed too (positions cannot be skipped), so it shows as
 * required even when the schema lets Discord leave it out.
 */
export function slackUsage(definition: CommandDefinition): string {
  if (definition.slack?.usage) return `${definition.name} ${definition.slack.usage}`
  const names = definition.slack?.positional ?? []
  const optional = (name: string) => definition.args.shape[name]?.safeParse(undefined).success === true
  const lastRequired = names.findLastIndex((n) => !optional(n))
  return [definition.name, ...names.map((n, i) => (i > lastRequired ? `[${n}]` : `<${n}>`))].join(' ')
}
