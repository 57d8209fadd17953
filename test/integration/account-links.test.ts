import { describe, expect, it } from 'vitest'
import { readMirrorContent } from '../../src/discussions/mirror-content.ts'
import { AccountLinkError, type AccountLinkRefusal } from '../../src/errors.ts'
import { LINK_CODE_TTL_MS } from '../../src/members/account-links.ts'
import { linkedAccountIds } from '../../src/members/linked-accounts.ts'
import type { PlatformActor } from '../../src/platform/platform.ts'
import { useCore } from '../support/core-fixture.ts'
import { alex, jo, lightbulb, mark, sam, visitor } from '../support/people.ts'
import { targetName } from '../support/test-database.ts'

describe(`account links (${targetName})`, () => {
  const t = useCore()

  const memberOf = async (actor: PlatformActor) =>
    (
      await t.handle.db
        .selectFrom('identities')
        .select('member_id')
        .where('platform', '=', actor.platform)
        .where('platform_user_id', '=', actor.platformUserId)
        .executeTakeFirstOrThrow()
    ).member_id
  const refusal = async (attempt: Promise<unknown>): Promise<AccountLinkRefusal> => {
    const error = await attempt.then(
      () => undefined,
      (thrown: unknown) => thrown,
    )
    expect(error).toBeInstanceOf(AccountLinkError)
    return (error as AccountLinkError).reason
  }
  const link = async (maker: PlatformActor, enterer: PlatformActor) => {
    const { code } = await t.core.accountLinks.createCode(maker)
    return enterAndConfirm(maker, enterer, code)
  }
  /** `enterer` enters `maker`'s code and `maker` confirms: the two are linked. */
  const enterAndConfirm = async (maker: PlatformActor, enterer: PlatformActor, code: string) => {
    const entered = await t.core.accountLinks.enter(enterer, code)
    await t.core.accountLinks.confirm(maker, enterer, lightbulb.id)
    return entered
  }
  const start = (author: PlatformActor, title: string) =>
    t.core.discussions.start({ communityId: lightbulb.id, author, title, body: 'Body', format: 'plain' })

  it('hands out an easy-to-type code valid for 10 minutes, and keeps only its hash', async () => {
    const { code, expiresAt } = await t.core.accountLinks.createCode(jo)
    expect(code).toMatch(/^[A-HJ-NP-Z2-9]{6,8}$/)
    expect(expiresAt.getTime() - t.clock.now().getTime()).toBe(LINK_CODE_TTL_MS)
    const stored = await t.handle.db.selectFrom('link_codes').selectAll().execute()
    expect(stored).toHaveLength(1)
    expect(JSON.stringify(stored)).not.toContain(code)
  })

  it('makes two accounts one member, and the stricter membership wins: one who left stays out', async () => {
    await t.core.memberships.join(lightbulb.id, jo)
    await t.core.memberships.join(lightbulb.id, sam)
    await t.core.memberships.leave(lightbulb.id, sam)

    const linked = await link(jo, sam)
    expect(linked).toEqual({ platform: 'discord', platformUserId: jo.platformUserId, displayName: 'jo' })
    expect(await memberOf(sam)).toBe(await memberOf(jo))
    expect((await t.core.memberships.get(lightbulb.id, jo))?.status).toBe('left')
    expect((await t.core.memberships.get(lightbulb.id, sam))?.status).toBe('left')
    expect(await t.core.accountLinks.linkedTo(jo)).toMatchObject({
      platform: 'slack',
      platformUserId: 'U0SAM',
    })
  })

  // A banned account is never linked (its merge would ban whoever it joined, a moderator
  // included): not by making a code, nor entering one, nor confirming, on either side.
  it('refuses to link a banned account, whichever side it is on, and the ban stays', async () => {
    await t.core.memberships.join(lightbulb.id, jo)
    await t.core.memberships.join(lightbulb.id, sam)
    const fromJo = await t.core.accountLinks.createCode(jo)
    const fromSam = await t.core.accountLinks.createCode(sam)
    await t.core.memberships.ban(lightbulb.id, mark, sam, 'spam')

    expect(await refusal(t.core.accountLinks.createCode(sam))).toBe('banned')
    expect(await refusal(t.core.accountLinks.enter(sam, fromJo.code))).toBe('banned')
    expect(await refusal(t.core.accountLinks.enter(jo, fromSam.code))).toBe('banned')
    expect(await memberOf(sam)).not.toBe(await memberOf(jo))
    expect((await t.core.memberships.get(lightbulb.id, sam))?.status).toBe('banned')
    expect((await t.core.memberships.get(lightbulb.id, jo))?.status).toBe('joined')
    // The refusals left jo's code as it was: someone not banned may still enter it.
    await enterAndConfirm(jo, alex, fromJo.code)
    expect(await memberOf(alex)).toBe(await memberOf(jo))
  })

  it('refuses the confirmation when a ban came after the code was entered, and a moderator stays one', async () => {
    await t.core.memberships.join(lightbulb.id, visitor)
    await t.core.memberships.join(lightbulb.id, alex)
    const { code } = await t.core.accountLinks.createCode(visitor)
    await t.core.accountLinks.enter(alex, code)
    await t.core.memberships.ban(lightbulb.id, mark, visitor)
    expect(await refusal(t.core.accountLinks.confirm(visitor, alex, lightbulb.id))).toBe('banned')
    expect(await memberOf(alex)).not.toBe(await memberOf(visitor))
    expect((await t.core.memberships.get(lightbulb.id, visitor))?.status).toBe('banned')
    expect((await t.core.memberships.get(lightbulb.id, alex))?.status).toBe('joined')

    await t.core.memberships.join(lightbulb.id, sam)
    await link(sam, mark) // mark, a moderator on Discord, enters the code Slack's sam made
    expect(await t.core.memberships.get(lightbulb.id, sam)).toMatchObject({
      status: 'joined',
      role: 'moderator',
    })
  })

  it('merges preferences (the more recently set win) and subscriptions (muted beats watching)', async () => {
    await t.core.memberships.join(lightbulb.id, jo)
    await t.core.memberships.join(lightbulb.id, sam)
    const discussion = await start(jo, 'Watched by jo, muted by sam')
    await t.core.subscriptions.setPreferences(jo, { timezone: 'Europe/London', digestHour: 7 })
    t.clock.advance(60_000)
    await t.core.subscriptions.setPreferences(sam, { timezone: 'America/Chicago', digestFrequency: 'weekly' })
    await t.core.subscriptions.unsubscribe(sam, { discussionId: discussion.id })
    await t.core.subscriptions.subscribe(sam, { communityId: lightbulb.id })

    await link(jo, sam)
    const memberId = await memberOf(jo)
    expect(await t.core.subscriptions.preferences(jo)).toMatchObject({
      member_id: memberId,
      timezone: 'America/Chicago',
      digest_frequency: 'weekly',
    })
    const subscriptions = await t.handle.db
      .selectFrom('subscriptions')
      .select(['member_id', 'discussion_id', 'community_id', 'level'])
      .orderBy('level')
      .execute()
    expect(subscriptions).toEqual([
      { member_id: memberId, discussion_id: discussion.id, community_id: null, level: 'muted' },
      { member_id: memberId, discussion_id: null, community_id: lightbulb.id, level: 'watching' },
    ])
    expect(await t.core.subscriptions.watchers(discussion.id)).toEqual([])
  })

  it('keeps content under the account it was written from, before and after linking', async () => {
    await t.core.memberships.join(lightbulb.id, jo)
    await t.core.memberships.join(lightbulb.id, sam)
    const discussion = await start(jo, 'Who wrote what')
    const before = await t.core.replies.post({
      discussionId: discussion.id,
      author: sam,
      body: 'a',
      format: 'slack',
    })
    await link(jo, sam)
    const after = await t.core.replies.post({
      discussionId: discussion.id,
      author: sam,
      body: 'b',
      format: 'slack',
    })
    const fromDiscord = await t.core.replies.post({
      discussionId: discussion.id,
      author: jo,
      body: 'c',
      format: 'discord',
    })

    const shownAs = async (replyId: string) =>
      (await readMirrorContent(t.handle.db, { discussionId: discussion.id, replyId })).author
    expect(await shownAs(before.id)).toMatchObject({ displayName: 'sam', platform: 'slack' })
    expect(await shownAs(after.id)).toMatchObject({ displayName: 'sam', platform: 'slack' })
    expect(await shownAs(fromDiscord.id)).toMatchObject({ displayName: 'jo', platform: 'discord' })
    // One person now: sam may edit from Discord what they wrote on Slack before linking.
    await t.core.replies.edit({ replyId: before.id, editor: jo, body: 'a, edited' })
  })

  it('refuses an expired code, and takes one a moment before it expires', async () => {
    const { code } = await t.core.accountLinks.createCode(jo)
    t.clock.advance(LINK_CODE_TTL_MS)
    expect(await refusal(t.core.accountLinks.enter(sam, code))).toBe('expired_code')

    const fresh = await t.core.accountLinks.createCode(jo)
    t.clock.advance(LINK_CODE_TTL_MS - 1)
    await enterAndConfirm(jo, sam, fresh.code.toLowerCase())
    expect(await memberOf(sam)).toBe(await memberOf(jo))
  })

  it('refuses a used code, even to two people entering it at the same moment', async () => {
    await t.core.memberships.join(lightbulb.id, sam)
    await t.core.memberships.join(lightbulb.id, alex)
    const { code } = await t.core.accountLinks.createCode(jo)
    const outcomes = await Promise.allSettled([
      t.core.accountLinks.enter(sam, code),
      t.core.accountLinks.enter(alex, code),
    ])
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1)
    await t.core.accountLinks.confirm(jo, outcomes[0]?.status === 'fulfilled' ? sam : alex, lightbulb.id)
    const [refused] = outcomes.filter((o) => o.status === 'rejected')
    expect((refused as PromiseRejectedResult).reason).toMatchObject({ reason: 'used_code' })
    const [sams, alexs, jos] = await Promise.all([memberOf(sam), memberOf(alex), memberOf(jo)])
    expect([sams, alexs].filter((id) => id === jos)).toHaveLength(1)

    expect(await refusal(t.core.accountLinks.enter(visitor, code))).toBe('same_platform')
    expect(await refusal(t.core.accountLinks.enter(alex, code))).toMatch(/used_code|already_linked/)
  })

  it('refuses a code from the same platform, an unknown code, and an account linked to itself', async () => {
    const { code } = await t.core.accountLinks.createCode(jo)
    expect(await refusal(t.core.accountLinks.enter(mark, code))).toBe('same_platform')
    expect(await refusal(t.core.accountLinks.enter(jo, code))).toBe('self_link')
    expect(await refusal(t.core.accountLinks.enter(sam, 'ABCD2345'))).toBe('unknown_code')
    // None of those used the code up.
    await enterAndConfirm(jo, sam, code)
  })

  it('refuses to link an account already linked to someone else, either way', async () => {
    await link(jo, sam)
    expect(await refusal(t.core.accountLinks.createCode(jo))).toBe('already_linked')
    expect(await refusal(t.core.accountLinks.createCode(sam))).toBe('already_linked')
    const fromAlex = await t.core.accountLinks.createCode(alex)
    expect(await refusal(t.core.accountLinks.enter(jo, fromAlex.code))).toBe('linked_elsewhere')
    const fromMark = await t.core.accountLinks.createCode(mark)
    expect(await refusal(t.core.accountLinks.enter(sam, fromMark.code))).toBe('linked_elsewhere')
    // mark's code is still good for someone free to take it.
    await enterAndConfirm(mark, alex, fromMark.code)
  })

  it('unlinks back into two people, each keeping what they had together, a ban included', async () => {
    await t.core.memberships.join(lightbulb.id, jo)
    await t.core.memberships.join(lightbulb.id, sam)
    const discussion = await start(jo, 'Split')
    const samBefore = await memberOf(sam)
    const bySam = await t.core.replies.post({
      discussionId: discussion.id,
      author: sam,
      body: 'a',
      format: 'slack',
    })
    await link(jo, sam)
    await t.core.subscriptions.setPreferences(jo, { timezone: 'Asia/Tokyo' })
    await t.core.memberships.ban(lightbulb.id, mark, jo)

    expect(await t.core.accountLinks.unlink(sam, lightbulb.id)).toMatchObject({
      platform: 'discord',
      platformUserId: jo.platformUserId,
    })
    expect(await memberOf(sam)).toBe(samBefore)
    expect(await memberOf(jo)).not.toBe(samBefore)
    expect((await t.core.memberships.get(lightbulb.id, sam))?.status).toBe('banned')
    expect((await t.core.memberships.get(lightbulb.id, jo))?.status).toBe('banned')
    expect((await t.core.subscriptions.preferences(sam)).timezone).toBe('Asia/Tokyo')
    const reply = await t.handle.db
      .selectFrom('replies')
      .select('author_member_id')
      .where('id', '=', bySam.id)
      .executeTakeFirstOrThrow()
    expect(reply.author_member_id).toBe(samBefore)
    expect(await t.core.accountLinks.linkedTo(jo)).toBeUndefined()
    expect(await refusal(t.core.accountLinks.unlink(jo, lightbulb.id))).toBe('not_linked')
    // Banned, neither may link again; once both bans are lifted, they can.
    expect(await refusal(t.core.accountLinks.createCode(sam))).toBe('banned')
    await t.core.memberships.unban(lightbulb.id, mark, sam)
    await t.core.memberships.unban(lightbulb.id, mark, jo)
    await link(sam, jo)
  })

  it('never leaves a moderator’s role on the account split off by unlinking', async () => {
    await t.core.memberships.join(lightbulb.id, alex)
    await link(mark, alex)
    expect((await t.core.memberships.get(lightbulb.id, alex))?.role).toBe('moderator')
    await t.core.accountLinks.unlink(alex, lightbulb.id)
    expect((await t.core.memberships.get(lightbulb.id, mark))?.role).toBe('moderator')
    expect((await t.core.memberships.get(lightbulb.id, alex))?.role).toBe('member')
  })

  it('finds the linked account behind a mention, both ways, and nothing for the unlinked', async () => {
    await link(jo, sam)
    const ids = [jo.platformUserId, mark.platformUserId]
    expect(await linkedAccountIds(t.handle.db, 'discord', 'slack', ids)).toEqual(
      new Map([[jo.platformUserId, sam.platformUserId]]),
    )
    expect(await linkedAccountIds(t.handle.db, 'slack', 'discord', ['U0SAM', 'U0ALEX'])).toEqual(
      new Map([['U0SAM', jo.platformUserId]]),
    )
    await t.core.accountLinks.unlink(jo, lightbulb.id)
    expect(await linkedAccountIds(t.handle.db, 'discord', 'slack', ids)).toEqual(new Map())
  })
})
