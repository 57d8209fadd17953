import { createHmac } from 'node:crypto'
import { sql } from 'kysely'
import { describe, expect, it } from 'vitest'
import { commandSet } from '../../commands/registry.ts'
import type { CommandContext } from '../../src/command/command.ts'
import { BannedError } from '../../src/errors.ts'
import type { PlatformActor } from '../../src/platform/platform.ts'
import { eventually, useBridge } from '../support/bridge-harness.ts'
import { control, controlAnswer } from '../support/control.ts'
import { useCore } from '../support/core-fixture.ts'
import { jo, lightbulb, mark, sam } from '../support/people.ts'
import { runOnDiscord } from '../support/run-command.ts'
import { targetName } from '../support/test-database.ts'

/**
 * Attack: a banned person lifts their own ban by erasing themselves. `/forget-me` removes every
 * membership with the accounts; without something kept, `/join` then takes them for someone new.
 * What is kept must be the least that enforces the ban: no name, no platform id in clear.
 */
describe(`a ban survives erasure (${targetName})`, () => {
  const t = useCore()

  const ctx = (actor: PlatformActor): CommandContext => ({
    core: t.core,
    community: { id: lightbulb.id, name: lightbulb.name },
    actor,
    platform: actor.platform,
    commandLine: (name) => (actor.platform === 'discord' ? `/${name}` : `/threadbridge ${name}`),
  })

  /** jo joins, is banned by mark, then erases themselves. */
  async function banThenErase(who: PlatformActor = jo) {
    await t.core.memberships.join(lightbulb.id, who)
    await t.core.memberships.ban(lightbulb.id, mark, who)
    expect(await t.core.eraseMember(who, lightbulb.id)).toBeDefined()
  }

  it('refuses /join after /forget-me', async () => {
    await banThenErase()
    await expect(t.core.memberships.join(lightbulb.id, jo)).rejects.toBeInstanceOf(BannedError)
    const answer = await commandSet.run('join', {}, ctx(jo))
    expect(answer.text).toBe('You have been banned from Lightbulb Moment.')
  })

  it('is told they are banned by a members’ or a moderators’ command after /forget-me', async () => {
    await banThenErase()
    const answer = await commandSet.run('subscribe', {}, ctx(jo))
    expect(answer.text).toBe('You have been banned from Lightbulb Moment.')
    // A moderators' command says so too, whatever the platform's rights.
    const moderating = await commandSet.run('lock', {}, { ...ctx(jo), platformModerator: true })
    expect(moderating.text).toBe('You are banned from Lightbulb Moment, so you cannot run /lock.')
  })

  it('cannot become a member another way: linking to a member’s account is refused', async () => {
    await banThenErase()
    // sam is a member on Slack; jo's erased Discord account asks to be linked under sam's member,
    // which would make it a member again. Its ban mark refuses the link at every step.
    await t.core.memberships.join(lightbulb.id, sam)
    const { code } = await t.core.accountLinks.createCode(sam)
    await expect(t.core.accountLinks.enter(jo, code)).rejects.toMatchObject({ reason: 'banned' })
    await expect(t.core.accountLinks.createCode(jo)).rejects.toMatchObject({ reason: 'banned' })
    expect(await t.core.accountLinks.linkedTo(sam)).toBeUndefined()
    expect(await t.core.memberships.isBanned(lightbulb.id, jo)).toBe(true)
  })

  it('is not made a moderator again by the configuration after erasing themselves', async () => {
    await banThenErase()
    const applied = await t.core.applyConfig([
      {
        ...lightbulb,
        moderators: [...lightbulb.moderators, { platform: 'discord', userId: jo.platformUserId }],
      },
    ])
    expect(applied.bannedModerators).toEqual([
      { communityId: lightbulb.id, platform: 'discord', userId: jo.platformUserId },
    ])
    expect((await t.core.memberships.get(lightbulb.id, jo))?.status).not.toBe('joined')
  })

  it('keeps nothing that names them: no id, no name in clear', async () => {
    await banThenErase()
    const found = await sql<{ row: string }>`
      select r::text as row from ban_marks as r`.execute(t.handle.db)
    expect(found.rows).toHaveLength(1)
    expect(found.rows[0]?.row).not.toContain(jo.platformUserId)
    expect(found.rows[0]?.row).not.toContain(jo.displayName)
    // The mark is HMAC-SHA256 of "<platform>:<id>" under the install's key (RFC 2104, as node computes it).
    const key = await t.handle.db.selectFrom('ban_mark_key').select('inner_pad').executeTakeFirstOrThrow()
    const secret = Buffer.from(Buffer.from(key.inner_pad).map((b) => b ^ 0x36))
    const mark = await t.handle.db.selectFrom('ban_marks').select('account_hash').executeTakeFirstOrThrow()
    expect(Buffer.from(mark.account_hash).toString('hex')).toBe(
      createHmac('sha256', secret).update(`discord:${jo.platformUserId}`).digest('hex'),
    )
  })

  it('is lifted by unban, naming the account: they may join again', async () => {
    await banThenErase()
    expect(await t.core.memberships.unban(lightbulb.id, mark, jo)).toEqual({ wasBanned: true })
    await expect(t.core.memberships.join(lightbulb.id, jo)).resolves.toMatchObject({ alreadyMember: false })
  })

  it('holds per community, and never for someone who was not banned', async () => {
    await t.core.memberships.join(lightbulb.id, sam)
    expect(await t.core.eraseMember(sam, lightbulb.id)).toBeDefined()
    await expect(t.core.memberships.join(lightbulb.id, sam)).resolves.toMatchObject({ alreadyMember: false })
    const marks = await sql<{ n: number }>`select count(*)::int as n from ban_marks`.execute(t.handle.db)
    expect(marks.rows[0]?.n).toBe(0)
  })
})

