import type { SlackState } from './slack-state.ts'

/**
 * A slash command's text as Slack delivers it when the command's `should_escape` is true ("Escape
 * channels, users, and links sent to your app", https://api.slack.com/interactivity/slash-commands):
 * a person's mention becomes `<@U012AB3CD|handle>`, a channel's `<#C012AB3CD|name>`, and
 * `@here`, `@channel`, `@everyone` become `<!here>`, `<!channel>`, `<!everyone>`. A word naming
 * nobody stays as typed. With `should_escape` false Slack sends the text as typed, `@handle` and
 * all, which is why an app that must know who was named turns escaping on.
 *
 * Not modelled: the `<http://…>` wrapping of links (the sandbox's people paste links already
 * bracketed) and the entity encoding of `&`, `<` and `>`.
 */
export function escapeCommandText(text: string, state: SlackState): string {
  return text.replace(/(^|[\s(])([@#])([\w.-]+)/g, (whole, before: string, sigil: string, name: string) => {
    if (sigil === '@') {
      if (name === 'here' || name === 'channel' || name === 'everyone') return `${before}<!${name}>`
      const user = state.findUserByName(name)
      return user === undefined || user.deleted ? whole : `${before}<@${user.id}|${user.name}>`
    }
    const channel = [...state.channels.values()].find((c) => !c.is_im && c.name === name)
    return channel === undefined ? whole : `${before}<#${channel.id}|${channel.name}>`
  })
}
