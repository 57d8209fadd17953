import { parse } from 'discord-markdown-parser'
import * as emoji from 'node-emoji'
import { defuseMassMentionWords, type FormatContext, neutralMassMention } from './format-context.ts'

/**
 * Discord markdown → Slack mrkdwn, through discord-markdown-parser's tree (the rules Discord's own
 * client uses), never by rewriting the raw text. Discord syntax handled: **bold**, *italic* and
 * _italic_, __underline__ (Slack has none: plain), ~~strike~~, ||spoiler|| (plain), `code`,
 * ```fenced code``` (content untouched), > quotes, # headings (bold), [masked](links), bare
 * links, <@user>, <@&role>, <#channel>, <:custom:emoji>, and @everyone/@here, which never cross.
 */
export function discordToSlack(text: string, ctx: FormatContext = {}): string {
  return render(parse(text, 'extended') as DiscordNode[], ctx).replace(/\n{3,}/g, '\n\n')
}

interface DiscordNode {
  type: string
  content?: string | DiscordNode[]
  target?: string
  id?: string
  name?: string
  lang?: string
  level?: number
}

function render(nodes: DiscordNode[], ctx: FormatContext): string {
  return mergeText(nodes)
    .map((node) => renderNode(node, ctx))
    .join('')
}

/** The parser emits text in fragments (":", "tada:"); emoji shortcodes need them whole. */
function mergeText(nodes: DiscordNode[]): DiscordNode[] {
  const merged: DiscordNode[] = []
  for (const node of nodes) {
    const last = merged.at(-1)
    if (node.type === 'text' && last?.type === 'text')
      merged[merged.length - 1] = { type: 'text', content: `${last.content ?? ''}${node.content ?? ''}` }
    else merged.push(node)
  }
  return merged
}

function renderNode(node: DiscordNode, ctx: FormatContext): string {
  const inner = () =>
    Array.isArray(node.content) ? render(node.content, ctx) : escapeSlack(String(node.content ?? ''))
  switch (node.type) {
    case 'text':
      return defuseMassMentionWords(escapeSlack(emoji.emojify(String(node.content ?? ''))))
    case 'br':
      return '\n'
    case 'strong':
      return wrap('*', inner())
    case 'em':
      return wrap('_', inner())
    case 'strikethrough':
      return wrap('~', inner())
    case 'underline':
    case 'spoiler':
    case 'subtext':
      return inner()
    case 'inlineCode':
      return `\`${escapeSlack(String(node.content ?? ''))}\``
    case 'codeBlock':
      return `\`\`\`\n${escapeSlack(String(node.content ?? ''))}\n\`\`\``
    case 'blockQuote':
      return `${inner()
        .replace(/\n$/, '')
        .split('\n')
        .map((line) => `> ${line}`)
        .join('\n')}\n`
    case 'heading':
      return `${wrap('*', inner())}\n`
    case 'link':
    case 'url':
    case 'autolink': {
      const label = inner()
      const url = escapeSlack(node.target ?? '')
      return label === '' || label === url ? `<${url}>` : `<${url}|${label.replace(/\|/g, '¦')}>`
    }
    case 'user': {
      const linked = ctx.linkedUser?.(node.id ?? '')
      if (linked) return `<@${linked}>`
      return `@${escapeSlack(ctx.userName?.(node.id ?? '') ?? 'someone')}`
    }
    case 'role':
      return `@${escapeSlack(ctx.roleName?.(node.id ?? '') ?? 'a role')}`
    case 'channel':
      return `#${escapeSlack(ctx.channelName?.(node.id ?? '') ?? 'a channel')}`
    case 'emoji':
      return `:${node.name ?? 'emoji'}:`
    case 'everyone':
      return neutralMassMention('everyone')
    case 'here':
      return neutralMassMention('here')
    default:
      return inner()
  }
}

/** Slack's three control characters; escaping them is what keeps `<!channel>` from forming. */
export function escapeSlack(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
}

/** Slack needs the markers to touch the words: `* bold *` is not bold. */
function wrap(marker: string, text: string): string {
  const match = /^(\s*)([\s\S]*?)(\s*)$/.exec(text)
  const [, lead = '', body = '', trail = ''] = match ?? []
  return body === '' ? text : `${lead}${marker}${body}${marker}${trail}`
}
