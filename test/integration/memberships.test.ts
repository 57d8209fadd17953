import { describe, expect, it } from 'vitest'
import { BannedError, NotAMemberError, PermissionDeniedError } from '../../src/errors.ts'
import { outboxEvents, useCore } from '../support/core-fixture.ts'
import { jo, lightbulb, mark, sam, slackTwinOfJo, visitor } from '../support/people.ts'
import { targetName } from '../support/test-database.ts'

describe(`memberships (${targetName})`, () => {
  const t = useCore()

  it('joining makes a member; joining again is a no-op, not an error', async () => {
    const first = await t.core.memberships.join(lightbulb.id, jo)
    const again = await t.core.memberships.join(lightbulb.id, jo)
    expect(first.alreadyMember).toBe(false)
    expect(again).toEqual({ memberId: first.memberId, alreadyMember: true })
    expect((await t.core.memberships.get(lightbulb.id, jo))?.status).toBe('joined')
  })

  it('namespaces platform ids: a Slack user with a Discord user id string is someone else', async () => {
    const discordJo = await t.core.memberships.join(lightbulb.id, jo)
    expect(await t.core.memberships.get(lightbulb.id, slackTwinOfJo)).toBeUndefined()
    const slackPerson = await t.core.memberships.join(lightbulb.id, slackTwinOfJo)
    expect(slackPerson.memberId).not.toBe(discordJo.memberId)
  })

  it('grants the configured moderators their role', async () => {
    const membership = await t.core.memberships.get(lightbulb.id, mark)
    expect(membership).toMatchObject({ status: 'joined', role: 'moderator' })
  })

  it('a moderator bans a member, who can then neither post nor rejoin', async () => {
    await t.core.memberships.join(lightbulb.id, jo)
    await t.core.memberships.ban(lightbulb.id, mark, jo, 'spam')

    await expect(t.core.memberships.join(lightbulb.id, jo)).rejects.toBeInstanceOf(BannedError)
    await expect(
      t.core.discussions.start({
        communityId: lightbulb.id,
        author: jo,
        title: 'Hi',
        body: 'again',
        format: 'plain',
      }),
    ).rejects.toMatchObject({ code: 'banned' })
    await t.core.memberships.leave(lightbulb.id, jo)
    expect((await t.core.memberships.get(lightbulb.id, jo))?.status).toBe('banned')

    const audit = await t.handle.db.selectFrom('moderation_actions').selectAll().execute()
    expect(audit).toMatchObject([{ action: 'ban', reason: 'spam' }])
  })

  it('someone banned before they ever joined cannot join', async () => {
    await t.core.memberships.ban(lightbulb.id, mark, visitor)
    await expect(t.core.memberships.join(lightbulb.id, visitor)).rejects.toMatchObject({
      code: 'banned',
      message: 'You have been banned from Lightbulb Moment.',
    })
  })

  it('only moderators ban, checked against our records when the action runs', async () => {
    await t.core.memberships.join(lightbulb.id, jo)
    await t.core.memberships.join(lightbulb.id, sam)
    await expect(t.core.memberships.ban(lightbulb.id, jo, sam)).rejects.toBeInstanceOf(PermissionDeniedError)
    expect((await t.core.memberships.get(lightbulb.id, sam))?.status).toBe('joined')
  })

  it('a moderator is banned only once removed as one, and an unbanned person must join again', async () => {
    await t.core.memberships.grantModerator(lightbulb.id, sam, mark)
    await expect(t.core.memberships.ban(lightbulb.id, mark, sam)).rejects.toThrow(
      'You are not allowed to ban a moderator: remove them as a moderator first',
    )
    expect(await t.core.memberships.get(lightbulb.id, sam)).toMatchObject({
      status: 'joined',
      role: 'moderator',
    })
    await t.core.moderators.remove(lightbulb.id, mark, sam)
    expect(await t.core.memberships.ban(lightbulb.id, mark, sam)).toEqual({ alreadyBanned: false })
    expect(await t.core.memberships.ban(lightbulb.id, mark, sam)).toEqual({ alreadyBanned: true })
    await expect(t.core.memberships.ban(lightbulb.id, sam, jo)).rejects.toBeInstanceOf(PermissionDeniedError)
    await t.core.memberships.unban(lightbulb.id, mark, sam)
    expect(await t.core.memberships.get(lightbulb.id, sam)).toMatchObject({ status: 'left', role: 'member' })
    await expect(
      t.core.discussions.start({
        communityId: lightbulb.id,
        author: sam,
        title: 'Hi',
        body: 'x',
        format: 'slack',
      }),
    ).rejects.toBeInstanceOf(NotAMemberError)
    await t.core.memberships.join(lightbulb.id, sam)
    expect((await t.core.memberships.get(lightbulb.id, sam))?.status).toBe('joined')
  })

  it('leaves a configured moderator whom a moderator banned banned, and says so, rather than fail to start', async () => {
    // Banned before the configuration named them: the configuration does not undo a ban.
    await t.core.memberships.ban(lightbulb.id, mark, jo)
    const applied = await t.core.applyConfig([
      {
        ...lightbulb,
        moderators: [...lightbulb.moderators, { platform: 'discord', userId: jo.platformUserId }],
      },
    ])
    expect(applied.bannedModerators).toEqual([
      { communityId: lightbulb.id, platform: 'discord', userId: jo.platformUserId },
    ])
    expect(await t.core.memberships.get(lightbulb.id, jo)).toMatchObject({ status: 'banned', role: 'member' })
  })

  it('writes an outbox event for each membership change', async () => {
    const before = (await outboxEvents(t.handle)).length
    await t.core.memberships.join(lightbulb.id, jo)
    await t.core.memberships.leave(lightbulb.id, jo)
    const events = (await outboxEvents(t.handle)).slice(before)
    expect(events.map((e) => [e.type, e.status])).toEqual([
      ['membership.changed', 'joined'],
      ['membership.changed', 'left'],
    ])
  })

  it('keeps a person’s display name current when they rename themselves', async () => {
    await t.core.memberships.join(lightbulb.id, jo)
    await t.core.memberships.join(lightbulb.id, {
      ...jo,
      displayName: 'Jo B',
      avatarUrl: 'https://cdn.example/jo.png',
    })
    const identity = await t.handle.db
      .selectFrom('identities')
      .select(['display_name', 'avatar_url'])
      .where('platform', '=', 'discord')
      .where('platform_user_id', '=', jo.platformUserId)
      .executeTakeFirstOrThrow()
    expect(identity).toEqual({ display_name: 'Jo B', avatar_url: 'https://cdn.example/jo.png' })
  })
})
