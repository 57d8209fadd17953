import { type Client, DiscordAPIError, Events, PermissionFlagsBits, type ThreadChannel } from 'discord.js'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { DiscordEmulator } from '../../sandbox/discord/discord-emulator.ts'
import { type DiscordSeed, seedDiscord } from '../../sandbox/discord/discord-seed.ts'
import { control } from '../support/control.ts'
import { collect, connectDiscordClient } from '../support/discord-client.ts'

/**
 * Delete Message: a bot deletes its own messages freely; anyone else's (a person's, a webhook's)
 * only with Manage Messages in the channel, a thread taking its parent's overwrites.
 * (https://discord.com/developers/docs/resources/message#delete-message)
 */
describe('Discord emulator: deleting a message someone else wrote', () => {
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

  const post = async () => {
    const thread = await control(emulator.url, 'POST', `/channels/${seed.forumId}/threads`, {
      author_id: seed.users.jo,
      name: 'Deletable',
      content: 'the opening post',
    })
    const reply = await control(emulator.url, 'POST', `/channels/${thread.id}/messages`, {
      author_id: seed.users.jo,
      content: 'a reply by jo',
    })
    return { threadId: thread.id as string, replyId: reply.id as string }
  }

  it('deletes a person’s message with Manage Messages, and the gateway says so', async () => {
    const { threadId, replyId } = await post()
    const deleted = collect(client, Events.MessageDelete, (m: { id: string }) => m.id)
    const thread = (await client.channels.fetch(threadId)) as ThreadChannel
    await thread.messages.delete(replyId)
    await deleted.until((ids) => ids.includes(replyId))
    const left = await control(emulator.url, 'GET', `/channels/${threadId}/messages`)
    expect(left.map((m: { id: string }) => m.id)).toEqual([threadId])
  })

  it('refuses with 50013 Missing Permissions when the channel denies the bot Manage Messages', async () => {
    const { threadId, replyId } = await post()
    await control(emulator.url, 'PUT', `/channels/${seed.forumId}/permissions/${seed.botRoleId}`, {
      type: 0,
      allow: '0',
      deny: PermissionFlagsBits.ManageMessages.toString(),
    })
    const thread = (await client.channels.fetch(threadId)) as ThreadChannel
    const refused = await thread.messages.delete(replyId).catch((error: unknown) => error)
    expect(refused).toBeInstanceOf(DiscordAPIError)
    expect((refused as DiscordAPIError).code).toBe(50013)
    const left = await control(emulator.url, 'GET', `/channels/${threadId}/messages`)
    expect(left.map((m: { id: string }) => m.id)).toEqual([threadId, replyId])
    // Its own messages it may still delete.
    const own = await thread.send('the bot’s own')
    await own.delete()
    const after = await control(emulator.url, 'GET', `/channels/${threadId}/messages`)
    expect(after.map((m: { id: string }) => m.id)).toEqual([threadId, replyId])
  })
})
