import { beforeEach, describe, expect, it } from 'vitest'
import { findLinkedContent } from '../../src/links/message-links.ts'
import { outboxEvents, useCore } from '../support/core-fixture.ts'
import { jo, lightbulb, sam } from '../support/people.ts'
import { targetName } from '../support/test-database.ts'

describe(`inbound platform events (${targetName})`, () => {
  const t = useCore()
  let discussionId: string
  beforeEach(async () => {
    await t.core.memberships.join(lightbulb.id, jo)
    await t.core.memberships.join(lightbulb.id, sam)
    discussionId = (
      await t.core.discussions.start({
        communityId: lightbulb.id,
        author: jo,
        title: 'T',
        body: 'B',
        format: 'discord',
      })
    ).id
  })

  const slackReply = (ts: string) => (services: Parameters<Parameters<typeof t.core.inbound>[1]>[0]) =>
    services.replies.post({
      discussionId,
      author: sam,
      body: 'I think that is a great aspiration.',
      format: 'slack',
      source: {
        platform: 'slack',
        channelId: lightbulb.slack.channelId,
        messageId: ts,
        threadId: '1700000000.000100',
      },
    })

  it('a redelivered event changes nothing', async () => {
    const origin = { platform: 'slack' as const, eventId: 'Ev0001' }
    const first = await t.core.inbound(origin, slackReply('1700000001.000200'))
    const outboxAfterFirst = await outboxEvents(t.handle)
    const second = await t.core.inbound(origin, slackReply('1700000001.000200'))

    expect(first.duplicate).toBe(false)
    expect(second).toEqual({ duplicate: true })
    expect((await t.core.readThread(discussionId)).replies).toHaveLength(1)
    expect(await outboxEvents(t.handle)).toEqual(outboxAfterFirst)
  })

  it('applies a burst of concurrent deliveries of one event exactly once', async () => {
    const origin = { platform: 'slack' as const, eventId: 'Ev0002' }
    const results = await Promise.all(
      Array.from({ length: 4 }, () => t.core.inbound(origin, slackReply('1700000002.000300'))),
    )
    expect(results.filter((r) => !r.duplicate)).toHaveLength(1)
    expect((await t.core.readThread(discussionId)).replies).toHaveLength(1)
  })

  it('namespaces event ids by platform', async () => {
    await t.core.inbound({ platform: 'slack', eventId: 'same-id' }, slackReply('1700000003.000100'))
    const discord = await t.core.inbound({ platform: 'discord', eventId: 'same-id' }, (services) =>
      services.replies.post({ discussionId, author: jo, body: 'from discord', format: 'discord' }),
    )
    expect(discord.duplicate).toBe(false)
    expect((await t.core.readThread(discussionId)).replies).toHaveLength(2)
  })

  it('an event whose processing failed is not marked processed, so its redelivery applies', async () => {
    const origin = { platform: 'slack' as const, eventId: 'Ev0004' }
    await expect(
      t.core.inbound(origin, async (services) => {
        await slackReply('1700000004.000100')(services)
        throw new Error('crashed after writing')
      }),
    ).rejects.toThrow('crashed after writing')
    expect((await t.core.readThread(discussionId)).replies).toHaveLength(0)

    const retry = await t.core.inbound(origin, slackReply('1700000004.000100'))
    expect(retry.duplicate).toBe(false)
    expect((await t.core.readThread(discussionId)).replies).toHaveLength(1)
  })

  it('links the source platform message to the reply, so later edits find it', async () => {
    const result = await t.core.inbound(
      { platform: 'slack', eventId: 'Ev0005' },
      slackReply('1700000005.000100'),
    )
    if (result.duplicate) throw new Error('first delivery cannot be a duplicate')
    const link = await findLinkedContent(t.handle.db, {
      platform: 'slack',
      channelId: lightbulb.slack.channelId,
      messageId: '1700000005.000100',
    })
    expect(link).toEqual({ discussionId, replyId: result.value.id, origin: 'source' })
    // The same ts on Discord is a different message.
    expect(
      await findLinkedContent(t.handle.db, {
        platform: 'discord',
        channelId: lightbulb.slack.channelId,
        messageId: '1700000005.000100',
      }),
    ).toBeUndefined()
  })
})
