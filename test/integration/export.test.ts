import { execFile } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { z } from 'zod'
import { Core } from '../../src/core.ts'
import type { DatabaseHandle } from '../../src/db/open-database.ts'
import { exportCommunity } from '../../src/export/export-community.ts'
import { exportMember } from '../../src/export/export-member.ts'
import { useCore } from '../support/core-fixture.ts'
import { jo, lightbulb, mark, sam } from '../support/people.ts'
import { createTestDatabase, targetName } from '../support/test-database.ts'

/** The export format as a reader relies on it, written down apart from the code that makes it. */
const time = z.iso.datetime()
const author = z.strictObject({
  memberId: z.uuid(),
  name: z.string(),
  platform: z.enum(['discord', 'slack']).nullable(),
})
const attachment = z.strictObject({
  fileName: z.string(),
  url: z.string(),
  sizeBytes: z.number().nullable(),
  contentType: z.string().nullable(),
})
const words = { deleted: z.literal(false), text: z.string(), format: z.enum(['plain', 'discord', 'slack']) }
const discussionBase = {
  type: z.literal('discussion'),
  id: z.uuid(),
  communityId: z.string(),
  number: z.number().int().positive(),
  author,
  createdAt: time,
  editedAt: time.nullable(),
  lockedAt: time.nullable(),
  deletedAt: time.nullable(),
}
const replyBase = {
  type: z.literal('reply'),
  id: z.uuid(),
  discussionId: z.uuid(),
  parentReplyId: z.uuid().nullable(),
  author,
  createdAt: time,
  editedAt: time.nullable(),
  deletedAt: time.nullable(),
}
// strictObject: a tombstone with any text in it fails to parse.
const contentLine = z.union([
  z.strictObject({ ...discussionBase, ...words, title: z.string(), attachments: z.array(attachment) }),
  z.strictObject({ ...discussionBase, deleted: z.literal(true) }),
  z.strictObject({ ...replyBase, ...words, attachments: z.array(attachment) }),
  z.strictObject({ ...replyBase, deleted: z.literal(true) }),
])
const personLine = z.union([
  contentLine,
  z.strictObject({ type: z.literal('member'), id: z.uuid(), name: z.string(), createdAt: time }),
  z.strictObject({
    type: z.literal('identity'),
    platform: z.enum(['discord', 'slack']),
    platformUserId: z.string(),
    name: z.string(),
    avatarUrl: z.string().nullable(),
    createdAt: time,
  }),
  z.strictObject({
    type: z.literal('preferences'),
    autoSubscribe: z.boolean(),
    digestFrequency: z.enum(['off', 'immediate', 'daily', 'weekly']),
    timeZone: z.string(),
    digestHour: z.number().int(),
    digestWeekday: z.number().int(),
    preferredPlatform: z.enum(['discord', 'slack']).nullable(),
    updatedAt: time,
  }),
  z.strictObject({
    type: z.literal('membership'),
    communityId: z.string(),
    status: z.enum(['joined', 'left', 'banned']),
    role: z.enum(['member', 'moderator']),
    joinedAt: time,
  }),
  z.strictObject({
    type: z.literal('subscription'),
    discussionId: z.uuid().nullable(),
    communityId: z.string().nullable(),
    level: z.enum(['watching', 'muted']),
    createdAt: time,
  }),
  z.strictObject({
    type: z.literal('reaction'),
    discussionId: z.uuid(),
    replyId: z.uuid().nullable(),
    emoji: z.string(),
    platform: z.enum(['discord', 'slack']),
    createdAt: time,
  }),
])

/** What the CLI would print: one JSON text per record, each parsed back as a reader would. */
async function lines<T>(records: AsyncIterable<unknown>, schema: z.ZodType<T>): Promise<T[]> {
  const parsed: T[] = []
  for await (const record of records) parsed.push(schema.parse(JSON.parse(JSON.stringify(record))))
  return parsed
}

/** Two discussions with replies, a nested reply, an edit, a deletion and an attachment. */
async function seed(core: Core) {
  await core.memberships.join(lightbulb.id, jo)
  await core.memberships.join(lightbulb.id, sam)
  const first = await core.discussions.start({
    communityId: lightbulb.id,
    author: jo,
    title: 'First',
    body: 'The first discussion.',
    format: 'discord',
    attachments: [{ fileName: 'plan.pdf', url: 'https://files.example/plan.pdf', sizeBytes: 1200 }],
  })
  const hello = await core.replies.post({
    discussionId: first.id,
    author: sam,
    body: 'Hello',
    format: 'slack',
  })
  const answer = await core.replies.post({
    discussionId: first.id,
    parentReplyId: hello.id,
    author: jo,
    body: 'Hello to you',
    format: 'discord',
  })
  const regret = await core.replies.post({
    discussionId: first.id,
    author: sam,
    body: 'Regrettable',
    format: 'slack',
  })
  await core.replies.delete({ replyId: regret.id, actor: mark })
  await core.replies.edit({ replyId: answer.id, editor: jo, body: 'Hello to you too' })
  const second = await core.discussions.start({
    communityId: lightbulb.id,
    author: sam,
    title: 'Second',
    body: 'Soon gone.',
    format: 'slack',
  })
  const kept = await core.replies.post({
    discussionId: second.id,
    author: jo,
    body: 'Still here',
    format: 'discord',
  })
  await core.discussions.delete({ discussionId: second.id, actor: sam })
  await core.react({
    discussionId: first.id,
    replyId: hello.id,
    emoji: '👍',
    platform: 'slack',
    platformUserId: sam.platformUserId,
    added: true,
  })
  return { first, second, hello, answer, regret, kept }
}

