import { type Node, NodeType, parse } from 'slack-message-parser'
import {
  defuseMassMentionWords,
  type FormatContext,
  mentionText,
  neutralMassMention,
  UNKNOWN_MENTION,
} from './format-context.ts'
import { discordLinkAddress, hiddenHost, safeLinkTarget } from './link-target.ts'
import { unicodeForSlackName } from './slack-emoji-names.ts'
import { slackParseFits } from './slack-parse-budget.ts'
import { discordTimestamp } from './timestamps.ts'

/**
 * Slack mrkdwn → Discord markdown, through slack-message-parser's tree. Every node type has a
 * rendering (`RENDER` is a Record over the parser's `NodeType`, so a new one fails to compile):
 * *bold*, _italic_, ~strike~, `code`, ```preformatted``` (content untouched), > quotes line by
 * line, <url|label> and <url>, <@U…>, <#C…|name>, <!date^…> (a Discord timestamp),
 * <!subteam^…|@name> (its label, never a mention), <!channel>/<!here>/<!everyone> (never ping),
 * :shortcode: emoji under Slack's names (to Unicode, skin tones included; custom emoji stay
 * `:name:`), and the &amp; &lt; &gt; escapes.
 *
 * Discord markdown: https://support.discord.com/hc/en-us/articles/210298617
 */
export function slackToDiscord(text: string, ctx: FormatContext = {}): string {
  if (!slackParseFits(text)) return defuseMassMentionWords(escapeDiscord(decodeEntities(text)))
  return render(parse(text).children, ctx)
}

type NodeOf<T extends NodeType> = Extract<Node, { type: T }>
type Renderers = { [T in NodeType]: (node: NodeOf<T>, ctx: FormatContext) => string }

const RENDER: Renderers = {
  [NodeType.Root]: (node, ctx) => render(node.children, ctx),
  [NodeType.Text]: (node) => defuseMassMentionWords(escapeDiscord(decodeEntities(node.text))),
  [NodeType.Bold]: (node, ctx) => `**${render(unnested(node), ctx)}**`,
  [NodeType.Italic]: (node, ctx) => `*${render(unnested(node), ctx)}*`,
  [NodeType.Strike]: (node, ctx) => `~~${render(unnested(node), ctx)}~~`,
  [NodeType.Code]: (node) => `\`${decodeEntities(node.text).replace(/`/g, 'ˋ')}\``,
  // Slack's block usually starts and ends with a line break of its own; Discord's fences add theirs.
  [NodeType.PreText]: (node) =>
    `\`\`\`\n${decodeEntities(node.text)
      .replace(/^\n/, '')
      .replace(/\n$/, '')
      .replace(/```/g, 'ˋˋˋ')}\n\`\`\``,
  [NodeType.Quote]: (node, ctx) => {
    // The parser keeps each line's space after ">" and leaves the line break that ends the quote
    // in `source` only: without both fixes the next line would join the quote's last one.
    const lines = render(node.children, ctx)
      .split('\n')
      .map((line) => `> ${line.replace(/^ /, '')}`)
    return `${lines.join('\n')}${node.source.endsWith('\n') ? '\n' : ''}`
  },
  [NodeType.URL]: (node, ctx) =>
    discordLink(decodeEntities(node.url), node.label ? render(node.label, ctx) : ''),
  [NodeType.UserLink]: (node, ctx) => {
    const linked = ctx.linkedUser?.(node.userID)
    if (linked) return `<@${linked}>`
    const named = ctx.userName?.(node.userID)
    const label = node.label ? render(node.label, ctx) : UNKNOWN_MENTION.user
    return mentionText('@', named === undefined ? label : escapeDiscord(named))
  },
  [NodeType.ChannelLink]: (node, ctx) => {
    const named = ctx.channelName?.(node.channelID)
    const label = node.label ? render(node.label, ctx) : UNKNOWN_MENTION.channel
    return mentionText('#', named === undefined ? label : escapeDiscord(named))
  },
  [NodeType.Command]: (node, ctx) => {
    if (node.name === 'channel' || node.name === 'here' || node.name === 'everyone')
      return neutralMassMention(node.name)
    if (node.name === 'date') return discordTimestamp(Number(node.arguments[0]), node.arguments[1])
    // <!subteam^ID|@team> and the like: show the label, never a mention.
    const label = node.label ? render(node.label, ctx) : escapeDiscord(node.name)
    return defuseMassMentionWords(label)
  },
  [NodeType.Emoji]: (node) => {
    const { unicode, lostTone } = slackEmoji(node)
    const tone = lostTone ? `:${lostTone}:` : ''
    return unicode ? `${unicode}${tone}` : `:${escapeDiscord(node.name)}:${tone}`
  },
}

