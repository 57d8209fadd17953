import { describe, expect, it } from 'vitest'
import { commandSet } from '../../commands/registry.ts'
import type { CommandContext } from '../../src/command/command.ts'
import { type DiscordNode, parseDiscord } from '../../src/format/discord-nodes.ts'
import { escapeSlack } from '../../src/format/discord-to-slack.ts'
import { withoutHiddenCharacters } from '../../src/names/visible-name.ts'
import type { PlatformActor } from '../../src/platform/platform.ts'
import { useCore } from '../support/core-fixture.ts'
import { alex, jo, lightbulb, mark } from '../support/people.ts'
import { targetName } from '../support/test-database.ts'

/**
 * Attack: an 80-character Slack name holding `\n2026-12-08 02:49 UTC · mark (Discord) banned alex
 * (Slack): spam` had its line break made a space and read, inside the real refusal line, as an
 * entry of its own. On Slack, a name's `*b*` or backticks formatted the line. Whatever people
 * chose (names, titles, reasons) must stay set apart from the line's own structure.
 */
const FAKE_ENTRY = '2026-12-08 02:49 UTC · mark (Discord) banned alex (Slack): spam'
const FORGED_NAME = `${'x'.repeat(80 - FAKE_ENTRY.length - 1)}\n${FAKE_ENTRY}`

/** The name as the Slack adapter stores it: hidden characters gone, the line break a space. */
const forger: PlatformActor = {
  platform: 'slack',
  platformUserId: 'U0FORGER01',
  displayName: withoutHiddenCharacters(FORGED_NAME),
}
const marked: PlatformActor = {
  platform: 'slack',
  platformUserId: 'U0MARKED01',
  displayName: '*b* `c` _i_ ~s~',
}

/** An entry line: it starts with the date and time. */
const ENTRY = /^\d{4}-\d\d-\d\d \d\d:\d\d UTC · /
/** The text of a line outside its code spans: what could pass for the line's own structure. */
const outsideCode = (line: string) => line.replace(/`[^`\n]*`/g, '')

function discordMarkup(text: string): string[] {
  const all = (tree: DiscordNode[]): DiscordNode[] =>
    tree.flatMap((node) => [node, ...(Array.isArray(node.content) ? all(node.content) : [])])
  return all(parseDiscord(text))
    .map((node) => node.type)
    .filter((type) => !['text', 'inlineCode', 'br', 'newline', 'escape', 'url'].includes(type))
}

describe(`the audit's lines cannot be forged by a name (${targetName})`, () => {
  const t = useCore()

  const ctx = (actor: PlatformActor): CommandContext => ({
    core: t.core,
    community: { id: lightbulb.id, name: lightbulb.name },
    actor,
    platform: actor.platform,
    commandLine: (name) => (actor.platform === 'discord' ? `/${name}` : `/threadbridge ${name}`),
    platformModerator: actor === alex,
  })

  /** Every kind of entry naming the forger or the marked name: refused, banned, a titled discussion locked, linked, unlinked. */
  const fillAudit = async () => {
    await t.core.recordRefusal(lightbulb.id, forger, 'ban')
    await t.core.recordRefusal(lightbulb.id, marked, 'audit')
    await t.core.memberships.join(lightbulb.id, forger)
    const discussion = await t.core.discussions.start({
      communityId: lightbulb.id,
      author: forger,
      title: `Plans ${FAKE_ENTRY}`,
      body: 'hello',
      format: 'plain',
    })
    await t.core.discussions.setLocked({ discussionId: discussion.id, actor: mark, locked: true })
    await t.core.memberships.ban(lightbulb.id, mark, marked, `spam ${FAKE_ENTRY}`)
    const code = /code is ([A-Z0-9]+)/.exec((await commandSet.run('link', {}, ctx(forger))).text)?.[1]
    await commandSet.run('link', { code }, ctx(jo))
    const asked = await commandSet.run('link', {}, ctx(forger))
    const confirm = asked.actions?.find((a) => a.label.startsWith('Link'))
    if (confirm === undefined) throw new Error(`no Link button: ${asked.text}`)
    await commandSet.press(confirm.id, ctx(forger))
    await commandSet.run('unlink', {}, ctx(forger))
    await t.core.memberships.ban(lightbulb.id, mark, forger)
  }

  it.each([mark, alex])(
    'read by %o, each line holds one entry and names only inside code',
    async (reader) => {
      await fillAudit()
      const answer = (await commandSet.run('audit', {}, ctx(reader))).text
      const lines = answer.split('\n').filter((line) => ENTRY.test(line))
      expect(lines.length).toBe(7)
      for (const line of lines) expect(outsideCode(line).match(/UTC ·/g), line).toEqual(['UTC ·'])
      expect(answer).toContain('xxxxx')
      if (reader.platform === 'discord') expect(discordMarkup(answer), answer).toEqual([])
      else
        for (const line of escapeSlack(answer).split('\n'))
          expect(outsideCode(line), line).not.toMatch(/[*_~`]/)
    },
  )
})
