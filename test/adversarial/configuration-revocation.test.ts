import { describe, expect, it } from 'vitest'
import { commandSet } from '../../commands/registry.ts'
import { useCore } from '../support/core-fixture.ts'
import { jo, lightbulb, mark, sam } from '../support/people.ts'
import { targetName } from '../support/test-database.ts'

/**
 * Attack 6: taking someone out of the configuration revoked nothing. A moderator removed from the
 * file kept the role; a community removed from the file kept bridging both ways. The
 * configuration is the truth at each start, and each revocation is audited.
 */
describe(`the configuration is the truth at each start (${targetName})`, () => {
  const t = useCore()
  const second = {
    id: 'second-community',
    name: 'Second Community',
    discord: { guildId: '900000000000000001', channelId: '900000000000000099' },
    moderators: [],
  }
  const role = async (who: typeof jo) => (await t.core.memberships.get(lightbulb.id, who))?.role
  const auditRows = () =>
    t.handle.db
      .selectFrom('moderation_actions')
      .select(['community_id', 'action', 'actor_name', 'target_member_id'])
      .where('actor_name', '=', 'the configuration')
      .orderBy('created_at')
      .orderBy('action')
      .execute()

  it('takes the role from a moderator the file no longer names, and audits it', async () => {
    expect(await role(mark)).toBe('moderator')
    const applied = await t.core.applyConfig([{ ...lightbulb, moderators: [] }])
    expect(await role(mark)).toBe('member')
    expect((await t.core.memberships.get(lightbulb.id, mark))?.status).toBe('joined')
    expect(applied.revoked.moderators).toEqual([
      expect.objectContaining({
        communityId: lightbulb.id,
        accounts: [{ platform: 'discord', userId: mark.platformUserId }],
      }),
    ])
    expect(await auditRows()).toEqual([expect.objectContaining({ action: 'revoke_moderator' })])
    // Named again, they are one again.
    await t.core.applyConfig([lightbulb])
    expect(await role(mark)).toBe('moderator')
  })

  it('audits what the file gives back after taking it, as restored, once', async () => {
    // Named for the first time: nothing was taken, so nothing is restored.
    expect((await t.core.applyConfig([lightbulb, second])).restored).toEqual({
      moderators: [],
      rebridged: [],
    })
    t.clock.advance(60_000)
    await t.core.applyConfig([{ ...lightbulb, moderators: [] }])
    t.clock.advance(60_000)
    const applied = await t.core.applyConfig([lightbulb, second])
    expect(await role(mark)).toBe('moderator')
    expect(applied.restored.moderators).toEqual([
      expect.objectContaining({
        communityId: lightbulb.id,
        accounts: [{ platform: 'discord', userId: mark.platformUserId }],
      }),
    ])
    expect(applied.restored.rebridged).toEqual([second.id])
    expect((await auditRows()).map((row) => [row.community_id, row.action])).toEqual([
      [lightbulb.id, 'revoke_moderator'],
      [second.id, 'unbridge'],
      [second.id, 'rebridge'],
      [lightbulb.id, 'restore_moderator'],
    ])
    // The audit says it in words, beside the revocation it undoes.
    const audit = await commandSet.run(
      'audit',
      {},
      {
        core: t.core,
        community: { id: lightbulb.id, name: lightbulb.name },
        actor: mark,
        platform: 'discord',
        commandLine: (name) => `/${name}`,
      },
    )
    expect(audit.text).toMatch(
      / · `the configuration`: made moderator again: .+ \(`in the configuration again`\)$/m,
    )
    expect(audit.text).toMatch(
      / · `the configuration`: removed moderator: .+ \(`no longer in the configuration`\)$/m,
    )
    // A start that changes nothing restores nothing more.
    expect((await t.core.applyConfig([lightbulb, second])).restored).toEqual({
      moderators: [],
      rebridged: [],
    })
    expect(await auditRows()).toHaveLength(4)
  })

  it('leaves appointed moderators theirs', async () => {
    await t.core.memberships.join(lightbulb.id, sam)
    await t.core.moderators.appoint(lightbulb.id, mark, sam)
    await t.core.applyConfig([{ ...lightbulb, moderators: [] }])
    expect(await role(sam)).toBe('moderator')
    expect(await role(mark)).toBe('member')
  })

  it('stops bridging a community no longer in the file, keeping its records', async () => {
    await t.core.applyConfig([lightbulb, second])
    expect((await t.core.communities.findByChannel('discord', second.discord.channelId))?.id).toBe(second.id)
    const applied = await t.core.applyConfig([lightbulb])
    expect(applied.revoked.unbridged).toEqual([second.id])
    expect(await t.core.communities.findByChannel('discord', second.discord.channelId)).toBeUndefined()
    expect(await t.core.communities.bridges(second.id)).toEqual([])
    expect((await t.core.communities.get(second.id)).name).toBe('Second Community')
    expect(await auditRows()).toEqual([
      expect.objectContaining({ community_id: second.id, action: 'unbridge' }),
    ])
    // A second start has nothing more to take back.
    expect((await t.core.applyConfig([lightbulb])).revoked).toEqual({ moderators: [], unbridged: [] })
  })

  it('does not take the role from someone both appointed and then named, when the file drops them', async () => {
    await t.core.memberships.join(lightbulb.id, jo)
    await t.core.moderators.appoint(lightbulb.id, mark, jo)
    await t.core.applyConfig([
      {
        ...lightbulb,
        moderators: [...lightbulb.moderators, { platform: 'discord', userId: jo.platformUserId }],
      },
    ])
    await t.core.applyConfig([lightbulb])
    expect(await role(jo)).toBe('moderator')
  })
})
