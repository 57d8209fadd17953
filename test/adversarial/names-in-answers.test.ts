import { describe, expect, it } from 'vitest'
import { commandSet } from '../../commands/registry.ts'
import type { CommandAction, CommandContext } from '../../src/command/command.ts'
import { type DiscordNode, parseDiscord } from '../../src/format/discord-nodes.ts'
import { escapeSlack } from '../../src/format/discord-to-slack.ts'
import type { Platform, PlatformActor } from '../../src/platform/platform.ts'
import { useCore } from '../support/core-fixture.ts'
import { alex, lightbulb, mark } from '../support/people.ts'
import { targetName } from '../support/test-database.ts'

/**
 * Attack: a person's display name is markup on the platform that reads an answer naming them. A
 * Slack user called `[bank.example](https://evil.example)` banned from Discord read as a working
 * masked link in "Banned … (Slack U…)"; the `/link` answers and DMs, and the list of members a
 * name matched, were not escaped either. Every answer and DM of ban, unban, moderators and link
 * naming a hostile person, on both platforms, must read as the words typed.
 */
const HOSTILE_NAMES = [
  '[bank.example](https://evil.example)',
  '**Moderator** *now*',
  '`code` ~~gone~~ _it_ ||hidden||',
  '<https://evil.example|bank>',
  '# Official',
  '@everyone',
]

/**
 * Discord node types that mean a name was read as markup, not as words. A bare address (`url`)
 * is not among them: it opens what it shows.
 */
const DISCORD_MARKUP = new Set([
  'autolink',
  'blockQuote',
  'codeBlock',
  'em',
  'everyone',
  'heading',
  'here',
  'inlineCode',
  'link',
  'role',
  'spoiler',
  'strikethrough',
  'strong',
  'subtext',
  'underline',
  'user',
])

function discordMarkup(text: string): string[] {
  const all = (tree: DiscordNode[]): DiscordNode[] =>
    tree.flatMap((node) => [node, ...(Array.isArray(node.content) ? all(node.content) : [])])
  return all(parseDiscord(text))
    .map((node) => node.type)
    .filter((type) => DISCORD_MARKUP.has(type))
}

