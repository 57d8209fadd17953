import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { root } from '../support/npm-start.ts'
import { NODE_VERSION_MARKER, selectTests } from './test-selection.ts'

describe('which test files each CI stage runs', () => {
  const dirs: string[] = []
  afterAll(() => Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true }))))

  async function tree(files: Record<string, string>): Promise<string> {
    const dir = await mkdtemp(path.join(tmpdir(), 'threadbridge-selection-'))
    dirs.push(dir)
    for (const [file, source] of Object.entries(files)) {
      await mkdir(path.dirname(path.join(dir, file)), { recursive: true })
      await writeFile(path.join(dir, file), source)
    }
    return dir
  }

  it('runs on PostgreSQL a file that reaches the database through helpers, and not one that does not', async () => {
    const dir = await tree({
      'src/db/open-database.ts': 'export const openDatabase = 1\n',
      'test/support/helper.ts': "export { openDatabase } from '../../src/db/open-database.ts'\n",
      'test/integration/deep.test.ts': "import { openDatabase } from '../support/helper.ts'\n",
      'test/integration/lazy.test.ts': "const m = await import('../../src/db/open-database.ts')\n",
      'test/sandbox/plain.test.ts': "import { x } from '../support/other.ts'\n",
      'test/support/other.ts': 'export const x = 1\n',
    })
    expect(await selectTests(dir, 'sql')).toEqual([
      'test/integration/deep.test.ts',
      'test/integration/lazy.test.ts',
    ])
  })

  it('runs on the current LTS the unit tests, what starts a process, and what asks to', async () => {
    const dir = await tree({
      'test/unit/a.test.ts': '',
      'test/support/spawn.ts': "import { spawn } from 'node:child_process'\n",
      'test/e2e/start.test.ts': "import '../support/spawn.ts'\n",
      'test/e2e/http.test.ts': `${NODE_VERSION_MARKER} (signatures).\n`,
      'test/e2e/mirror.test.ts': "import { x } from 'vitest'\n",
    })
    expect(await selectTests(dir, 'node-version')).toEqual([
      'test/e2e/http.test.ts',
      'test/e2e/start.test.ts',
      'test/unit/a.test.ts',
    ])
  })

  it('runs every integration test on PostgreSQL: they exist to test the core against a database', async () => {
    const integration = (await selectTests(root, 'sql')).filter((file) =>
      file.startsWith('test/integration/'),
    )
    const all = (await readdir(path.join(root, 'test/integration'))).filter((file) =>
      file.endsWith('.test.ts'),
    )
    expect(all.length).toBeGreaterThan(10)
    expect(integration).toEqual(all.map((file) => `test/integration/${file}`).sort())
  })
})
