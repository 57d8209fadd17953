import type { Executor } from '../db/in-transaction.ts'
import type { Platform } from '../platform/platform.ts'

/**
 * For accounts on `platform`, the same person's account on `target` where they linked the two
 * (one statement), by platform user id. Unlinked accounts are absent. Read afresh each time, not
 * cached: a mention right after `/link` or `/unlink` must follow it.
 */
export async function linkedAccountIds(
  db: Executor,
  platform: Platform,
  target: Platform,
  platformUserIds: readonly string[],
): Promise<Map<string, string>> {
  if (platformUserIds.length === 0 || platform === target) return new Map()
  const rows = await db
    .selectFrom('identities as source')
    .innerJoin('identities as other', 'other.member_id', 'source.member_id')
    .select(['source.platform_user_id as id', 'other.platform_user_id as linked'])
    .where('source.platform', '=', platform)
    .where('source.platform_user_id', 'in', platformUserIds)
    .where('other.platform', '=', target)
    .execute()
  return new Map(rows.map((row) => [row.id, row.linked]))
}
