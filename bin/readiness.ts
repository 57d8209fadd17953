import { sql } from 'kysely'
import type { DatabaseHandle } from '../src/db/open-database.ts'
import type { Readiness } from './http-server.ts'
import { withDeadline } from './with-deadline.ts'

/** A database that takes longer than this to answer `select 1` is not ready to serve. */
const DATABASE_CHECK_MS = 2000

/**
 * Ready means able to bridge: the database answers and both platforms are connected. Before the
 * bridge has connected (`connected` undefined), neither platform is.
 */
export async function checkReadiness(
  database: DatabaseHandle,
  connected: (() => { discord: boolean; slack: boolean }) | undefined,
): Promise<Readiness> {
  const reasons: string[] = []
  const answers = await withDeadline(
    sql`select 1`.execute(database.db).then(() => true),
    DATABASE_CHECK_MS,
    () => new Error('late'),
  ).catch(() => false)
  if (!answers) reasons.push('the database does not answer')
  const platforms = connected?.() ?? { discord: false, slack: false }
  if (!platforms.discord) reasons.push('Discord is not connected')
  if (!platforms.slack) reasons.push('Slack is not connected')
  return { ready: reasons.length === 0, reasons }
}
