/**
 * `threadbridge export --community <id>` (`npm run export -- --community <id>`): the community's
 * discussions and replies as JSON Lines on stdout. `threadbridge export --member <member id | discord:<user id> | slack:<user id>>`: what
 * one person wrote and what we hold about them (an access request). The line format is in
 * src/export/export-records.ts. Uses the same DATABASE_URL (or embedded data directory) as
 * `npm start`; the embedded database must not be open in a running bot at the same time.
 */
import { once } from 'node:events'
import type { Executor } from '../src/db/in-transaction.ts'
import { ThreadbridgeError } from '../src/errors.ts'
import { exportCommunity } from '../src/export/export-community.ts'
import { exportMember, type MemberRef } from '../src/export/export-member.ts'
import type { ExportRecord } from '../src/export/export-records.ts'
import { exitWithError, openConfiguredDatabase } from './cli-support.ts'

/** What to export: one community, or what one person wrote and what is held about them. */
export type ExportRequest = { communityId: string } | { member: MemberRef }

/**
 * Reads `--member`'s value: a member id, or `discord:<user id>` / `slack:<user id>`. Returns a
 * reason (for a one-line usage error) when the value is empty.
 */
export function parseMemberRef(value: string): MemberRef | string {
  const member = value.trim()
  if (member === '') return '--member needs a member id, or discord:<user id> or slack:<user id>'
  const account = /^(discord|slack):(.+)$/.exec(member)
  if (account?.[1] === 'discord' || account?.[1] === 'slack')
    return { platform: account[1], platformUserId: account[2] ?? '' }
  return { memberId: member }
}

/** Writes one line, waiting while stdout's buffer is full: memory stays flat however much is exported. */
async function writeLine(record: ExportRecord): Promise<void> {
  if (!process.stdout.write(`${JSON.stringify(record)}\n`)) await once(process.stdout, 'drain')
}

/** Streams the request's records to stdout from one read-only snapshot, or exits with one line. */
export async function exportRecords(request: ExportRequest): Promise<void> {
  // A reader that stops early (`| head`) ends it quietly, as every command (broken-pipe.ts).
  const { database } = await openConfiguredDatabase(process.env, 'embedded')
  try {
    // One snapshot for the whole export: what changes meanwhile is either all in it or not at all.
    await database.db
      .transaction()
      .setIsolationLevel('repeatable read')
      .setAccessMode('read only')
      .execute(async (tx: Executor) => {
        const records =
          'communityId' in request
            ? exportCommunity(tx, request.communityId)
            : exportMember(tx, request.member)
        for await (const record of records) await writeLine(record)
      })
  } catch (error) {
    await database.close().catch(() => {})
    exitWithError(describeSchemaError(error))
  }
  await database.close()
}

/** An unmigrated database fails with "relation does not exist": say what to do instead. */
function describeSchemaError(error: unknown): unknown {
  const code = (error as { code?: unknown }).code
  return code === '42P01' || code === '42703'
    ? new ThreadbridgeError(
        'unknown',
        'the database schema is not up to date: run `threadbridge migrate` first',
      )
    : error
}
