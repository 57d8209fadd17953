import {
  ApplicationCommandOptionType,
  type Client,
  DiscordAPIError,
  Events,
  type ForumChannel,
  GatewayIntentBits,
  type Message,
  MessageFlags,
  type TextChannel,
  type ThreadChannel,
} from 'discord.js'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { DiscordEmulator } from '../../sandbox/discord/discord-emulator.ts'
import { type DiscordSeed, seedDiscord } from '../../sandbox/discord/discord-seed.ts'
import { HeldClock } from '../fakes/held-clock.ts'
import { control } from '../support/control.ts'
import { collect, connectDiscordClient } from '../support/discord-client.ts'

describe('Discord emulator with the real discord.js client', () => {
  let emulator: DiscordEmulator
  let seed: DiscordSeed
  let clock: HeldClock
  const clients: Client[] = []
  const connect = async (intents?: GatewayIntentBits[]) => {
    const client = await connectDiscordClient(emulator, intents ? { intents } : {})
    clients.push(client)
    return client
  }

  /** Registers guild commands as a bot does at start, with one bulk overwrite through the real client. */
  const register = (client: Client, ...names: string[]) =>
    client.application?.commands.set(
      names.map((name) => ({
        name,
        description: `the ${name} command`,
        options: [{ name: 'topic', description: 'what about', type: ApplicationCommandOptionType.String }],
      })),
      seed.guildId,
    )

  beforeEach(async () => {
    clock = new HeldClock()
    emulator = new DiscordEmulator({ heartbeatIntervalMs: 1000, rateLimitClock: clock.now })
    seed = seedDiscord(emulator.state)
    await emulator.start()
  })
  afterEach(async () => {
    for (const client of clients.splice(0)) await client.destroy()
    await emulator.stop()
  })

  it('logs in, sees the guild and its forum, and receives a forum post and its message with content', async () => {
    const client = await connect()
    expect(client.guilds.cache.get(seed.guildId)?.name).toBe('Lightbulb Moment')
    expect(client.channels.cache.get(seed.forumId)?.type).toBe(15)
    const threads = collect(client, Events.ThreadCreate, (thread: ThreadChannel, newly: boolean) => ({
      name: thread.name,
      parent: thread.parentId,
      newly,
    }))
    const messages = collect(client, Events.MessageCreate, (m: Message) => ({
      id: m.id,
      channel: m.channelId,
      content: m.content,
      author: m.author.username,
    }))

    const thread = await control(emulator.url, 'POST', `/channels/${seed.forumId}/threads`, {
      author_id: seed.users.jo,
      name: 'Mark Britz on social tech',
      content: 'You can’t fix what you can’t see.',
    })
    await threads.until((t) => t.length === 1)
    await messages.until((m) => m.length === 1)
    expect(threads.items).toEqual([{ name: 'Mark Britz on social tech', parent: seed.forumId, newly: true }])
    // A forum post's starter message has the thread's id, as on Discord.
    expect(messages.items).toEqual([
      { id: thread.id, channel: thread.id, content: 'You can’t fix what you can’t see.', author: 'jo' },
    ])
  })

  it('blanks message content for a client without the MESSAGE_CONTENT intent', async () => {
    const client = await connect([GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages])
    const messages = collect(client, Events.MessageCreate, (m: Message) => m.content)
    await control(emulator.url, 'POST', `/channels/${seed.forumId}/threads`, {
      author_id: seed.users.jo,
      name: 't',
      content: 'secret words',
    })
    await messages.until((m) => m.length === 1)
    expect(messages.items).toEqual([''])
  })

  it('posts through a webhook into a forum thread with a per-message name, honouring allowed_mentions', async () => {
    const client = await connect()
    const thread = await control(emulator.url, 'POST', `/channels/${seed.forumId}/threads`, {
      author_id: seed.users.jo,
      name: 't',
      content: 'first',
    })
    const forum = client.channels.cache.get(seed.forumId) as ForumChannel
    const webhook = await forum.createWebhook({ name: 'Threadbridge' })
    await webhook.send({
      content: 'quiet @everyone',
      threadId: thread.id,
      username: 'sam (Slack)',
      allowedMentions: { parse: [] },
    })
    await webhook.send({ content: 'loud @everyone', threadId: thread.id, username: 'sam (Slack)' })

    const seen = await control<any[]>(emulator.url, 'GET', `/channels/${thread.id}/messages`)
    expect(seen.map((m) => [m.content, m.username ?? m.author.username, m.pinged])).toEqual([
      ['first', 'jo', []],
      ['quiet @everyone', 'sam (Slack)', []],
      ['loud @everyone', 'sam (Slack)', ['everyone']],
    ])
    // Into a forum without thread_id or thread_name, Discord refuses.
    await expect(webhook.send({ content: 'nowhere' })).rejects.toMatchObject({ code: 220001 })
  })

  it('refuses content over 2000 characters with Discord’s error body', async () => {
    const client = await connect()
    const thread = await control(emulator.url, 'POST', `/channels/${seed.forumId}/threads`, {
      author_id: seed.users.jo,
      name: 't',
      content: 'x',
    })
    const channel = (await client.channels.fetch(thread.id)) as ThreadChannel
    const error = await channel.send('y'.repeat(2001)).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(DiscordAPIError)
    expect(error).toMatchObject({
      status: 400,
      code: 50035,
      rawError: { errors: { content: { _errors: [{ code: 'BASE_TYPE_MAX_LENGTH' }] } } },
    })
  })

  it('rate-limits with real headers, and discord.js waits and loses nothing', async () => {
    const client = await connect()
    const general = client.channels.cache.find((c) => 'name' in c && c.name === 'general') as TextChannel
    const limited = collect(
      client.rest as never,
      'rateLimited',
      (info: { limit: number; route: string; timeToReset: number }) => info,
    )
    // Discord's clock stands still while the bucket (5 per 5 s) is spent, however slow the machine;
    // once discord.js waits for the reset, the clock moves past it.
    clock.hold()
    client.rest.on('rateLimited', () => clock.advance(5000))
    const sent = await Promise.all(Array.from({ length: 7 }, (_, i) => general.send(`message ${i}`)))
    expect(sent).toHaveLength(7)

    const seen = await control<any[]>(emulator.url, 'GET', `/channels/${general.id}/messages`)
    expect(seen.map((m) => m.content)).toEqual(Array.from({ length: 7 }, (_, i) => `message ${i}`))
    // discord.js read the bucket's headers (limit 5 per 5 s) and held the rest back itself.
    expect(limited.items.length).toBeGreaterThan(0)
    expect(limited.items[0]).toMatchObject({ limit: 5, route: '/channels/:id/messages' })
    const stats = await control(emulator.url, 'GET', '/stats')
    expect(stats.by_route['POST /channels/:id/messages']).toEqual({ requests: 7, rate_limited: 0 })
  })

  it('answers a 429 with Retry-After and X-RateLimit headers once a bucket is spent', async () => {
    const general = [...emulator.state.channels.values()].find((c) => c.name === 'general')
    const post = () =>
      fetch(`${emulator.apiUrl}/v10/channels/${general?.id}/messages`, {
        method: 'POST',
        headers: { authorization: 'Bot sandbox-token', 'content-type': 'application/json' },
        body: JSON.stringify({ content: 'hi' }),
      })
    // Discord's clock stands still: the six posts fall in one window, however slow the machine.
    clock.hold()
    const responses = []
    for (let i = 0; i < 6; i++) responses.push(await post())
    expect(responses.map((r) => r.status)).toEqual([200, 200, 200, 200, 200, 429])
    const refused = responses[5] as Response
    expect(refused.headers.get('x-ratelimit-limit')).toBe('5')
    expect(refused.headers.get('x-ratelimit-remaining')).toBe('0')
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0)
    expect(refused.headers.get('x-ratelimit-bucket')).toBe(responses[0]?.headers.get('x-ratelimit-bucket'))
    expect(await refused.json()).toMatchObject({ message: 'You are being rate limited.', global: false })
  })

  it('with its limits lifted (the capacity benchmark) answers every call and announces no bucket', async () => {
    const unlimited = new DiscordEmulator({ liftRateLimits: true })
    seedDiscord(unlimited.state)
    await unlimited.start()
    try {
      const general = [...unlimited.state.channels.values()].find((c) => c.name === 'general')
      const responses = []
      for (let i = 0; i < 8; i++)
        responses.push(
          await fetch(`${unlimited.apiUrl}/v10/channels/${general?.id}/messages`, {
            method: 'POST',
            headers: { authorization: 'Bot sandbox-token', 'content-type': 'application/json' },
            body: JSON.stringify({ content: 'hi' }),
          }),
        )
      expect(responses.map((r) => r.status)).toEqual(Array(8).fill(200))
      expect(responses[7]?.headers.get('x-ratelimit-remaining')).toBeNull()
    } finally {
      await unlimited.stop()
    }
  })

  it('resumes after a dropped connection and replays what was missed, once each', async () => {
    const client = await connect()
    const messages = collect(client, Events.MessageCreate, (m: Message) => m.content)
    const thread = await control(emulator.url, 'POST', `/channels/${seed.forumId}/threads`, {
      author_id: seed.users.jo,
      name: 't',
      content: 'before',
    })
    await messages.until((m) => m.includes('before'))
    const resumed = new Promise<void>((resolve) => client.once(Events.ShardResume, () => resolve()))

    await control(emulator.url, 'POST', '/faults', { gateway: 'drop' })
    for (const content of ['while down 1', 'while down 2', 'while down 3']) {
      await control(emulator.url, 'POST', `/channels/${thread.id}/messages`, {
        author_id: seed.users.mark,
        content,
      })
    }
    await resumed
    await control(emulator.url, 'POST', `/channels/${thread.id}/messages`, {
      author_id: seed.users.mark,
      content: 'after',
    })
    await messages.until((m) => m.includes('after'))
    expect(messages.items).toEqual(['before', 'while down 1', 'while down 2', 'while down 3', 'after'])
  })

  it('delivers a slash command and returns the bot’s ephemeral answer to the person', async () => {
    const client = await connect()
    await register(client, 'join')
    client.on(Events.InteractionCreate, async (interaction) => {
      if (!interaction.isChatInputCommand()) return
      const topic = interaction.options.getString('topic')
      await interaction.reply({
        content: `Joined, ${interaction.user.username}: ${topic}`,
        flags: MessageFlags.Ephemeral,
      })
    })
    const general = [...emulator.state.channels.values()].find((c) => c.name === 'general')
    const result = await control(emulator.url, 'POST', '/interactions', {
      user_id: seed.users.visitor,
      channel_id: general?.id,
      name: 'join',
      options: { topic: 'lightbulbs' },
    })
    expect(result.answered).toBe(true)
    // An ephemeral answer is a real message, with an id, that only the person sees.
    expect(result.responses).toEqual([
      {
        kind: 'initial',
        content: 'Joined, visitor: lightbulbs',
        flags: 64,
        ephemeral: true,
        message_id: expect.stringMatching(/^\d+$/),
        embeds: [],
        components: [],
      },
    ])
    // Ephemeral answers are not posted in the channel.
    expect(await control<any[]>(emulator.url, 'GET', `/channels/${general?.id}/messages`)).toEqual([])
  })

  it('delivers a slash command run in a DM with the bot, as Discord does, without failing the client', async () => {
    const client = await connect()
    await client.application?.commands.set([{ name: 'help', description: 'what you can do' }])
    client.on(Events.InteractionCreate, async (interaction) => {
      if (!interaction.isChatInputCommand()) return
      await interaction.reply({
        content: `Hello in private, ${interaction.user.username}`,
        flags: MessageFlags.Ephemeral,
      })
    })
    const dm = emulator.state.dmChannelFor(seed.users.visitor)
    const result = await control(emulator.url, 'POST', '/interactions', {
      user_id: seed.users.visitor,
      channel_id: dm.id,
      name: 'help',
    })
    expect(result.answered).toBe(true)
    expect(result.responses.map((r: { content: string }) => r.content)).toEqual(['Hello in private, visitor'])
  })

  it('answers a deferred interaction through the edit of @original, posted for all to see', async () => {
    const client = await connect()
    await register(client, 'start')
    client.on(Events.InteractionCreate, async (interaction) => {
      if (!interaction.isChatInputCommand()) return
      await interaction.deferReply()
      await interaction.editReply('Here is the discussion you asked for.')
    })
    const general = [...emulator.state.channels.values()].find((c) => c.name === 'general')
    const result = await control(emulator.url, 'POST', '/interactions', {
      user_id: seed.users.jo,
      channel_id: general?.id,
      name: 'start',
    })
    expect(
      result.responses.map((r: { kind: string; content: string | null; ephemeral: boolean }) => [
        r.kind,
        r.content,
        r.ephemeral,
      ]),
    ).toEqual([
      ['deferred', null, false],
      ['edit', 'Here is the discussion you asked for.', false],
    ])
    const visible = await control<any[]>(emulator.url, 'GET', `/channels/${general?.id}/messages`)
    expect(visible.map((m) => m.content)).toEqual(['Here is the discussion you asked for.'])
  })

  it('returns the earlier message for a repeated nonce with enforce_nonce, instead of a duplicate', async () => {
    const client = await connect()
    const general = client.channels.cache.find((c) => 'name' in c && c.name === 'general') as TextChannel
    const first = await general.send({ content: 'once', nonce: 'job-42', enforceNonce: true })
    const again = await general.send({ content: 'once', nonce: 'job-42', enforceNonce: true })
    expect(again.id).toBe(first.id)
    expect(await control<any[]>(emulator.url, 'GET', `/channels/${general.id}/messages`)).toHaveLength(1)
  })

  it('applies a call and then never answers under the timeout fault: a retry duplicates, unless nonce-enforced', async () => {
    const client = await connect() // discord.js retries a timed-out request once (rest.retries = 1)
    const general = client.channels.cache.find((c) => 'name' in c && c.name === 'general') as TextChannel
    const contents = async () =>
      (await control<any[]>(emulator.url, 'GET', `/channels/${general.id}/messages`)).map((m) => m.content)

    await control(emulator.url, 'POST', '/faults', {
      route: 'POST /channels/:id/messages',
      mode: 'timeout',
      count: 1,
    })
    await general.send('plain')
    expect(await contents()).toEqual(['plain', 'plain'])

    await control(emulator.url, 'POST', '/faults', {
      route: 'POST /channels/:id/messages',
      mode: 'timeout',
      count: 1,
    })
    await general.send({ content: 'guarded', nonce: 'job-7', enforceNonce: true })
    expect(await contents()).toEqual(['plain', 'plain', 'guarded'])
  })

  it('reports an interaction the bot never answered', async () => {
    emulator = new DiscordEmulator({ interactionAckMs: 300 })
    seed = seedDiscord(emulator.state)
    await emulator.start()
    await register(await connect(), 'join')
    const general = [...emulator.state.channels.values()].find((c) => c.name === 'general')
    const result = await control(emulator.url, 'POST', '/interactions', {
      user_id: seed.users.jo,
      channel_id: general?.id,
      name: 'join',
    })
    expect(result).toMatchObject({ answered: false, responses: [] })
  })

  it('keeps a command registry as Discord does: ids kept per name, bad definitions refused, only registered commands run', async () => {
    const client = await connect()
    const first = await register(client, 'join', 'leave')
    const again = await register(client, 'join', 'discuss')
    expect(again?.find((c) => c.name === 'join')?.id).toBe(first?.find((c) => c.name === 'join')?.id)
    expect([...(again?.values() ?? [])].map((c) => c.name).sort()).toEqual(['discuss', 'join'])
    await expect(
      client.application?.commands.set([{ name: 'Has Spaces', description: 'refused' }], seed.guildId),
    ).rejects.toMatchObject({ code: 50035 })
    expect((await client.application?.commands.fetch({ guildId: seed.guildId }))?.size).toBe(2)

    const general = [...emulator.state.channels.values()].find((c) => c.name === 'general')
    const run = async (name: string, options?: Record<string, string>) => {
      const answer = await fetch(`${emulator.url}/_sandbox/interactions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ user_id: seed.users.jo, channel_id: general?.id, name, options }),
      })
      return [answer.status, ((await answer.json()) as { error: string }).error]
    }
    expect(await run('leave')).toEqual([400, expect.stringMatching(/^no command \/leave is registered here/)])
    expect(await run('join', { colour: 'red' })).toEqual([400, '/join has no option colour'])
  })
})
