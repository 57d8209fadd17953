import { sql } from 'kysely'
import type { Executor } from '../db/in-transaction.ts'

/** Offered before anything is typed: where most people are, rather than the alphabet's start. */
const COMMON = [
  'UTC',
  'Europe/London',
  'Europe/Paris',
  'Europe/Berlin',
  'America/New_York',
  'America/Chicago',
  'America/Denver',
  'America/Los_Angeles',
  'America/Sao_Paulo',
  'Africa/Lagos',
  'Africa/Johannesburg',
  'Asia/Kolkata',
  'Asia/Singapore',
  'Asia/Tokyo',
  'Australia/Sydney',
]

/**
 * The IANA time zone a person named, spelt as the database's tz data spells it
 * (`europe/kyiv` → `Europe/Kyiv`), or null. The database is the authority because it is what
 * computes digest times (`AT TIME ZONE`): a name the runtime knew and the database did not would
 * stop the scheduler. UTC offsets such as `+05:00` are no time zone: they ignore daylight saving.
 */
export async function findTimeZone(db: Executor, name: string): Promise<string | null> {
  if (!/^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+)*$/.test(name)) return null
  const found = await sql<{ name: string }>`
    select name from pg_timezone_names
    where lower(name) = lower(${name}) and name not like 'posix/%'
    order by name = ${name} desc
    limit 1`.execute(db)
  return found.rows[0]?.name ?? null
}

/** Time zones whose name contains what is typed (`york` finds America/New_York); common ones first when nothing is. */
export async function searchTimeZones(db: Executor, typed: string, limit = 25): Promise<string[]> {
  const words = typed.trim().replace(/\s+/g, '_')
  if (words === '') return COMMON.slice(0, limit)
  const pattern = `%${words.replace(/[\\%_]/g, (c) => `\\${c}`)}%`
  const found = await sql<{ name: string }>`
    select name from pg_timezone_names
    where name ilike ${pattern} and name not like 'posix/%' and (name like '%/%' or name = 'UTC')
    order by name
    limit ${limit}`.execute(db)
  return found.rows.map((row) => row.name)
}
