import { type ParseMeter, parseBudget } from './discord-link-match.ts'
import { parseRules } from './discord-parser.ts'

/**
 * Every node type discord-markdown-parser produces in its `extended` mode (the rules Discord's own
 * client uses for messages, plus masked links, which webhooks and bots may send). A renderer is a
 * `Record` over this list, so a type without a rendering fails to compile; a unit test holds the
 * list to the parser's rules, so a parser upgrade that adds one fails the build too.
 */
export const DISCORD_NODE_TYPES = [
  'autolink',
  'blockQuote',
  'br',
  'channel',
  'codeBlock',
  'em',
  'emoji',
  'emoticon',
  'escape',
  'everyone',
  'guildNavigation',
  'heading',
  'here',
  'inlineCode',
  'link',
  'newline',
  'role',
  'slashCommand',
  'spoiler',
  'strikethrough',
  'strong',
  'subtext',
  'text',
  'timestamp',
  'twemoji',
  'underline',
  'url',
  'user',
] as const
export type DiscordNodeType = (typeof DISCORD_NODE_TYPES)[number]

/** A parsed node: the fields the parser's rules set (see each rule's `parse`). */
export interface DiscordNode {
  type: DiscordNodeType
  content?: string | DiscordNode[]
  /** link, url, autolink: the address. */
  target?: string
  /** user, role, channel, emoji: the snowflake; guildNavigation: the target (home, browse…). */
  id?: string
  /** emoji: the custom emoji's name; twemoji: the emoji itself. */
  name?: string
  /** codeBlock: the language after the opening fence. */
  lang?: string
  /** timestamp: seconds since the epoch, and the style letter (t T d D f F R). */
  timestamp?: string
  format?: string
  /** slashCommand: `command subcommand`. */
  fullName?: string
}

/**
 * Discord markdown as a tree, within `meter`'s budget (by default `parseBudget` of its length;
 * throws `ParseBudgetExceeded` past it), with the parser's text fragments (it emits ":" and "tada:" apart,
 * and splits a keycap or a flag its emoji rule only half knows) joined back into whole runs of
 * text, so emoji and words are seen whole.
 */
export function parseDiscord(
  text: string,
  meter: ParseMeter = { steps: 0, budget: parseBudget(text.length) },
): DiscordNode[] {
  return joinText(parseRules(text, { inline: true, meter }) as DiscordNode[])
}

/** Runs of text, escapes and emoji as one text node each (and a test's view of the library's tree). */
export function joinText(nodes: DiscordNode[]): DiscordNode[] {
  const joined: DiscordNode[] = []
  for (const node of nodes) {
    const asText = textOf(node)
    const last = joined.at(-1)
    if (asText !== undefined && last?.type === 'text') last.content = `${String(last.content)}${asText}`
    else if (asText !== undefined) joined.push({ type: 'text', content: asText })
    else joined.push(Array.isArray(node.content) ? { ...node, content: joinText(node.content) } : node)
  }
  return joined
}

/** Nodes that are only characters: text, a backslash escape, a Unicode emoji, an emoticon. */
function textOf(node: DiscordNode): string | undefined {
  if (node.type === 'twemoji') return node.name ?? ''
  if (node.type === 'text' || node.type === 'escape' || node.type === 'emoticon')
    return typeof node.content === 'string' ? node.content : undefined
  return undefined
}
