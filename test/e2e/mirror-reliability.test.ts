import { describe, expect, it } from 'vitest'
import type { MirrorTarget } from '../../src/mirror/mirror-target.ts'
import { eventually, useBridge } from '../support/bridge-harness.ts'
import { control } from '../support/control.ts'

/** Crashes the worker once, right after the platform accepted a reply and before we recorded it. */
function crashAfterFirstReply(target: MirrorTarget): MirrorTarget {
  let crashed = false
  return Object.assign(Object.create(target) as MirrorTarget, {
    publishReply: async (input: Parameters<MirrorTarget['publishReply']>[0]) => {
      const posted = await target.publishReply(input)
      if (!crashed) {
        crashed = true
        throw new Error('injected crash between send and record')
      }
      return posted
    },
  })
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
