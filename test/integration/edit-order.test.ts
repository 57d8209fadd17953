import { beforeEach, describe, expect, it } from 'vitest'
import { fromSlackEvent } from '../../adapters/slack/slack-events.ts'
import { InboundDecisions } from '../../src/inbound/inbound-decisions.ts'
import type { MessageEdited } from '../../src/inbound/platform-event.ts'
import { mentionNames } from '../../src/names/mention-names.ts'
import { FakeModeratorAlerts } from '../fakes/fake-moderator-alerts.ts'
import { FakePlatformPort } from '../fakes/fake-platform-port.ts'
import { outboxEvents, useCore } from '../support/core-fixture.ts'
import { jo, lightbulb, sam } from '../support/people.ts'
import { targetName } from '../support/test-database.ts'

/**
 * Attack: a person edits a message several times, 0 ms apart. Over HTTP, Slack's deliveries of
 * those edits can arrive in any order; applied as they come, the last to arrive wins and the
 * discussion (and its mirror) is left showing an older version than Slack does. Each edit carries
 * the time it was made (Slack's `edited.ts`, Discord's `edited_timestamp`): an edit older than one
 * already applied is ignored. Here Slack's payloads go through the real parser and decisions.
 */
describe(`edits applied in the order they were made (${targetName})`, () => {
  const t = useCore()
  let decisions: InboundDecisions
  const channel = lightbulb.slack.channelId
  const rootTs = '1700000000.000100'

  beforeEach(async () => {
    await t.core.memberships.join(lightbulb.id, jo)
    await t.core.memberships.join(lightbulb.id, sam)
    const slack = new FakePlatformPort('slack', { U0SAM: { displayName: 'sam', avatarUrl: null } })
    const discord = new FakePlatformPort('discord')
    const ports = new Map([
      ['slack', slack],
      ['discord', discord],
    ] as const)
    const alerts = new FakeModeratorAlerts()
    decisions = new InboundDecisions({
      core: t.core,
      names: mentionNames(t.handle.db, ports, t.clock),
      ports,
      alerts,
      deadLetters: alerts,
      clock: t.clock,
    })
  })

  /** One Slack Events API delivery, parsed as the adapter parses it, then applied. */
  const deliver = async (payload: Record<string, unknown>, eventId: string) => {
    const event = fromSlackEvent('message', payload, eventId)
    if (event !== undefined) await decisions.apply(event)
  }
  const posted = (ts: string, text: string, threadTs?: string) =>
    deliver(
      {
        type: 'message',
        channel,
        user: sam.platformUserId,
        text,
        ts,
        ...(threadTs ? { thread_ts: threadTs } : {}),
      },
      `EvPost${ts}`,
    )
  /** Slack's message_changed for edit `n` of the message at `ts`, made at `editTs`. */
  const edit = (ts: string, n: number, editTs: string, threadTs?: string) => {
    const thread = threadTs ? { thread_ts: threadTs } : {}
    const text = (v: number) => (v < 0 ? 'First\nwords' : `Title v${v}\nBody v${v}`)
    return deliver(
      {
        type: 'message',
        subtype: 'message_changed',
        channel,
        ts: editTs,
        event_ts: editTs,
        message: {
          type: 'message',
          user: sam.platformUserId,
          text: text(n),
          ts,
          ...thread,
          edited: { user: sam.platformUserId, ts: editTs },
        },
        previous_message: { type: 'message', user: sam.platformUserId, text: text(n - 1), ts, ...thread },
      },
      `EvEdit${editTs}`,
    )
  }
  const editTs = (n: number) => `1700000100.00010${n}`
  const discussion = async () => {
    const link = await t.core.linkedContent({ platform: 'slack', channelId: channel, messageId: rootTs })
    if (link === undefined) throw new Error('the message opened no discussion')
    return t.core.discussions.get(link.discussionId)
  }
  const replyBody = async (id: string) =>
    (await t.handle.db.selectFrom('replies').select('body').where('id', '=', id).executeTakeFirst())?.body
  const edits = async () =>
    (await outboxEvents(t.handle)).filter((e) => e.type === 'discussion.edited' || e.type === 'reply.edited')

  it('four edits of an opening post made 0 ms apart, the last delivered before the one before it: the last one holds', async () => {
    await posted(rootTs, 'First\nwords')
    await edit(rootTs, 0, editTs(0))
    await edit(rootTs, 1, editTs(1))
    await edit(rootTs, 3, editTs(3))
    await edit(rootTs, 2, editTs(2)) // made before v3, delivered after it

    const shown = await discussion()
    expect({ title: shown.title, body: shown.body }).toEqual({ title: 'Title v3', body: 'Body v3' })
    // The late edit changed nothing, so nothing more was queued for the mirror.
    expect(await edits()).toHaveLength(3)
  })

  it("a reply's edits delivered in reverse: the newest holds", async () => {
    await posted(rootTs, 'First\nwords')
    const replyTs = '1700000050.000100'
    await posted(replyTs, 'First\nwords', rootTs)
    for (const n of [3, 2, 1, 0]) await edit(replyTs, n, editTs(n), rootTs)

    const link = await t.core.linkedContent({ platform: 'slack', channelId: channel, messageId: replyTs })
    expect(await replyBody(link?.replyId ?? '')).toBe('Title v3\nBody v3')
    expect(await edits()).toHaveLength(1)
  })

  it('an edit without a time of its own (a command, an older platform event) still applies, and a later timed one after it', async () => {
    await posted(rootTs, 'First\nwords')
    await edit(rootTs, 1, editTs(1))
    const { id } = await discussion()
    await t.core.discussions.edit({ discussionId: id, editor: sam, body: 'By command' })
    expect((await discussion()).body).toBe('By command')
    await edit(rootTs, 0, editTs(0)) // older than the last timed edit: still ignored
    expect((await discussion()).body).toBe('By command')
    await edit(rootTs, 2, editTs(2))
    expect((await discussion()).body).toBe('Body v2')
  })

  it('two Discord edits stamped in the same millisecond both apply, in the order Discord sent them', async () => {
    await posted(rootTs, 'First\nwords')
    const source = { platform: 'discord' as const, channelId: 'T1', messageId: 'M1', threadId: 'T1' }
    const reply = await t.core.replies.post({
      discussionId: (await discussion()).id,
      author: jo,
      body: 'first',
      format: 'discord',
      source,
    })
    const discordEdit = (text: string, editedAtUs: number): MessageEdited => ({
      kind: 'message_edited',
      origin: { platform: 'discord', eventId: `message_update:M1:${text}` },
      ref: { platform: 'discord', channelId: 'T1', messageId: 'M1' },
      author: { platformUserId: jo.platformUserId, displayName: 'jo' },
      text,
      asOpeningPost: { body: text },
      editedAtUs,
    })
    const body = () => replyBody(reply.id)
    await decisions.apply(discordEdit('two', 1_764_061_201_000_000))
    await decisions.apply(discordEdit('three', 1_764_061_201_000_000))
    expect(await body()).toBe('three')
    await decisions.apply(discordEdit('one', 1_764_061_200_999_000)) // a millisecond older: late
    expect(await body()).toBe('three')
  })
})