describe(`export (${targetName})`, () => {
  const t = useCore()

  it('writes each discussion then its replies in order, tombstones without words, a page at a time', async () => {
    const s = await seed(t.core)
    // A page of 2: every discussion and reply list spans pages.
    const records = await lines(exportCommunity(t.handle.db, lightbulb.id, { pageSize: 2 }), contentLine)
    expect(records.map((r) => [r.type, r.id])).toEqual([
      ['discussion', s.first.id],
      ['reply', s.hello.id],
      ['reply', s.answer.id],
      ['reply', s.regret.id],
      ['discussion', s.second.id],
      ['reply', s.kept.id],
    ])
    const [first, hello, answer, regret, second, kept] = records
    expect(first).toMatchObject({
      number: 1,
      title: 'First',
      text: 'The first discussion.',
      format: 'discord',
      author: { name: 'jo', platform: 'discord' },
      attachments: [{ fileName: 'plan.pdf', url: 'https://files.example/plan.pdf', sizeBytes: 1200 }],
      deleted: false,
    })
    expect(hello).toMatchObject({
      text: 'Hello',
      author: { name: 'sam', platform: 'slack' },
      parentReplyId: null,
    })
    expect(answer).toMatchObject({ text: 'Hello to you too', parentReplyId: s.hello.id })
    expect(answer?.editedAt).not.toBeNull()
    expect(regret).toMatchObject({ deleted: true, author: { name: 'sam' } })
    expect(regret?.deletedAt).not.toBeNull()
    expect(second).toMatchObject({ number: 2, deleted: true })
    expect(kept).toMatchObject({ text: 'Still here', deleted: false })
    expect(JSON.stringify(records)).not.toMatch(/Regrettable|Soon gone|"Second"/)
  })

  it('refuses a community that does not exist', async () => {
    await expect(lines(exportCommunity(t.handle.db, 'nowhere'), contentLine)).rejects.toMatchObject({
      code: 'not_found',
    })
  })

  it('writes what one person wrote and what is held about them, by account or member id', async () => {
    const s = await seed(t.core)
    const records = await lines(
      exportMember(t.handle.db, { platform: 'slack', platformUserId: sam.platformUserId }, { pageSize: 1 }),
      personLine,
    )
    expect(records.map((r) => r.type)).toEqual([
      'member',
      'identity',
      'membership',
      'subscription',
      'subscription',
      'reaction',
      'discussion',
      'reply',
      'reply',
    ])
    expect(records.find((r) => r.type === 'identity')).toMatchObject({ platform: 'slack', name: 'sam' })
    expect(records.filter((r) => r.type === 'reply').map((r) => [r.id, r.deleted])).toEqual([
      [s.hello.id, false],
      [s.regret.id, true],
    ])
    expect(records.find((r) => r.type === 'reaction')).toMatchObject({ replyId: s.hello.id, emoji: '👍' })
    const member = records[0]?.type === 'member' ? records[0].id : ''
    const byId = await lines(exportMember(t.handle.db, { memberId: member }), personLine)
    expect(byId).toEqual(
      await lines(exportMember(t.handle.db, { memberId: member }, { pageSize: 1 }), personLine),
    )
    expect(byId).toHaveLength(records.length)
    await expect(
      lines(exportMember(t.handle.db, { memberId: 'not-a-uuid' }), personLine),
    ).rejects.toMatchObject({
      code: 'not_found',
    })
  })
})

describe(`threadbridge export, as a process (${targetName})`, () => {
  const root = fileURLToPath(new URL('../..', import.meta.url))
  let dataDir: string
  let database: DatabaseHandle | undefined
  beforeEach(() => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'threadbridge-export-'))
  })
  afterEach(async () => {
    await database?.close()
    rmSync(dataDir, { recursive: true, force: true })
  })

  /** The CLI as an operator runs it, on the database the environment names. */
  const run = (args: string[], env: NodeJS.ProcessEnv) =>
    promisify(execFile)(process.execPath, ['bin/threadbridge.mjs', 'export', ...args], {
      cwd: root,
      env: { PATH: process.env.PATH, ...env },
    }).then(
      ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
      (error: { code: number; stdout: string; stderr: string }) => error,
    )

  it('prints the community as JSON Lines, and one clear line for a bad argument', async () => {
    // The embedded database is one process's at a time: seeded, closed, then the CLI's.
    database = await createTestDatabase(
      process.env.DATABASE_URL ? {} : { dataDir: path.join(dataDir, 'pglite') },
    )
    const core = new Core(database.db)
    await core.applyConfig([lightbulb])
    const s = await seed(core)
    const env = process.env.DATABASE_URL
      ? { DATABASE_URL: database.location }
      : { THREADBRIDGE_DATA_DIR: dataDir }
    if (!process.env.DATABASE_URL) {
      await database.close()
      database = undefined
    }

    const exported = await run(['--community', lightbulb.id], env)
    expect(exported.stderr).toBe('')
    expect(exported.code).toBe(0)
    const records = exported.stdout
      .trimEnd()
      .split('\n')
      .map((line) => contentLine.parse(JSON.parse(line)))
    expect(records.map((r) => r.id)).toEqual([
      s.first.id,
      s.hello.id,
      s.answer.id,
      s.regret.id,
      s.second.id,
      s.kept.id,
    ])

    const unknown = await run(['--community', lightbulb.id, '--everything'], env)
    expect(unknown.code).toBe(2)
    expect(unknown.stdout).toBe('')
    expect(unknown.stderr).toMatch(
      /^threadbridge export: unknown option '--everything' \(see threadbridge export --help\)\n$/,
    )
    expect(unknown.stderr).not.toMatch(/\n\s+at /)
    const missing = await run(['--community', 'nowhere'], env)
    expect(missing).toMatchObject({
      code: 1,
      stdout: '',
      stderr: 'threadbridge: community nowhere does not exist\n',
    })
  })
})
