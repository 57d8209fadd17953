import { describe, expect, it } from 'vitest'
import { NotFoundError } from '../../src/errors.ts'
import { useCore } from '../support/core-fixture.ts'
import { lightbulb, mark } from '../support/people.ts'
import { targetName } from '../support/test-database.ts'

describe(`communities from configuration (${targetName})`, () => {
  const t = useCore()
  const second = {
    id: 'second-community',
    name: 'Second Community',
    discord: { guildId: '900000000000000001', channelId: '900000000000000099' },
    moderators: [],
  }

  it('serves several communities, each routed by its bridged channels', async () => {
    await t.core.applyConfig([lightbulb, second])
    expect((await t.core.communities.list()).map((c) => c.name)).toEqual([
      'Lightbulb Moment',
      'Second Community',
    ])
    expect((await t.core.communities.findByChannel('slack', lightbulb.slack.channelId))?.id).toBe(
      lightbulb.id,
    )
    expect((await t.core.communities.findByChannel('discord', second.discord.channelId))?.id).toBe(second.id)
    // A Slack channel id is not a Discord channel id, even when the strings match.
    expect(await t.core.communities.findByChannel('discord', lightbulb.slack.channelId)).toBeUndefined()
  })

  it('follows the configuration when a community is renamed or its channels move', async () => {
    await t.core.applyConfig([{ ...lightbulb, name: 'Lightbulb Moments', slack: undefined }])
    expect((await t.core.communities.get(lightbulb.id)).name).toBe('Lightbulb Moments')
    expect(await t.core.communities.bridges(lightbulb.id)).toEqual([
      { platform: 'discord', workspaceId: lightbulb.discord.guildId, channelId: lightbulb.discord.channelId },
    ])
    // Re-applying keeps the moderators it granted.
    expect((await t.core.memberships.get(lightbulb.id, mark))?.role).toBe('moderator')
  })

  it('names a configured moderator by id until they act, and keeps their name across restarts', async () => {
    const nameOf = async () =>
      (await t.core.findAccounts('discord', { id: mark.platformUserId }))[0]?.displayName
    await t.core.applyConfig([lightbulb])
    expect(await nameOf()).toBe(mark.platformUserId)
    await t.core.memberships.join(lightbulb.id, { ...mark, avatarUrl: 'https://cdn.example/mark.png' })
    expect(await nameOf()).toBe('mark')
    // A restart applies the configuration again: mark stays mark, avatar and all.
    await t.core.applyConfig([lightbulb])
    const identity = await t.handle.db
      .selectFrom('identities')
      .select(['display_name', 'avatar_url'])
      .where('platform_user_id', '=', mark.platformUserId)
      .executeTakeFirst()
    expect(identity).toEqual({ display_name: 'mark', avatar_url: 'https://cdn.example/mark.png' })
    // So does an event whose author the platform could not name just then.
    await t.core.memberships.join(lightbulb.id, {
      ...mark,
      displayName: mark.platformUserId,
      nameUnknown: true,
    })
    expect(await nameOf()).toBe('mark')
  })

  it('refuses a channel bridged to two communities', async () => {
    await expect(t.core.applyConfig([lightbulb, { ...second, discord: lightbulb.discord }])).rejects.toThrow(
      /duplicate key/,
    )
  })

  it('reports an unknown community as not found', async () => {
    await expect(t.core.communities.get('nope')).rejects.toBeInstanceOf(NotFoundError)
  })
})
