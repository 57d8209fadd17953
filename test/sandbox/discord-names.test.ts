import { type Client, Events, type ForumChannel, type Message } from 'discord.js'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { DiscordEmulator } from '../../sandbox/discord/discord-emulator.ts'
import { type DiscordSeed, seedDiscord } from '../../sandbox/discord/discord-seed.ts'
import { control, controlAnswer } from '../support/control.ts'
import { collect, connectDiscordClient } from '../support/discord-client.ts'

/**
 * Discord's names as its docs describe them: a user's `username` (the handle), their
 * `global_name` (display name) and a server member's `nick`, each display name or nickname 1 to 32
 * characters, whitespace sanitized (https://discord.com/developers/docs/resources/user,
 * .../resources/guild#guild-member-object). MESSAGE_CREATE carries the author (a user object)
 * and, in a server, the partial `member` with its `nick`. A webhook's name, and a webhook
 * message's username, take 1 to 80 characters and never "clyde" or "discord"
 * (.../resources/webhook#create-webhook).
 */
describe('Discord emulator: names', () => {
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

  it('carries a display name and a nickname apart from the username, in REST and in MESSAGE_CREATE', async () => {
    const eve = await control(emulator.url, 'POST', '/users', {
      username: 'eve',
      global_name: '  Eve\u202e   E.  ',
    })
    expect(eve).toMatchObject({ username: 'eve', global_name: 'Eve\u202e E.' })
    const member = await control(emulator.url, 'PATCH', `/guilds/${seed.guildId}/members/${eve.id}`, {
      nick: 'mark',
    })
    expect(member).toMatchObject({ nick: 'mark', user: { id: eve.id, global_name: 'Eve\u202e E.' } })

    const created = collect(client, Events.MessageCreate, (message: Message) => ({
      username: message.author.username,
      globalName: message.author.globalName,
      nickname: message.member?.nickname,
    }))
    await control(emulator.url, 'POST', `/channels/${seed.generalId}/messages`, {
      author_id: eve.id,
      content: 'hi',
    })
    await created.until((items) => items.length === 1)
    expect(created.items).toEqual([{ username: 'eve', globalName: 'Eve\u202e E.', nickname: 'mark' }])

    const fetched = await client.guilds.cache.get(seed.guildId)?.members.fetch({ user: eve.id, force: true })
    expect(fetched?.nickname).toBe('mark')
    expect((await client.users.fetch(eve.id, { force: true })).globalName).toBe('Eve\u202e E.')
  })

  it('renames a person and clears a nickname', async () => {
    const renamed = await control(emulator.url, 'PATCH', `/users/${seed.users.jo}`, { global_name: 'Jo 🌱' })
    expect(renamed).toMatchObject({ username: 'jo', global_name: 'Jo 🌱' })
    expect((await client.users.fetch(seed.users.jo, { force: true })).globalName).toBe('Jo 🌱')
    const path = `/guilds/${seed.guildId}/members/${seed.users.jo}`
    expect(await control(emulator.url, 'PATCH', path, { nick: 'J' })).toMatchObject({ nick: 'J' })
    expect(await control(emulator.url, 'PATCH', path, { nick: null })).toMatchObject({ nick: null })
    const member = await client.guilds.cache
      .get(seed.guildId)
      ?.members.fetch({ user: seed.users.jo, force: true })
    expect(member?.nickname).toBeNull()
    expect(member?.displayName).toBe('Jo 🌱')
  })

  it('refuses a display name or nickname outside 1 to 32 characters', async () => {
    const path = `/guilds/${seed.guildId}/members/${seed.users.jo}`
    for (const nick of ['', '   ', 'x'.repeat(33), 7])
      expect((await controlAnswer(emulator.url, 'PATCH', path, { nick })).status).toBe(400)
    expect((await controlAnswer(emulator.url, 'PATCH', path, { nick: 'é'.repeat(32) })).status).toBe(200)
    const tooLong = { username: 'long', global_name: 'x'.repeat(33) }
    expect((await controlAnswer(emulator.url, 'POST', '/users', tooLong)).status).toBe(400)
  })

  it('refuses a webhook username with "discord" or "clyde", hidden joiners or not, or over 80 characters', async () => {
    const thread = await control(emulator.url, 'POST', `/channels/${seed.forumId}/threads`, {
      author_id: seed.users.jo,
      name: 't',
      content: 'first',
    })
    const forum = client.channels.cache.get(seed.forumId) as ForumChannel
    const webhook = await forum.createWebhook({ name: 'Threadbridge' })
    for (const username of [
      'mark (Discord)',
      'Clyde',
      'disc\u2060ord',
      'cl\u200byde',
      'x'.repeat(81),
      '   ',
    ]) {
      await expect(webhook.send({ content: 'hi', threadId: thread.id, username })).rejects.toMatchObject({
        code: 50035,
      })
    }
    await webhook.send({ content: 'ok', threadId: thread.id, username: `${'m'.repeat(72)} (Slack)` })
    await webhook.send({ content: 'ok', threadId: thread.id, username: 'mark (Disc\u00b7ord)  (Slack)' })
    const seen = await control<any[]>(emulator.url, 'GET', `/channels/${thread.id}/messages`)
    expect(seen.slice(1).map((m) => m.username)).toEqual([
      `${'m'.repeat(72)} (Slack)`,
      'mark (Disc\u00b7ord) (Slack)',
    ])
    await expect(forum.createWebhook({ name: 'Discord bridge' })).rejects.toMatchObject({ code: 50035 })
  })
})
