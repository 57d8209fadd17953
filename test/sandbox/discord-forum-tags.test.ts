import { ChannelFlags, type Client, DiscordAPIError, type ForumChannel } from 'discord.js'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { DiscordEmulator } from '../../sandbox/discord/discord-emulator.ts'
import { type DiscordSeed, seedDiscord } from '../../sandbox/discord/discord-seed.ts'
import { control, controlAnswer } from '../support/control.ts'
import { connectDiscordClient } from '../support/discord-client.ts'

/**
 * A forum with "Require people to select tags when posting" carries the channel flag REQUIRE_TAG
 * (1 << 4: "whether a tag is required to be specified when creating a thread in a GUILD_FORUM or a
 * GUILD_MEDIA channel. Tags are specified in the applied_tags field",
 * https://discord.com/developers/docs/resources/channel#channel-object-channel-flags). Discord
 * refuses a post without one with JSON error 40067, "A tag is required to create a forum post in
 * this channel" (https://discord.com/developers/docs/topics/opcodes-and-status-codes#json), through
 * every way a post is made: the bot's own, its webhook's, and a person's.
 */
describe('Discord emulator: a forum that requires tags', () => {
  let emulator: DiscordEmulator
  let seed: DiscordSeed
  let client: Client

  beforeEach(async () => {
    emulator = new DiscordEmulator({ heartbeatIntervalMs: 1000 })
    seed = seedDiscord(emulator.state)
    await emulator.start()
    client = await connectDiscordClient(emulator)
  })
  afterEach(async () => {
    await client.destroy()
    await emulator.stop()
  })

  /** An admin turns on Require tags in the forum's settings, with one tag to choose. */
  const requireTags = async () => {
    const forum = await control<any>(emulator.url, 'PATCH', `/channels/${seed.forumId}`, {
      flags: ChannelFlags.RequireTag,
      available_tags: [{ name: 'Question' }],
    })
    return forum.available_tags[0].id as string
  }
  const refusal = (error: unknown) =>
    error instanceof DiscordAPIError
      ? { status: error.status, code: error.code, message: error.message }
      : error

  it('shows the flag and the tags on the forum', async () => {
    const tagId = await requireTags()
    const forum = (await client.channels.fetch(seed.forumId, { force: true })) as ForumChannel
    expect(forum.flags.has(ChannelFlags.RequireTag)).toBe(true)
    expect(forum.availableTags.map((tag) => [tag.id, tag.name])).toEqual([[tagId, 'Question']])
  })

  it('refuses the bot’s post and its webhook’s without a tag, with 40067, and takes one with a tag', async () => {
    const tagId = await requireTags()
    const forum = (await client.channels.fetch(seed.forumId)) as ForumChannel
    const tagRequired = {
      status: 400,
      code: 40067,
      message: 'A tag is required to create a forum post in this channel',
    }
    const untagged = await forum.threads
      .create({ name: 'Untagged', message: { content: 'Hello' } })
      .catch(refusal)
    expect(untagged).toEqual(tagRequired)
    const webhook = await forum.createWebhook({ name: 'Threadbridge' })
    const byWebhook = await webhook.send({ threadName: 'Untagged', content: 'Hello' }).catch(refusal)
    expect(byWebhook).toEqual(tagRequired)
    expect([...emulator.state.channels.values()].filter((c) => c.parent_id === seed.forumId)).toEqual([])

    const tagged = await forum.threads.create({
      name: 'Tagged',
      message: { content: 'Hello' },
      appliedTags: [tagId],
    })
    expect(tagged.appliedTags).toEqual([tagId])
    const taggedByWebhook = await webhook.send({
      threadName: 'Tagged too',
      content: 'Hi',
      appliedTags: [tagId],
    })
    expect(taggedByWebhook.channelId).not.toBe(seed.forumId)
  })

  it('refuses a person’s post without a tag, and leaves forums that do not require one alone', async () => {
    const post = (appliedTags?: string[]) =>
      controlAnswer<any>(emulator.url, 'POST', `/channels/${seed.forumId}/threads`, {
        author_id: seed.users.jo,
        name: 'A post',
        content: 'Hello',
        ...(appliedTags ? { applied_tags: appliedTags } : {}),
      })
    expect((await post()).status).toBe(201)
    const tagId = await requireTags()
    const untagged = await post()
    expect(untagged).toMatchObject({ status: 400, body: { code: 40067 } })
    expect((await post([tagId])).status).toBe(201)
  })
})
