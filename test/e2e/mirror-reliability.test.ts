import { readdirSync } from 'node:fs'
import { afterEach, describe, expect, it } from 'vitest'
import type { MirrorTarget } from '../../src/mirror/mirror-target.ts'
import { eventually, useBridge } from '../support/bridge-harness.ts'
import { control } from '../support/control.ts'

/**
 * Crashes the worker once, right after the platform accepted a reply and before we recorded it,
 * having first run `meanwhile` (something that changes before the retry).
 */
function crashAfterFirstReply(target: MirrorTarget, meanwhile?: () => Promise<void>): MirrorTarget {
  let crashed = false
  return Object.assign(Object.create(target) as MirrorTarget, {
    publishReply: async (input: Parameters<MirrorTarget['publishReply']>[0]) => {
      const posted = await target.publishReply(input)
      if (!crashed) {
        crashed = true
        await meanwhile?.()
        throw new Error('injected crash between send and record')
      }
      return posted
    },
  })
}

/**
 * Holds one Slack thread's replies on their way to Slack, from the `after`-th on, until released:
 * a backlog that stays where it is while the test looks, however fast or slow the machine.
 */
function slackReplyHold(after: number) {
  let release = () => {}
  const released = new Promise<void>((resolve) => {
    release = resolve
  })
  const hold = {
    threadId: undefined as string | undefined,
    passed: 0,
    release: () => release(),
    wrap(target: MirrorTarget): MirrorTarget {
      if (target.platform !== 'slack') return target
      return Object.assign(Object.create(target) as MirrorTarget, {
        publishReply: async (input: Parameters<MirrorTarget['publishReply']>[0]) => {
          if (input.threadId === hold.threadId) {
            if (hold.passed < after) hold.passed += 1
            else await released
          }
          return target.publishReply(input)
        },
      })
    },
  }
  return hold
}

