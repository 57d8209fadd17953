import type { Executor } from '../db/in-transaction.ts'
import { visibleName } from '../names/visible-name.ts'
import type { Platform } from '../platform/platform.ts'

/** The names our records hold for these platform accounts (one statement), by platform user id. */
export async function identityNames(
  db: Executor,
  platform: Platform,
  platformUserIds: readonly string[],
): Promise<Map<string, string>> {
  if (platformUserIds.length === 0) return new Map()
  const rows = await db
    .selectFrom('identities')
    .select(['platform_user_id', 'display_name'])
    .where('platform', '=', platform)
    .where('platform_user_id', 'in', platformUserIds)
    .execute()
  // Names stored before they were cleaned at the edge are cleaned as they are read.
  return new Map(
    rows.map((row) => [row.platform_user_id, visibleName([row.display_name], row.platform_user_id)]),
  )
}
