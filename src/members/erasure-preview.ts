import type { Executor } from '../db/in-transaction.ts'
import type { Platform } from '../platform/platform.ts'
import { personBehind } from './person-behind.ts'

/** What `/forget-me` would erase, counted before the person confirms. */
export interface ErasurePreview {
  discussions: number
  replies: number
  /** Their accounts as we hold them: the one they asked from, and a linked one. */
  accounts: { platform: Platform; displayName: string }[]
}

/**
 * Counts what erasing the person behind `account` would turn into tombstones, and names their
 * accounts. Only reads: undefined when we hold no account of theirs, and nothing is created for
 * someone we have never seen (resolving them, as commands usually do, would store them).
 */
export async function previewErasure(
  db: Executor,
  account: { platform: Platform; platformUserId: string },
): Promise<ErasurePreview | undefined> {
  const person = await personBehind(db, account, { lock: false })
  if (person === undefined) return undefined
  const { memberIds } = person
  const count = async (table: 'discussions' | 'replies') => {
    const row = await db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('author_member_id', 'in', memberIds)
      .where('deleted_at', 'is', null)
      .executeTakeFirstOrThrow()
    return Number(row.n)
  }
  return {
    discussions: await count('discussions'),
    replies: await count('replies'),
    accounts: person.accounts.map(({ platform, displayName }) => ({ platform, displayName })),
  }
}
