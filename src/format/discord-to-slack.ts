import { ParseBudgetExceeded } from './discord-link-match.ts'
import { type DiscordNode, type DiscordNodeType, parseDiscord } from './discord-nodes.ts'
import { emojiToSlackNames } from './emoji-text.ts'
import {
  defuseMassMentionWords,
  type FormatContext,
  mentionText,
  neutralMassMention,
  UNKNOWN_MENTION,
} from './format-context.ts'
import { hiddenHost, safeLinkTarget, slackLinkAddress } from './link-target.ts'
import { ownSlackMention, withoutOwnMarks } from './slack-control-guard.ts'
import { slackDate } from './timestamps.ts'

/**
 * Discord markdown → Slack mrkdwn, through discord-markdown-parser's tree (the rules Discord's own
 * client uses), never by rewriting the raw text. Every node type has a rendering (`RENDER` is a
 * Record over all of them), so nothing a person wrote disappears:
 * - **bold**, *italic*, ~~strike~~, `code`, headings (bold) and quotes as Slack writes them;
 *   __underline__ and -# subtext, which Slack lacks, as their words;
 * - ```code``` as a Slack code block; an `ansi` block without its escape codes, which Slack
 *   would show raw;
 * - ||spoilers|| stay hidden: Slack has none, so a placeholder points to the Discord original
 *   (spoilers side by side share one; past `LINKED_SPOILERS`, a spoiler is a short mark);
 * - Unicode emoji under Slack's names (`:thinking_face:`), custom emoji as `:name:`;
 * - mentions as the names people know (see `FormatContext`), timestamps as Slack dates,
 *   slash commands and server links as their words; @everyone and @here never ping.
 *
 * Slack message formatting: https://api.slack.com/reference/surfaces/formatting
 */
export function discordToSlack(text: string, ctx: FormatContext = {}): string {
  let nodes: DiscordNode[]
  try {
    nodes = parseDiscord(text)
  } catch (error) {
    // Hostile text (thousands of half links) costs more than its length allows: shown as words,
    // its spoilers still hidden.
    if (error instanceof ParseBudgetExceeded) return slackText(withoutSpoilers(text))
    throw error
  }
  return render(nodes, { ...ctx, spoilers: { shown: 0 } }).replace(/\n{3,}/g, '\n\n')
}

/**
 * The conversion's own state beside what the caller knows: how many spoilers have been shown so
 * far in this message, counted across nesting (a spoiler in bold counts too).
 */
interface RenderContext extends FormatContext {
  spoilers: { shown: number }
}

type Renderer = (node: DiscordNode, ctx: RenderContext) => string

/**
 * How many spoilers in a message get a placeholder that links to the original; later ones are a
 * short mark. A placeholder is some twenty times the size of `||s||`: 800 of them made one
 * Discord message into 26 Slack posts.
 */
export const LINKED_SPOILERS = 3
export const SPOILER_MARK = '▒▒▒'

const RENDER: Record<DiscordNodeType, Renderer> = {
  text: (node) => slackText(stringContent(node)),
  escape: (node) => slackText(stringContent(node)),
  emoticon: (node) => slackText(stringContent(node)),
  twemoji: (node) => slackText(node.name ?? ''),
  br: () => '\n',
  newline: () => '\n',
  strong: (node, ctx) => wrap('*', inner(node, ctx)),
  em: (node, ctx) => wrap('_', inner(node, ctx)),
  strikethrough: (node, ctx) => wrap('~', inner(node, ctx)),
  underline: inner,
  // Like a heading, subtext is a line of its own: the parser keeps its line break in the node.
  subtext: (node, ctx) => `${inner(node, ctx)}\n`,
  heading: (node, ctx) => `${wrap('*', inner(node, ctx))}\n`,
  spoiler: (_node, ctx) => {
    ctx.spoilers.shown += 1
    if (ctx.spoilers.shown > LINKED_SPOILERS) return SPOILER_MARK
    return ctx.sourceUrl
      ? `_(spoiler hidden: <${escapeSlack(ctx.sourceUrl)}|read it on Discord>)_`
      : '_(spoiler hidden: read it on Discord)_'
  },
  // Slack cannot escape a backtick inside code: a look-alike keeps the span from ending early.
  inlineCode: (node) => `\`${escapeSlack(stringContent(node).replace(/`/g, 'ˋ'))}\``,
  codeBlock: (node) => {
    const code =
      node.lang?.toLowerCase() === 'ansi' ? withoutAnsiCodes(stringContent(node)) : stringContent(node)
    return `\`\`\`\n${escapeSlack(code.replace(/```/g, 'ˋˋˋ'))}\n\`\`\``
  },
  blockQuote: (node, ctx) =>
    `${inner(node, ctx)
      .replace(/\n$/, '')
      .split('\n')
      .map((line) => `> ${line}`)
      .join('\n')}\n`,
  link: (node, ctx) => slackLink(node.target ?? '', labelOf(node, ctx)),
  // A bare address is shown as itself: its characters are the address, not text to convert.
  url: (node) => slackLink(node.target ?? '', ''),
  autolink: (node) => slackLink(node.target ?? '', ''),
  user: (node, ctx) => {
    const linked = ctx.linkedUser?.(node.id ?? '')
    if (linked) return ownSlackMention(linked)
    return mentionText('@', escapeSlack(ctx.userName?.(node.id ?? '') ?? UNKNOWN_MENTION.user))
  },
  role: (node, ctx) => mentionText('@', escapeSlack(ctx.roleName?.(node.id ?? '') ?? UNKNOWN_MENTION.role)),
  channel: (node, ctx) =>
    mentionText('#', escapeSlack(ctx.channelName?.(node.id ?? '') ?? UNKNOWN_MENTION.channel)),
  emoji: (node) => `:${node.name ?? 'emoji'}:`,
  everyone: () => neutralMassMention('everyone'),
  here: () => neutralMassMention('here'),
  timestamp: (node) => slackDate(Number(node.timestamp), node.format),
  slashCommand: (node) => slackText(`/${node.fullName ?? ''}`),
  guildNavigation: (node) => slackText(GUILD_NAVIGATION[node.id ?? ''] ?? 'this server'),
}

