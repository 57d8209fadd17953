import { describe, expect, it } from 'vitest'
import {
  asThreadbridgeError,
  BannedError,
  ContentDeletedError,
  DatabaseUnavailableError,
  DiscussionLockedError,
  isRefusalToTell,
  NotAMemberError,
  PermissionDeniedError,
  ThreadbridgeError,
  ValidationError,
} from '../../src/errors.ts'

describe('errors', () => {
  it('carry a code and read well in logs', () => {
    const error = new NotAMemberError(
      'lightbulb-moment',
      'Lightbulb Moment',
      'Join Lightbulb Moment with /join, then try again.',
    )
    expect(error.code).toBe('not_a_member')
    expect(error.name).toBe('NotAMemberError[not_a_member]')
    expect(String(error)).toMatch(
      /^NotAMemberError\[not_a_member\]: You need to be a member of Lightbulb Moment/,
    )
    expect(error.retryable).toBe(false)
  })

  it('tell the refusals a person hears about from the failures that are logged', () => {
    for (const refusal of [
      new NotAMemberError('lightbulb-moment', 'Lightbulb Moment', 'Join with /join.'),
      new BannedError('lightbulb-moment', 'Lightbulb Moment'),
      new DiscussionLockedError('d1'),
      new ContentDeletedError('discussion', 'd1'),
    ])
      expect(isRefusalToTell(refusal), refusal.code).toBe(true)
    for (const failure of [
      new DatabaseUnavailableError('down'),
      new ValidationError('empty'),
      new PermissionDeniedError('edit this reply'),
      new Error('bug'),
    ])
      expect(isRefusalToTell(failure), failure.message).toBe(false)
  })

  it('mark outages as retryable', () => {
    expect(new DatabaseUnavailableError('down').retryable).toBe(true)
  })

  it('wrap anything thrown, keeping the original as the cause', () => {
    const original = new TypeError('boom')
    const wrapped = asThreadbridgeError(original)
    expect(wrapped).toBeInstanceOf(ThreadbridgeError)
    expect(wrapped).toMatchObject({ code: 'unknown', message: 'boom', cause: original })
    expect(asThreadbridgeError(wrapped)).toBe(wrapped)
    expect(asThreadbridgeError('a string').message).toBe('a string')
  })
})
