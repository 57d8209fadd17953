import { describe, expect, it } from 'vitest'
import { ZodError } from 'zod'
import { fromSlackEvent } from '../../../adapters/slack/slack-events.ts'

describe('Slack events, parsed at the edge', () => {
  it('opens a discussion from a top-level message, to be titled by its first line', () => {
    const event = fromSlackEvent(
      'message',
      { channel: 'C1', user: 'U1', text: '*Hi* all\nMore', ts: '1.000' },
      'Ev1',
    )
    expect(event).toMatchObject({
      kind: 'message_posted',
      text: '*Hi* all\nMore',
      opens: { titledByFirstLine: true },
    })
  })

  it('reads a thread parent turned tombstone as a deletion, and a reply-count change as nothing', () => {
    const tombstone = {
      channel: 'C1',
      subtype: 'message_changed',
      ts: '2.0',
      message: { subtype: 'tombstone', ts: '1.0' },
    }
    expect(fromSlackEvent('message', tombstone, 'Ev2')).toMatchObject({
      kind: 'message_deleted',
      wasThreadRoot: true,
    })
    const count = {
      channel: 'C1',
      subtype: 'message_changed',
      ts: '2.0',
      message: { user: 'U1', text: 'same', ts: '1.0', reply_count: 3 },
      previous_message: { text: 'same' },
    }
    expect(fromSlackEvent('message', count, 'Ev3')).toBeUndefined()
  })

  it('refuses a payload without the fields it reads (the adapter logs it, without its words)', () => {
    expect(() => fromSlackEvent('message', { channel: 'C1', text: 'secret words' }, 'Ev4')).toThrow(ZodError)
    expect(() => fromSlackEvent('reaction_added', { channel: 'C1', ts: 1 }, 'Ev5')).toThrow(ZodError)
  })
})