/**
 * The emoji a Slack `:name:` stands for, with its `::skin-tone-N` where Slack's list has that
 * variant; a tone it does not have is returned apart (`lostTone`), for the caller to keep or drop.
 * Undefined `unicode` for a name Slack's list does not have (a workspace's custom emoji).
 */
function slackEmoji(node: NodeOf<NodeType.Emoji>): {
  unicode: string | undefined
  lostTone: string | undefined
} {
  const toned = node.variation ? unicodeForSlackName(`${node.name}::${node.variation}`) : undefined
  if (toned !== undefined) return { unicode: toned, lostTone: undefined }
  return { unicode: unicodeForSlackName(node.name), lostTone: node.variation }
}

/**
 * An address as Discord shows it. Angle brackets keep Discord from unfurling a preview of every
 * bridged link; the address is percent-encoded so it cannot leave them. Discord masks only web
 * links: any other address `safeLinkTarget` accepts (mailto:) shows its label with the address
 * beside it, and one it refuses shows as text. A label that names another host than the one the
 * link opens has the real host beside it.
 */
function discordLink(target: string, label: string): string {
  const url = safeLinkTarget(target)
  if (url === undefined || (label !== '' && url.protocol === 'mailto:'))
    return label === '' ? escapeDiscord(target) : `${label} (${escapeDiscord(target)})`
  const address = discordLinkAddress(target)
  if (label === '' || label === escapeDiscord(target)) return `<${address}>`
  const host = hiddenHost(label, url)
  return `[${label.replace(/[[\]]/g, '')}](<${address}>)${host === undefined ? '' : ` (${escapeDiscord(host)})`}`
}

function render(nodes: Node[], ctx: FormatContext): string {
  return nodes.map((node) => renderNode(node, ctx)).join('')
}

function renderNode<T extends NodeType>(node: NodeOf<T>, ctx: FormatContext): string {
  return (RENDER[node.type as T] as Renderers[T])(node, ctx)
}

/**
 * The children of a marker, without a same marker nested directly inside: the parser reads
 * `__init__` as italic within italic and `~~x~~` as strike within strike, and Discord would show
 * a doubled `*` as bold and a doubled `~~` as raw tildes.
 */
function unnested(node: { type: NodeType; children: Node[] }): Node[] {
  const [only] = node.children
  return node.children.length === 1 && only?.type === node.type && 'children' in only
    ? unnested(only)
    : node.children
}

function decodeEntities(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&')
}

/**
 * Backslash-escapes what Discord would read as markup, a mention or a masked link in plain text:
 * a literal `<@123>` typed on Slack must stay text on Discord, not become a ping.
 */
export function escapeDiscord(text: string): string {
  // Brackets too: a literal "[text](https://…)" typed on Slack must not become a masked link.
  return text.replace(/([\\*_~`|<>[\]])/g, '\\$1').replace(/^(#{1,3} |-# )/gm, '\\$1')
}

/**
 * The words of a Slack message without its markup: for titles, which are plain text. Mentions
 * read as the names `ctx` knows (else their label), broadcasts as defused words.
 */
export function slackToPlain(text: string, ctx: FormatContext = {}): string {
  const plain = (nodes: Node[]): string =>
    nodes
      .map((node) => {
        switch (node.type) {
          case NodeType.Text:
          case NodeType.Code:
          case NodeType.PreText:
            return decodeEntities(node.text)
          case NodeType.URL:
            return node.label ? plain(node.label) : decodeEntities(node.url)
          case NodeType.UserLink:
            return mentionText(
              '@',
              ctx.userName?.(node.userID) ?? (node.label ? plain(node.label) : UNKNOWN_MENTION.user),
            )
          case NodeType.ChannelLink:
            return mentionText(
              '#',
              ctx.channelName?.(node.channelID) ?? (node.label ? plain(node.label) : UNKNOWN_MENTION.channel),
            )
          case NodeType.Command:
            if (node.name === 'channel' || node.name === 'here' || node.name === 'everyone')
              return neutralMassMention(node.name)
            return node.label ? plain(node.label) : node.name
          case NodeType.Emoji:
            return slackEmoji(node).unicode ?? `:${node.name}:`
          default:
            return 'children' in node ? plain(node.children) : ''
        }
      })
      .join('')
  if (!slackParseFits(text)) return defuseMassMentionWords(decodeEntities(text))
  return defuseMassMentionWords(plain(parse(text).children))
}