/**
 * A masked link or an address as Slack shows it: `<address|label>` only for an address
 * `safeLinkTarget` accepts, percent-encoded so it cannot end early; the real host beside a label
 * that names another; otherwise the label and the address as text, so `[](!channel)` or
 * `[you](@U0123)` can never become a control sequence.
 */
function slackLink(target: string, label: string): string {
  const url = safeLinkTarget(target)
  if (url === undefined) return label === '' ? slackText(target) : `${label} (${slackText(target)})`
  const address = escapeSlack(slackLinkAddress(target))
  if (label === '' || label === escapeSlack(target)) return `<${address}>`
  const host = hiddenHost(label, url)
  return `<${address}|${label.replace(/\|/g, '¦')}>${host === undefined ? '' : ` (${escapeSlack(host)})`}`
}

/**
 * A masked link's label as words: an address or a mention inside it stays text, since Slack has no
 * link inside a link.
 */
function labelOf(node: DiscordNode, ctx: RenderContext): string {
  const nodes = Array.isArray(node.content) ? node.content : []
  const { linkedUser: _linked, ...plainCtx } = ctx
  return nodes
    .map((child) =>
      child.type === 'url' || child.type === 'autolink' || child.type === 'link'
        ? slackText(child.target ?? '')
        : (RENDER[child.type] ?? inner)(child, plainCtx),
    )
    .join('')
}

/** `<id:home>` and friends, as Discord labels them in the client. */
const GUILD_NAVIGATION: Record<string, string> = {
  home: 'Server Guide',
  guide: 'Server Guide',
  browse: 'Browse Channels',
  customize: 'Channels & Roles',
  'linked-roles': 'Linked Roles',
}

/**
 * Every `||…||` pair as `SPOILER_MARK`, found by one split rather than the parser: for text too
 * costly to parse, which must not give a spoiler away either. A `||` without a partner stays.
 */
function withoutSpoilers(text: string): string {
  const parts = text.split('||')
  return parts
    .map((part, i) => (i % 2 === 0 ? part : i < parts.length - 1 ? SPOILER_MARK : `||${part}`))
    .join('')
}

/** Spoilers side by side (nothing but blank space between them) render as one. */
function render(nodes: DiscordNode[], ctx: RenderContext): string {
  let out = ''
  for (let i = 0; i < nodes.length; i++) {
    const node = nodes[i] as DiscordNode
    if (node.type === 'spoiler') i = lastSpoilerOfRun(nodes, i)
    out += (RENDER[node.type] ?? inner)(node, ctx)
  }
  return out
}

/** The index of the last spoiler in the run that starts at `first`. */
function lastSpoilerOfRun(nodes: DiscordNode[], first: number): number {
  let last = first
  for (let i = first + 1; i < nodes.length; i++) {
    const node = nodes[i] as DiscordNode
    if (node.type === 'spoiler') last = i
    else if (!isBlank(node)) break
  }
  return last
}

function isBlank(node: DiscordNode): boolean {
  return (
    node.type === 'br' ||
    node.type === 'newline' ||
    (node.type === 'text' && /^\s*$/.test(stringContent(node)))
  )
}

/** A node's children rendered, or its text escaped: also the fallback for a type the parser adds later. */
function inner(node: DiscordNode, ctx: RenderContext): string {
  return Array.isArray(node.content) ? render(node.content, ctx) : slackText(stringContent(node))
}

function stringContent(node: DiscordNode): string {
  return typeof node.content === 'string' ? node.content : ''
}

function slackText(text: string): string {
  // Most runs of words have nothing to escape, rename or defuse: one test instead of six passes.
  if (!NEEDS_WORK.test(text)) return text
  return defuseMassMentionWords(emojiToSlackNames(escapeSlack(text)))
}

/** What `escapeSlack` (& < > and the own-mention mark), emoji names and defusing look for. */
const NEEDS_WORK = /[&<>@\u0080-\uffff]/

/**
 * ANSI escape sequences (CSI … final byte, as Discord's `ansi` blocks use for colours): Slack has
 * no colours and would show them as raw characters.
 */
function withoutAnsiCodes(code: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: ESC is exactly what is removed
  return code.replace(/\u001b\[[0-9;?]*[ -/]*[@-~]/g, '').replace(/\u001b/g, '')
}

/** Slack's three control characters; escaping them is what keeps `<!channel>` from forming. */
export function escapeSlack(text: string): string {
  return withoutOwnMarks(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
}

/** Slack needs the markers to touch the words: `* bold *` is not bold. */
function wrap(marker: string, text: string): string {
  const match = /^(\s*)([\s\S]*?)(\s*)$/.exec(text)
  const [, lead = '', body = '', trail = ''] = match ?? []
  return body === '' ? text : `${lead}${marker}${body}${marker}${trail}`
}
