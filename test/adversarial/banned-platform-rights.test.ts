import { describe, expect, it } from 'vitest'
import { commandSet } from '../../commands/registry.ts'
import type { CommandContext } from '../../src/command/command.ts'
import type { PlatformActor } from '../../src/platform/platform.ts'
import { outboxEvents, useCore } from '../support/core-fixture.ts'
import { jo, lightbulb, mark, sam, visitor } from '../support/people.ts'
import { targetName } from '../support/test-database.ts'

/**
 * Attacks: a banned person whose platform still gives them rights (Discord's Manage Messages, a
 * Slack workspace admin) acts on other people's content; and banned people and non-members have
 * their reactions mirrored, though a reaction is a post without words.
 */
describe(`a ban outranks platform rights (${targetName})`, () => {
  const t = useCore()

  const ctx = (actor: PlatformActor, platformModerator: boolean): CommandContext => ({
    core: t.core,
    community: { id: lightbulb.id, name: lightbulb.name },
    actor,
    platform: actor.platform,
    commandLine: (name) => (actor.platform === 'discord' ? `/${name}` : `/threadbridge ${name}`),
    platformModerator,
  })

  /** sam's discussion, mirrored to Discord, with a reply of sam's. */
  async function samsDiscussion() {
    await t.core.memberships.join(lightbulb.id, sam)
    const discussion = await t.core.discussions.start({
      communityId: lightbulb.id,
      author: sam,
      title: 'Lunch',
      body: 'Where?',
      format: 'slack',
      source: { platform: 'slack', channelId: 'C0LIGHT', messageId: '1700000000.000001' },
    })
    const reply = await t.core.replies.post({
      discussionId: discussion.id,
      author: sam,
      body: 'Anywhere',
      format: 'slack',
      source: {
        platform: 'slack',
        channelId: 'C0LIGHT',
        messageId: '1700000000.000002',
        threadId: '1700000000.000001',
      },
    })
    return { discussion, reply }
  }

  it('refuses Delete everywhere on someone else’s reply to a banned person with Manage Messages', async () => {
    const { discussion, reply } = await samsDiscussion()
    await t.core.memberships.join(lightbulb.id, jo)
    await t.core.memberships.ban(lightbulb.id, mark, jo)
    const answer = await commandSet.run(
      'delete',
      { message: 'https://light.slack.com/archives/C0LIGHT/p1700000000000002' },
      ctx(jo, true),
    )
    expect(answer.text).toMatch(/^You are not allowed to delete this reply/)
    const after = await t.handle.db
      .selectFrom('replies')
      .select(['body', 'deleted_at'])
      .where('id', '=', reply.id)
      .executeTakeFirstOrThrow()
    expect(after).toEqual({ body: 'Anywhere', deleted_at: null })
    // Nor the discussion itself.
    const whole = await commandSet.run(
      'delete',
      { message: 'https://light.slack.com/archives/C0LIGHT/p1700000000000001' },
      ctx(jo, true),
    )
    expect(whole.text).toMatch(/^You are not allowed to delete this discussion/)
    expect((await t.core.discussions.get(discussion.id)).deleted_at).toBeNull()
  })

  it('still lets an unbanned platform moderator delete it (the right is not taken from everyone)', async () => {
    await samsDiscussion()
    const answer = await commandSet.run(
      'delete',
      { message: 'https://light.slack.com/archives/C0LIGHT/p1700000000000002' },
      ctx(visitor, true),
    )
    expect(answer.text).toMatch(/^Deleted the reply/)
  })

  it('mirrors no reaction of a banned person, nor of a non-member', async () => {
    const { reply } = await samsDiscussion()
    await t.core.memberships.join(lightbulb.id, jo)
    await t.core.memberships.ban(lightbulb.id, mark, jo)
    const before = (await outboxEvents(t.handle)).length
    const react = (who: PlatformActor) =>
      t.core.react({
        discussionId: reply.discussion_id,
        replyId: reply.id,
        emoji: '👍',
        platform: who.platform,
        platformUserId: who.platformUserId,
        added: true,
      })
    expect(await react(jo)).toBe(false)
    expect(await react(visitor)).toBe(false)
    expect((await outboxEvents(t.handle)).slice(before)).toEqual([])
    // A member's is mirrored.
    expect(await react(sam)).toBe(true)
    expect((await outboxEvents(t.handle)).slice(before).map((e) => e.type)).toEqual(['reaction.changed'])
  })
})
