import { rmSync } from 'node:fs'
import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { PGlite } from '@electric-sql/pglite'
import type { TestProject } from 'vitest/node'

interface Template {
  /** An initdb'd, unmigrated embedded database directory, never opened by a test. */
  dataDir: string
  /** The same database as a tarball, for tests that open one in memory. */
  snapshot: string
}

/**
 * Starting an embedded PostgreSQL from nothing runs initdb, which takes seconds; loading a
 * snapshot of a fresh one takes a fraction of that. So the run makes one empty, unmigrated
 * database up front and every test file starts from it, then runs the real migrations itself.
 *
 * Vitest calls this once per project (unit, integration, …) and once for the root, all in one
 * process: the database is made once and shared, and removed when the process exits. Unit tests
 * open no database and get none.
 */
export default async function setup(project: TestProject) {
  if (project.name === 'unit') return
  const template = await templateOnce()
  project.provide('pgliteDataDir', template.dataDir)
  if (!process.env.DATABASE_URL) project.provide('pgliteSnapshot', template.snapshot)
}

const shared = globalThis as { threadbridgeTemplate?: Promise<Template> }

function templateOnce(): Promise<Template> {
  shared.threadbridgeTemplate ??= makeTemplate()
  return shared.threadbridgeTemplate
}

async function makeTemplate(): Promise<Template> {
  const dir = await mkdtemp(path.join(tmpdir(), 'threadbridge-test-'))
  process.on('exit', () => rmSync(dir, { recursive: true, force: true }))
  // The directory is for the bots tests start as child processes: each gets a copy where a
  // newcomer's first start would run initdb (they use the embedded database whichever the run's
  // own is). The first start itself is tested from nothing (start.test).
  const dataDir = path.join(dir, 'empty-pglite')
  const client = await PGlite.create({ dataDir })
  const dump = await client.dumpDataDir('none')
  await client.close()
  const snapshot = path.join(dir, 'empty-pglite.tar')
  await writeFile(snapshot, Buffer.from(await dump.arrayBuffer()))
  return { dataDir, snapshot }
}

declare module 'vitest' {
  export interface ProvidedContext {
    pgliteSnapshot: string
    /** An initdb'd, unmigrated embedded database directory, never opened by a test: copy it. */
    pgliteDataDir: string
  }
}