describe('mirror reliability', () => {
  describe('a worker that dies between sending and recording', () => {
    const t = useBridge({ wrapTarget: crashAfterFirstReply })

    it('does not post twice: the retry finds what was sent and adopts it', async () => {
      const thread = await control(
        t.discordUrl,
        'POST',
        `/channels/${t.sandbox.discordSeed.forumId}/threads`,
        {
          author_id: t.sandbox.discordSeed.users.jo,
          name: 'Crash course',
          content: 'What happens when the worker dies?',
        },
      )
      const [root] = await eventually(
        () => control<any[]>(t.slackUrl, 'GET', `/conversations/${t.sandbox.slackSeed.channelId}/history`),
        (m) => m.length === 1,
      )
      await control(t.discordUrl, 'POST', `/channels/${thread.id}/messages`, {
        author_id: t.sandbox.discordSeed.users.mark,
        content: 'Exactly once.',
      })
      await control(t.slackUrl, 'POST', '/messages', {
        user: t.sandbox.slackSeed.users.sam,
        channel: t.sandbox.slackSeed.channelId,
        text: 'Also once.',
        thread_ts: root.ts,
      })
      await eventually(
        () =>
          control<any[]>(
            t.slackUrl,
            'GET',
            `/conversations/${t.sandbox.slackSeed.channelId}/replies/${root.ts}`,
          ),
        (m) => m.length === 3,
      )
      await eventually(
        () => control<any[]>(t.discordUrl, 'GET', `/channels/${thread.id}/messages`),
        (m) => m.length === 3,
      )
      await t.bridge.worker.idle()
      const slack = await control<any[]>(
        t.slackUrl,
        'GET',
        `/conversations/${t.sandbox.slackSeed.channelId}/replies/${root.ts}`,
      )
      const discord = await control<any[]>(t.discordUrl, 'GET', `/channels/${thread.id}/messages`)
      expect(slack.map((m) => m.text).filter((x) => x === 'Exactly once.')).toHaveLength(1)
      expect(discord.map((m) => m.content).filter((x) => x === 'Also once.')).toHaveLength(1)
    })
  })

  describe('a worker that dies between sending and recording, and a rename before the retry', () => {
    let rename = async () => {}
    const t = useBridge({ wrapTarget: (target) => crashAfterFirstReply(target, () => rename()) })

    it('still recognises the post under the author’s old name, and posts nothing twice', async () => {
      const { slackSeed, discordSeed } = t.sandbox
      rename = async () => {
        await t.database.db
          .updateTable('identities')
          .set({ display_name: 'samuel' })
          .where('platform', '=', 'slack')
          .where('platform_user_id', '=', slackSeed.users.sam)
          .execute()
      }
      const root = await control(t.slackUrl, 'POST', '/messages', {
        user: slackSeed.users.sam,
        channel: slackSeed.channelId,
        text: 'Names change\nDoes the retry still know its post?',
      })
      const [thread] = await eventually(
        () => control<any[]>(t.discordUrl, 'GET', `/channels/${discordSeed.forumId}/threads`),
        (threads) => threads.length === 1,
      )
      await control(t.slackUrl, 'POST', '/messages', {
        user: slackSeed.users.sam,
        channel: slackSeed.channelId,
        text: 'It should.',
        thread_ts: root.ts,
      })
      await eventually(
        () => control<any[]>(t.discordUrl, 'GET', `/channels/${thread.id}/messages`),
        (m) => m.length === 2,
      )
      await t.bridge.worker.idle()
      const messages = await control<any[]>(t.discordUrl, 'GET', `/channels/${thread.id}/messages`)
      expect(messages.filter((m) => m.content === 'It should.').map((m) => m.username)).toEqual([
        'sam (Slack)',
      ])
      const links = await t.database.db
        .selectFrom('message_links')
        .select('message_id')
        .where('platform', '=', 'discord')
        .where('origin', '=', 'mirror')
        .execute()
      expect(links).toHaveLength(2)
    })
  })

  describe('a retry after two people wrote the same words', () => {
    const t = useBridge()

    it('never adopts another person’s mirror as the one it failed to post', async () => {
      const { slackSeed } = t.sandbox
      const say = (user: string, text: string, thread_ts?: string) =>
        control(t.slackUrl, 'POST', '/messages', { user, channel: slackSeed.channelId, text, thread_ts })
      const root = await say(slackSeed.users.sam, 'Shall we?\nShip it on Friday.')
      const [thread] = await eventually(
        () => control<any[]>(t.discordUrl, 'GET', `/channels/${t.sandbox.discordSeed.forumId}/threads`),
        (threads) => threads.length === 1,
      )
      const discordThread = () => control<any[]>(t.discordUrl, 'GET', `/channels/${thread.id}/messages`)
      await say(slackSeed.users.sam, '+1 agreed', root.ts)
      await eventually(discordThread, (m) => m.length === 2)
      // alex writes the same words; the first try to post them on Discord fails and is retried.
      await control(t.discordUrl, 'POST', '/faults', {
        route: 'POST /webhooks/:id/:token',
        mode: 'error',
        status: 500,
        count: 1,
      })
      await say(slackSeed.users.alex, '+1 agreed', root.ts)
      const messages = await eventually(discordThread, (m) => m.length === 3)
      expect(messages.slice(1).map((m) => [m.username, m.content])).toEqual([
        ['sam (Slack)', '+1 agreed'],
        ['alex (Slack)', '+1 agreed'],
      ])
    })
  })

  describe('a webhook an admin deleted', () => {
    const t = useBridge()

    it('is made again, and the reply that met the deleted one still arrives', async () => {
      const { slackSeed } = t.sandbox
      const say = (text: string, thread_ts?: string) =>
        control(t.slackUrl, 'POST', '/messages', {
          user: slackSeed.users.sam,
          channel: slackSeed.channelId,
          text,
          thread_ts,
        })
      const root = await say('Webhooks\nDo they come back?')
      const [thread] = await eventually(
        () => control<any[]>(t.discordUrl, 'GET', `/channels/${t.sandbox.discordSeed.forumId}/threads`),
        (threads) => threads.length === 1,
      )
      const [first] = [...t.sandbox.discord.state.webhooks.keys()]
      await control(t.discordUrl, 'DELETE', `/webhooks/${first}`)
      await say('They do.', root.ts)
      const messages = await eventually(
        () => control<any[]>(t.discordUrl, 'GET', `/channels/${thread.id}/messages`),
        (m) => m.length === 2,
      )
      expect(messages[1]).toMatchObject({ username: 'sam (Slack)', content: 'They do.' })
      expect([...t.sandbox.discord.state.webhooks.keys()]).not.toContain(first)
      expect(await t.bridge.queue.deadLetters(t.sandbox.community.id)).toEqual([])
    })
  })

  describe('a database that is away while events arrive', () => {
    const t = useBridge()
    const spooled = async () => readdirSync(t.spoolDir).filter((name) => name.endsWith('.json'))
    const slackHistory = () =>
      control<any[]>(t.slackUrl, 'GET', `/conversations/${t.sandbox.slackSeed.channelId}/history`)

    it('keeps the events on disk, applies them in order when it is back, and after a restart', async () => {
      const { discordSeed, slackSeed } = t.sandbox
      t.outage.down = true
      const thread = await control(t.discordUrl, 'POST', `/channels/${discordSeed.forumId}/threads`, {
        author_id: discordSeed.users.jo,
        name: 'Posted during an outage',
        content: 'Is anyone there?',
      })
      await control(t.discordUrl, 'POST', `/channels/${thread.id}/messages`, {
        author_id: discordSeed.users.mark,
        content: 'I am, once the database is',
      })
      // The post is kept; the reply waits behind it (same thread) and is kept too once it has tried.
      await eventually(spooled, (files) => files.length >= 1)
      expect(await slackHistory()).toEqual([])
      t.outage.down = false
      const [root] = await eventually(slackHistory, (m) => m.length === 1)
      expect(root.text).toBe('*Posted during an outage*\nIs anyone there?')
      const replies = await eventually(
        () => control<any[]>(t.slackUrl, 'GET', `/conversations/${slackSeed.channelId}/replies/${root.ts}`),
        (m) => m.length === 2,
      )
      expect(replies[1]).toMatchObject({ username: 'mark (Discord)', text: 'I am, once the database is' })
      await eventually(spooled, (files) => files.length === 0)

      // Down again, and the process stops before the database returns: the next start replays.
      t.outage.down = true
      await control(t.slackUrl, 'POST', '/messages', {
        user: slackSeed.users.sam,
        channel: slackSeed.channelId,
        text: 'Said while the bridge was failing',
        thread_ts: root.ts,
      })
      await eventually(spooled, (files) => files.length === 1)
      // A Discord event is kept as ids; the replay fetches the message again.
      await control(t.discordUrl, 'POST', `/channels/${thread.id}/messages`, {
        author_id: discordSeed.users.jo,
        content: 'And from Discord',
      })
      await eventually(spooled, (files) => files.length === 2)
      await t.restartBridge()
      expect(await spooled()).toHaveLength(2)
      t.outage.down = false
      await t.restartBridge()
      const onDiscord = await eventually(
        () => control<any[]>(t.discordUrl, 'GET', `/channels/${thread.id}/messages`),
        (m) => m.length === 4,
      )
      expect(onDiscord.map((m) => m.content)).toEqual([
        'Is anyone there?',
        'I am, once the database is',
        'And from Discord',
        'Said while the bridge was failing',
      ])
      const onSlack = await eventually(
        () => control<any[]>(t.slackUrl, 'GET', `/conversations/${slackSeed.channelId}/replies/${root.ts}`),
        (m) => m.length === 4,
      )
      expect(
        onSlack
          .map((m) => m.text)
          .slice(1)
          .sort(),
      ).toEqual(
        ['I am, once the database is', 'Said while the bridge was failing', 'And from Discord'].sort(),
      )
      await eventually(spooled, (files) => files.length === 0)
      const rows = await t.database.db.selectFrom('replies').select('body').execute()
      expect(rows.map((r) => r.body).sort()).toEqual(
        ['I am, once the database is', 'Said while the bridge was failing', 'And from Discord'].sort(),
      )
    })
  })

  describe('a start during which one platform is slow to connect', () => {
    // Slow, not failing: the request timeout is the real default (15 s), far beyond the latency
    // below and whatever a loaded machine adds to it. At the harness's 2 s, half a second of
    // load on top of the latency made the slow connect a failed start.
    const t = useBridge({ requestTimeoutMs: 15_000 })

    it('takes in the other platform’s events from the moment it is connected', async () => {
      const { discordSeed, slackSeed } = t.sandbox
      // Slack's Socket Mode takes its time (as it does after a restart); Discord is ready first.
      await control(t.slackUrl, 'POST', '/faults', {
        route: 'apps.connections.open',
        mode: 'latency',
        latency_ms: 1500,
        count: 1,
      })
      await control(t.slackUrl, 'DELETE', '/stats')
      const restarting = t.restartBridge()
      await eventually(
        () => control<{ by_route: Record<string, unknown> }>(t.slackUrl, 'GET', '/stats'),
        (stats) => 'apps.connections.open' in stats.by_route,
      )
      // Discord is connected and Slack is not yet: someone posts on Discord in that gap.
      await control(t.discordUrl, 'POST', `/channels/${discordSeed.forumId}/threads`, {
        author_id: discordSeed.users.jo,
        name: 'Posted while Slack connects',
        content: 'Nobody may miss this',
      })
      await restarting
      const [root] = await eventually(
        () => control<any[]>(t.slackUrl, 'GET', `/conversations/${slackSeed.channelId}/history`),
        (m) => m.length === 1,
      )
      expect(root.text).toBe('*Posted while Slack connects*\nNobody may miss this')
    })
  })

  describe('one busy discussion beside a quiet one', () => {
    const hold = slackReplyHold(5)
    // The held reply keeps its job for as long as the test looks; it must not be taken over meanwhile.
    const t = useBridge({ rateLimitScale: 10, leaseMs: 120_000, wrapTarget: hold.wrap })
    afterEach(() => hold.release()) // before the bridge stops (hooks after a test run in reverse)

    it('does not make the quiet one wait for the busy one’s backlog', async () => {
      const { discordSeed, slackSeed } = t.sandbox
      const post = (name: string) =>
        control(t.discordUrl, 'POST', `/channels/${discordSeed.forumId}/threads`, {
          author_id: discordSeed.users.jo,
          name,
          content: name,
        })
      const busy = await post('Busy')
      const quiet = await post('Quiet')
      const roots = await eventually(
        () => control<any[]>(t.slackUrl, 'GET', `/conversations/${slackSeed.channelId}/history`),
        (m) => m.length === 2,
      )
      const rootOf = (name: string) => roots.find((r) => r.text.startsWith(`*${name}*`))?.ts as string
      const thread = (name: string) =>
        control<any[]>(t.slackUrl, 'GET', `/conversations/${slackSeed.channelId}/replies/${rootOf(name)}`)
      // The busy discussion's reply jobs: all of them, and those still waiting (a claimed job waits
      // too, under its lease, until it is done).
      const busyJobs = async () => {
        const rows = await t.database.db
          .selectFrom('outbox')
          .innerJoin('discussions', 'discussions.id', 'outbox.discussion_id')
          .where('discussions.title', '=', 'Busy')
          .where('outbox.event_type', '=', 'reply.created')
          .select('outbox.status')
          .execute()
        return { all: rows.length, waiting: rows.filter((r) => r.status === 'pending').length }
      }
      const busyWaiting = async () => (await busyJobs()).waiting
      // Sixty replies for the busy discussion: five reach Slack at its rate, the sixth is held on
      // its way and the rest queue behind it. A backlog by construction, not by the machine's pace.
      hold.threadId = rootOf('Busy')
      for (let n = 0; n < 60; n++)
        await control(t.discordUrl, 'POST', `/channels/${busy.id}/messages`, {
          author_id: discordSeed.users.mark,
          content: `busy ${n}`,
        })
      // Every reply taken in (events are applied one by one), five delivered, the sixth held.
      await eventually(busyJobs, (jobs) => jobs.all === 60 && jobs.waiting === 55)
      await control(t.discordUrl, 'POST', `/channels/${quiet.id}/messages`, {
        author_id: discordSeed.users.mark,
        content: 'quiet one',
      })
      // The quiet reply reaches Slack while all of the busy one's backlog is still waiting.
      const [, quietReply] = await eventually(
        () => thread('Quiet'),
        (m) => m.length === 2,
      )
      expect(quietReply.text).toBe('quiet one')
      expect((await thread('Busy')).length - 1).toBe(5)
      expect(Number(await busyWaiting())).toBe(55)

      hold.release()
      const busyReplies = await eventually(
        () => thread('Busy'),
        (m) => m.length === 61,
        60_000,
      )
      expect(busyReplies.slice(1).map((m) => m.text)).toEqual(
        Array.from({ length: 60 }, (_, n) => `busy ${n}`),
      )
      const aheadOfQuiet = busyReplies.slice(1).filter((m) => Number(m.ts) < Number(quietReply.ts))
      expect(aheadOfQuiet).toHaveLength(5)
    }, 120_000)
  })

  describe('a burst of 500 replies across 20 discussions', () => {
    const t = useBridge({ rateLimitScale: 20 })

    it('arrives complete and in order on both platforms, with no 429 at all', async () => {
      const { discordSeed, slackSeed } = t.sandbox
      const threads: { id: string }[] = []
      for (let i = 0; i < 20; i++) {
        threads.push(
          await control(t.discordUrl, 'POST', `/channels/${discordSeed.forumId}/threads`, {
            author_id: discordSeed.users.jo,
            name: `Discussion ${i}`,
            content: `Opening ${i}`,
          }),
        )
      }
      const roots = await eventually(
        () => control<any[]>(t.slackUrl, 'GET', `/conversations/${slackSeed.channelId}/history`),
        (m) => m.length === 20,
        60_000,
      )
      const rootOf = (i: number) => roots.find((r) => r.text.startsWith(`*Discussion ${i}*`))?.ts as string

      // Ten discussions take 25 replies on Discord, ten take 25 on Slack, all at once.
      const posts: Promise<unknown>[] = []
      for (let n = 0; n < 25; n++) {
        for (let i = 0; i < 20; i++) {
          posts.push(
            i < 10
              ? control(t.discordUrl, 'POST', `/channels/${threads[i]?.id}/messages`, {
                  author_id: discordSeed.users.mark,
                  content: `d${i} reply ${n}`,
                })
              : control(t.slackUrl, 'POST', '/messages', {
                  user: slackSeed.users.sam,
                  channel: slackSeed.channelId,
                  text: `s${i} reply ${n}`,
                  thread_ts: rootOf(i),
                }),
          )
        }
      }
      await Promise.all(posts)
      const expected = (prefix: string, i: number) =>
        Array.from({ length: 25 }, (_, n) => `${prefix}${i} reply ${n}`)
      for (let i = 0; i < 20; i++) {
        if (i < 10) {
          const replies = await eventually(
            () =>
              control<any[]>(t.slackUrl, 'GET', `/conversations/${slackSeed.channelId}/replies/${rootOf(i)}`),
            (m) => m.length === 26,
            120_000,
          )
          expect(replies.slice(1).map((m) => m.text)).toEqual(expected('d', i))
        } else {
          const messages = await eventually(
            () => control<any[]>(t.discordUrl, 'GET', `/channels/${threads[i]?.id}/messages`),
            (m) => m.length === 26,
            120_000,
          )
          expect(messages.slice(1).map((m) => m.content)).toEqual(expected('s', i))
        }
      }
      await t.bridge.worker.idle()
      const discordStats = await control(t.discordUrl, 'GET', '/stats')
      const slackStats = await control(t.slackUrl, 'GET', '/stats')
      expect([discordStats.rate_limited, slackStats.rate_limited]).toEqual([0, 0])
      expect(slackStats.by_route['chat.postMessage'].requests).toBe(20 + 250)
    }, 240_000)
  })
})
