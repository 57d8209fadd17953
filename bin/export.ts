/**
 * `npm run export -- --community <id>`: the community's discussions and replies as JSON Lines on
 * stdout. `npm run export -- --member <member id | discord:<user id> | slack:<user id>>`: what
 * one person wrote and what we hold about them (an access request). The line format is in
 * src/export/export-records.ts. Uses the same DATABASE_URL (or embedded data directory) as
 * `npm start`; the embedded database must not be open in a running bot at the same time.
 */
import { once } from 'node:events'
import { parseArgs } from 'node:util'
import type { Executor } from '../src/db/in-transaction.ts'
import { ThreadbridgeError } from '../src/errors.ts'
import { exportCommunity } from '../src/export/export-community.ts'
import { exportMember, type MemberRef } from '../src/export/export-member.ts'
import type { ExportRecord } from '../src/export/export-records.ts'
import { exitWithError, openConfiguredDatabase } from './cli-support.ts'

const USAGE = 'usage: npm run export -- --community <id> | --member <member id | discord:<id> | slack:<id>>'

function usageError(message: string): never {
  console.error(`threadbridge export: ${message}\n${USAGE}`)
  process.exit(2)
}

function parseRequest(): { communityId: string } | { member: MemberRef } {
  let values: { community?: string | undefined; member?: string | undefined }
  try {
    ;({ values } = parseArgs({
      options: { community: { type: 'string' }, member: { type: 'string' } },
      strict: true,
      allowPositionals: false,
    }))
  } catch (error) {
    usageError(error instanceof Error ? error.message : String(error))
  }
  if ((values.community === undefined) === (values.member === undefined))
    usageError('give exactly one of --community and --member')
  if (values.community !== undefined) {
    if (values.community.trim() === '') usageError('--community needs a community id')
    return { communityId: values.community }
  }
  const member = values.member?.trim() ?? ''
  if (member === '') usageError('--member needs a member id, or discord:<user id> or slack:<user id>')
  const account = /^(discord|slack):(.+)$/.exec(member)
  if (account?.[1] === 'discord' || account?.[1] === 'slack')
    return { member: { platform: account[1], platformUserId: account[2] ?? '' } }
  return { member: { memberId: member } }
}

/** Writes one line, waiting while stdout's buffer is full: memory stays flat however much is exported. */
async function writeLine(record: ExportRecord): Promise<void> {
  if (!process.stdout.write(`${JSON.stringify(record)}\n`)) await once(process.stdout, 'drain')
}

const request = parseRequest()
// A reader that stops early (`| head`) is not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0)
  throw error
})
const { database } = await openConfiguredDatabase(process.env, 'embedded')
try {
  // One snapshot for the whole export: what changes meanwhile is either all in it or not at all.
  await database.db
    .transaction()
    .setIsolationLevel('repeatable read')
    .setAccessMode('read only')
    .execute(async (tx: Executor) => {
      const records =
        'communityId' in request ? exportCommunity(tx, request.communityId) : exportMember(tx, request.member)
      for await (const record of records) await writeLine(record)
    })
} catch (error) {
  await database.close().catch(() => {})
  exitWithError(describeSchemaError(error))
}
await database.close()

/** An unmigrated database fails with "relation does not exist": say what to do instead. */
function describeSchemaError(error: unknown): unknown {
  const code = (error as { code?: unknown }).code
  return code === '42P01' || code === '42703'
    ? new ThreadbridgeError('unknown', 'the database schema is not up to date: run `npm run migrate` first')
    : error
}
