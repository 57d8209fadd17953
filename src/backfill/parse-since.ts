import { ValidationError } from '../errors.ts'

const UNIT_MS = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000 } as const

/**
 * The start of what `--since` asks for: a duration back from `now` (`30d`, `12h`, `90m`, `2w`)
 * or a date or time in ISO 8601 (`2025-01-31`, `2025-01-31T09:00:00Z`; a date alone is midnight
 * UTC). A time in the future, or one that is not a time at all, is refused: either is a typo, and
 * a backfill that silently reads nothing (or everything) would hide it.
 */
export function parseSince(text: string, now: Date): Date {
  const value = text.trim()
  const duration = /^(\d+)\s*([mhdw])$/i.exec(value)
  if (duration !== null) {
    const amount = Number(duration[1])
    const unit = (duration[2] ?? 'd').toLowerCase() as keyof typeof UNIT_MS
    if (amount <= 0) throw new ValidationError(`--since ${value}: a duration must be more than zero`)
    return new Date(now.getTime() - amount * UNIT_MS[unit])
  }
  // Date.parse takes far more than ISO 8601 ("March 3", "3/4/25"): only ISO's shapes are accepted,
  // so an ambiguous day and month order is never guessed.
  if (/^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/.test(value)) {
    const at = Date.parse(value)
    if (!Number.isNaN(at)) {
      if (at > now.getTime()) throw new ValidationError(`--since ${value}: that is in the future`)
      return new Date(at)
    }
  }
  throw new ValidationError(
    `--since ${JSON.stringify(text)}: expected a duration (30d, 12h, 90m, 2w) or an ISO 8601 date (2025-01-31)`,
  )
}
