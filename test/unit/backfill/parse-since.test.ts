import { describe, expect, it } from 'vitest'
import { parseSince } from '../../../src/backfill/parse-since.ts'
import { ValidationError } from '../../../src/errors.ts'

describe('parseSince: what --since asks for', () => {
  const now = new Date('2026-03-31T12:00:00Z')

  it('takes durations back from now', () => {
    expect(parseSince('30d', now).toISOString()).toBe('2026-03-01T12:00:00.000Z')
    expect(parseSince('12h', now).toISOString()).toBe('2026-03-31T00:00:00.000Z')
    expect(parseSince('90m', now).toISOString()).toBe('2026-03-31T10:30:00.000Z')
    expect(parseSince('2w', now).toISOString()).toBe('2026-03-17T12:00:00.000Z')
  })

  it('takes ISO 8601 dates and times; a date alone is midnight UTC', () => {
    expect(parseSince('2026-01-31', now).toISOString()).toBe('2026-01-31T00:00:00.000Z')
    expect(parseSince('2026-01-31T09:15:00+02:00', now).toISOString()).toBe('2026-01-31T07:15:00.000Z')
  })

  it.each(['', '30', 'd', '0d', '3x', 'yesterday', '3/4/25', 'March 3', '2026-13-45', '2027-01-01'])(
    'refuses %j with a ValidationError',
    (text) => {
      expect(() => parseSince(text, now)).toThrow(ValidationError)
    },
  )
})