/** What reads as more than words on Slack, once the adapter has escaped the answer whole. */
function slackMarkup(answer: string): string[] {
  const text = escapeSlack(answer)
  return [...(text.match(/[<*_~`]/g) ?? []), ...(text.match(/(^|\s)@(everyone|here|channel)\b/gi) ?? [])]
}

/**
 * What a Discord reader sees of escaped text: the backslashes gone, the word joiner that defuses
 * `@everyone` unseen.
 */
const seenOnDiscord = (text: string) => text.replace(/\\(.)/g, '$1').replace(/\u2060/g, '')

interface Said {
  reader: Platform
  text: string
}

describe(`names in command answers read as typed, on the reader's platform (${targetName})`, () => {
  const t = useCore()
  const said: Said[] = []

  const ctx = (actor: PlatformActor): CommandContext => ({
    core: t.core,
    community: { id: lightbulb.id, name: lightbulb.name },
    actor,
    platform: actor.platform,
    commandLine: (name) => (actor.platform === 'discord' ? `/${name}` : `/threadbridge ${name}`),
    // alex moderates on Slack by the workspace's say-so, as the Slack adapter passes it.
    platformModerator: actor === alex,
    // The Discord one of the two hostile accounts moderates by Discord's own rights.
    platformModerates: async (account) =>
      account.platform === 'discord' && account.platformUserId !== mark.platformUserId,
    tell: async (account, text) => {
      said.push({ reader: account.platform, text })
    },
  })
  const run = async (actor: PlatformActor, name: string, args: Record<string, unknown> = {}) => {
    const answer = await commandSet.run(name, args, ctx(actor))
    said.push({ reader: actor.platform, text: answer.text })
    return answer
  }
  const press = async (actor: PlatformActor, actions: CommandAction[] | undefined, label: RegExp) => {
    const action = actions?.find((a) => label.test(a.label))
    if (action === undefined) throw new Error(`no ${label} button among ${JSON.stringify(actions)}`)
    said.push({ reader: actor.platform, text: (await commandSet.press(action.id, ctx(actor))).text })
  }
  /**
   * Every answer and message reads as words on its reader's platform; on Discord, one naming a
   * hostile account shows the name exactly as typed, so it was escaped once, not twice.
   */
  const readAsTyped = (name: string) => {
    for (const { reader, text } of said) {
      expect(reader === 'discord' ? discordMarkup(text) : slackMarkup(text), text).toEqual([])
      if (reader === 'discord' && /U0HOSTILE1|100000000000000077/.test(text) && !text.includes('Several'))
        expect(seenOnDiscord(text), text).toContain(name)
    }
  }
  const codeOf = (text: string) => /code is ([A-Z0-9]+)/.exec(text)?.[1] ?? ''

  /** The same hostile name on both platforms, so a name also matches two members. */
  const hostile = (name: string) => ({
    slack: { platform: 'slack', platformUserId: 'U0HOSTILE1', displayName: name } as PlatformActor,
    discord: {
      platform: 'discord',
      platformUserId: '100000000000000077',
      displayName: name,
    } as PlatformActor,
  })

  /** A moderator on `moderator`'s platform names the hostile Slack account in every way. */
  const moderate = async (moderator: PlatformActor, person: PlatformActor, name: string) => {
    const who = (value: string) => (moderator.platform === 'discord' ? { account: value } : { user: value })
    const account = `${person.platform}:${person.platformUserId}`
    for (const command of ['ban', 'ban', 'unban', 'unban']) await run(moderator, command, who(account))
    await run(moderator, 'ban', who(name))
    await run(moderator, 'ban', who(`${name}x`))
    await run(moderator, 'ban', who('discord:100000000000000077'))
    for (const action of ['add', 'add', 'list', 'remove', 'remove'])
      await run(moderator, 'moderators', { action, ...who(account) })
    await run(moderator, 'moderators', { action: 'add', ...who(account) })
    await run(moderator, 'moderators', {})
  }

  /** Links `person` with `other` both ways round, once with `person` banned in between; `person` asks to be forgotten. */
  const linkBothWays = async (person: PlatformActor, other: PlatformActor) => {
    let code = codeOf((await run(person, 'link')).text)
    await run(other, 'link', { code })
    await press(person, (await run(person, 'link')).actions, /^Link/)
    await run(other, 'link')
    await run(other, 'unlink')
    code = codeOf((await run(other, 'link')).text)
    await run(person, 'link', { code })
    await press(other, (await run(other, 'link')).actions, /^Link/)
    await run(person, 'link')
    await run(person, 'unlink')
    code = codeOf((await run(person, 'link')).text)
    await t.core.memberships.ban(lightbulb.id, mark, person)
    await run(other, 'link', { code })
    await run(person, 'forget-me')
  }

  it.each(HOSTILE_NAMES)('%s, in ban, unban and moderators answers', async (name) => {
    said.length = 0
    const { slack, discord } = hostile(name)
    for (const moderator of [mark, alex]) {
      await t.core.memberships.join(lightbulb.id, slack)
      await t.core.memberships.join(lightbulb.id, discord)
      await moderate(moderator, slack, name)
      await t.core.moderators.remove(lightbulb.id, mark, slack)
    }
    // '@everyone' is looked up as "everyone" (a leading @ is how a name is typed), which nobody is called.
    expect(said.filter((s) => s.text.includes('Several members')).length).toBe(name.startsWith('@') ? 0 : 2)
    readAsTyped(name)
  })

  it.each(HOSTILE_NAMES)('%s, in link, unlink and forget-me answers and messages', async (name) => {
    said.length = 0
    const { slack, discord } = hostile(name)
    await linkBothWays(slack, mark)
    await linkBothWays(discord, alex)
    // Each account entered, confirmed, told, unlinked and refused, read on the other platform.
    const naming = said.filter((s) => /U0HOSTILE1|100000000000000077/.test(s.text))
    expect(naming.filter((s) => s.reader === 'discord').length).toBeGreaterThanOrEqual(7)
    expect(naming.filter((s) => s.reader === 'slack').length).toBeGreaterThanOrEqual(7)
    readAsTyped(name)
  })
})
