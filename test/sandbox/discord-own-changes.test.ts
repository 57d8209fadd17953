import {
  type Client,
  Events,
  type ForumChannel,
  GatewayIntentBits,
  type Message,
  type ThreadChannel,
} from 'discord.js'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { DiscordEmulator } from '../../sandbox/discord/discord-emulator.ts'
import { type DiscordSeed, seedDiscord } from '../../sandbox/discord/discord-seed.ts'
import { control } from '../support/control.ts'
import { collect, connectDiscordClient } from '../support/discord-client.ts'

/**
 * Discord reports the bot's own changes back to it like anyone else's: a thread it renamed (Modify
 * Channel fires a Thread Update, https://discord.com/developers/docs/resources/channel#modify-channel),
 * its webhook's message edited or deleted (MESSAGE_UPDATE, MESSAGE_DELETE), its own reaction
 * (MESSAGE_REACTION_ADD/REMOVE naming the bot). The bridge must know its own echo when it comes;
 * the emulator must send it, or no sandbox test can show that it does.
 */
describe('Discord emulator: the bot’s own changes come back through the gateway', () => {
  let emulator: DiscordEmulator
  let seed: DiscordSeed
  let client: Client

  beforeEach(async () => {
    emulator = new DiscordEmulator({ heartbeatIntervalMs: 1000 })
    seed = seedDiscord(emulator.state)
    await emulator.start()
    client = await connectDiscordClient(emulator, {
      intents: [
        GatewayIntentBits.Guilds,
        GatewayIntentBits.GuildMessages,
        GatewayIntentBits.GuildMessageReactions,
        GatewayIntentBits.MessageContent,
      ],
    })
  })
  afterEach(async () => {
    await client.destroy()
    await emulator.stop()
  })

  /** A forum post made through the bot's webhook, as the bridge mirrors one. */
  const webhookPost = async () => {
    const forum = (await client.channels.fetch(seed.forumId)) as ForumChannel
    const hook = await forum.createWebhook({ name: 'Threadbridge' })
    const starter = await hook.send({
      content: 'Mirrored post',
      threadName: 'Mirrored',
      username: 'sam (Slack)',
    })
    const thread = (await client.channels.fetch(starter.channelId)) as ThreadChannel
    return { hook, thread, starterId: starter.id }
  }

  it('a rename the bot made is a THREAD_UPDATE with the new name', async () => {
    const { thread } = await webhookPost()
    const updates = collect(client, Events.ThreadUpdate, (before: ThreadChannel, after: ThreadChannel) => ({
      before: before.name,
      after: after.name,
      locked: after.locked,
    }))
    await thread.setName('Renamed by the bot')
    await updates.until((seen) => seen.some((u) => u.after === 'Renamed by the bot'))
    // A lock and a rename in one call are one update, carrying both.
    await thread.edit({ name: 'Locked and renamed', locked: true, archived: true })
    await updates.until((seen) => seen.some((u) => u.after === 'Locked and renamed'))
    expect(updates.items.at(-1)).toMatchObject({ after: 'Locked and renamed', locked: true })
  })

  it('its webhook’s edit and deletion are MESSAGE_UPDATE and MESSAGE_DELETE, the update naming the webhook', async () => {
    const { hook, thread } = await webhookPost()
    const reply = await hook.send({
      content: 'A mirrored reply',
      threadId: thread.id,
      username: 'sam (Slack)',
    })
    const edits = collect(client, Events.MessageUpdate, (_before, after: Message) => ({
      id: after.id,
      webhookId: after.webhookId,
      content: after.content,
    }))
    const deletions = collect(client, Events.MessageDelete, (message: { id: string }) => message.id)
    await hook.editMessage(reply.id, { content: 'Edited', threadId: thread.id })
    const [edit] = await edits.until((seen) => seen.length === 1)
    expect(edit).toEqual({ id: reply.id, webhookId: hook.id, content: 'Edited' })
    await hook.deleteMessage(reply.id, thread.id)
    await deletions.until((ids) => ids.includes(reply.id))
  })

  it('its own reaction and its removal are MESSAGE_REACTION_ADD and _REMOVE naming the bot', async () => {
    const { thread, starterId } = await webhookPost()
    const bot = client.user?.id ?? ''
    const added = collect(client, Events.MessageReactionAdd, (_reaction, user: { id: string }) => user.id)
    const removed = collect(
      client,
      Events.MessageReactionRemove,
      (_reaction, user: { id: string }) => user.id,
    )
    const starter = await thread.messages.fetch(starterId)
    await starter.react('👍')
    await added.until((ids) => ids.includes(bot))
    await starter.reactions.resolve('👍')?.users.remove(bot)
    await removed.until((ids) => ids.includes(bot))
    const left = await control(emulator.url, 'GET', `/messages/${starterId}/reactions`)
    expect(left).toEqual([])
  })
})
