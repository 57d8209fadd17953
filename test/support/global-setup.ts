import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { PGlite } from '@electric-sql/pglite'
import type { TestProject } from 'vitest/node'

/**
 * Starting an embedded PostgreSQL from nothing runs initdb, which takes seconds; loading a
 * snapshot of a fresh one takes a fraction of that. So the run makes one empty, unmigrated
 * snapshot up front and every test file starts from it, then runs the real migrations itself.
 */
export default async function setup(project: TestProject) {
  const dir = await mkdtemp(path.join(tmpdir(), 'threadbridge-test-'))
  // The same fresh database as a directory, for the bots tests start as child processes: each
  // gets a copy where a newcomer's first start would run initdb (they use the embedded database
  // whichever the run's own is). The first start itself is tested from nothing (start.test).
  const template = path.join(dir, 'empty-pglite')
  const client = await PGlite.create({ dataDir: template })
  const snapshot = await client.dumpDataDir('none')
  await client.close()
  project.provide('pgliteDataDir', template)
  if (!process.env.DATABASE_URL) {
    const file = path.join(dir, 'empty-pglite.tar')
    await writeFile(file, Buffer.from(await snapshot.arrayBuffer()))
    project.provide('pgliteSnapshot', file)
  }
  return async () => {
    await rm(dir, { recursive: true, force: true })
  }
}

declare module 'vitest' {
  export interface ProvidedContext {
    pgliteSnapshot: string
    /** An initdb'd, unmigrated embedded database directory, never opened by a test: copy it. */
    pgliteDataDir: string
  }
}