/** The same attack as a person makes it: real clients, the sandbox, the real database. */
describe('a ban survives erasure (real clients, sandbox)', () => {
  const t = useBridge()

  it('refuses /join to a banned person who ran /forget-me and pressed Erase me', async () => {
    const { jo: joId, mark: markId } = t.sandbox.discordSeed.users
    const general = t.sandbox.discordSeed.generalId
    // jo is a member of the seeded community.
    expect(await runOnDiscord(t, markId, 'ban', { user: joId }, general)).toContain('Banned')

    const asked = await control<any>(t.discordUrl, 'POST', '/interactions', {
      user_id: joId,
      channel_id: general,
      name: 'forget-me',
    })
    expect(asked.answered).toBe(true)
    const answer = (await control<any[]>(t.discordUrl, 'GET', `/shown/${joId}`)).at(-1)
    const erase = answer.components
      .flatMap((row: any) => row.components)
      .find((b: any) => b.label === 'Erase me')
    const pressed = await controlAnswer<any>(
      t.discordUrl,
      'POST',
      `/channels/${answer.channel_id}/messages/${answer.message_id}/click`,
      { user_id: joId, custom_id: erase.custom_id },
    )
    expect(pressed.status).toBe(200)
    await eventually(
      async () =>
        (await control<any[]>(t.discordUrl, 'GET', `/shown/${joId}`)).filter(
          (s) => s.message_id === answer.message_id && s.kind === 'edit',
        ),
      (edits) => String(edits.at(-1)?.content).startsWith('Erased:'),
    )

    expect(await runOnDiscord(t, joId, 'join', {}, general)).toBe(
      'You have been banned from Lightbulb Moment.',
    )
    const membership = await t.database.db
      .selectFrom('memberships')
      .innerJoin('identities', 'identities.member_id', 'memberships.member_id')
      .select('memberships.status')
      .where('identities.platform_user_id', '=', joId)
      .executeTakeFirst()
    expect(membership?.status).not.toBe('joined')
  })
})
