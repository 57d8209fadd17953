import * as emoji from 'node-emoji'
import { type Node, NodeType, parse } from 'slack-message-parser'
import { defuseMassMentionWords, type FormatContext, neutralMassMention } from './format-context.ts'

/**
 * Slack mrkdwn → Discord markdown, through slack-message-parser's tree. Slack syntax handled:
 * *bold*, _italic_, ~strike~, `code`, ```preformatted``` (content untouched), > quotes,
 * <url|label> and <url>, <@U…>, <#C…|name>, <!channel>/<!here>/<!everyone> (never cross),
 * <!subteam^…|@name>, :shortcode: emoji (to Unicode), and the &amp; &lt; &gt; escapes.
 */
export function slackToDiscord(text: string, ctx: FormatContext = {}): string {
  return render(parse(text).children, ctx)
}

function render(nodes: Node[], ctx: FormatContext): string {
  return nodes.map((node) => renderNode(node, ctx)).join('')
}

function renderNode(node: Node, ctx: FormatContext): string {
  switch (node.type) {
    case NodeType.Text:
      return defuseMassMentionWords(escapeDiscord(emoji.emojify(decodeEntities(node.text))))
    case NodeType.Bold:
      return `**${render(node.children, ctx)}**`
    case NodeType.Italic:
      return `*${render(node.children, ctx)}*`
    case NodeType.Strike:
      return `~~${render(node.children, ctx)}~~`
    case NodeType.Code:
      return `\`${decodeEntities(node.text).replace(/`/g, 'ˋ')}\``
    case NodeType.PreText:
      return `\`\`\`\n${decodeEntities(node.text).replace(/```/g, 'ˋˋˋ')}\n\`\`\``
    case NodeType.Quote:
      return render(node.children, ctx)
        .split('\n')
        .map((line) => `> ${line}`)
        .join('\n')
    case NodeType.URL: {
      const url = decodeEntities(node.url)
      const label = node.label ? render(node.label, ctx) : ''
      // Angle brackets keep Discord from unfurling a preview of every bridged link.
      return label === '' || label === escapeDiscord(url)
        ? `<${url}>`
        : `[${label.replace(/[[\]]/g, '')}](<${url}>)`
    }
    case NodeType.UserLink: {
      const linked = ctx.linkedUser?.(node.userID)
      if (linked) return `<@${linked}>`
      const name =
        ctx.userName?.(node.userID) ?? (node.label ? render(node.label, ctx).replace(/^@/, '') : 'someone')
      return `@${escapeDiscord(name)}`
    }
    case NodeType.ChannelLink: {
      const name = ctx.channelName?.(node.channelID) ?? (node.label ? render(node.label, ctx) : 'a channel')
      return `#${escapeDiscord(name)}`
    }
    case NodeType.Command: {
      if (node.name === 'channel' || node.name === 'here' || node.name === 'everyone')
        return neutralMassMention(node.name)
      // <!subteam^ID|@team>, <!date^…|fallback>: show the label, never a mention.
      const label = node.label ? render(node.label, ctx) : node.name
      return defuseMassMentionWords(escapeDiscord(label))
    }
    case NodeType.Emoji:
      return emoji.get(node.name) ?? `:${node.name}:`
    default:
      return 'children' in node ? render(node.children, ctx) : ''
  }
}

function decodeEntities(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&')
}

/**
 * Backslash-escapes what Discord would read as markup or a mention in plain text: a literal
 * `<@123>` typed on Slack must stay text on Discord, not become a ping.
 */
export function escapeDiscord(text: string): string {
  return text.replace(/([\\*_~`|<>])/g, '\\$1').replace(/^(#{1,3} |-# )/gm, '\\$1')
}

/** The words of a Slack message without its markup: for titles, which are plain text. */
export function slackToPlain(text: string): string {
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
            return node.label ? plain(node.label) : '@someone'
          case NodeType.ChannelLink:
            return `#${node.label ? plain(node.label) : 'channel'}`
          case NodeType.Command:
            return node.label ? plain(node.label) : node.name
          case NodeType.Emoji:
            return emoji.get(node.name) ?? `:${node.name}:`
          default:
            return 'children' in node ? plain(node.children) : ''
        }
      })
      .join('')
  return defuseMassMentionWords(plain(parse(text).children))
}
