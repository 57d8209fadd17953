import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { check, checkTree, importsOf, sourceFiles } from './import-rules.ts'

const root = fileURLToPath(new URL('../..', import.meta.url))

describe('import boundaries', () => {
  it('hold across the whole tree', async () => {
    const { files, violations } = await checkTree(root)
    expect(files).toBeGreaterThan(10)
    expect(violations).toEqual([])
  })

  it('catch a core file importing a chat SDK or an outer layer', () => {
    expect(check('src/mirror/engine.ts', "import { Client } from 'discord.js'")).toMatchObject([
      { specifier: 'discord.js', why: 'the core never imports a chat SDK' },
    ])
    expect(check('src/x.ts', "const { App } = await import('@slack/bolt')")).toHaveLength(1)
    expect(check('src/x.ts', "export { thing } from '../adapters/slack/slack-platform.ts'")).toHaveLength(1)
    expect(check('src/x.ts', "import cron from 'node-cron'")).toHaveLength(1)
    expect(check('src/x.ts', "import { z } from 'zod'\nimport { sql } from 'kysely'")).toEqual([])
  })

  it('catch a migration importing our code and a command importing an adapter', () => {
    expect(check('migrations/2027-01-01T0000_x.ts', "import { Core } from '../src/core.ts'")).toHaveLength(1)
    expect(check('migrations/2027-01-01T0000_x.ts', "import { type Kysely, sql } from 'kysely'")).toEqual([])
    expect(
      check('commands/join.ts', "import { x } from '../adapters/discord/discord-platform.ts'"),
    ).toHaveLength(1)
    expect(check('adapters/slack/slack-platform.ts', "import { Client } from 'discord.js'")).toHaveLength(1)
  })

  it('keep the environment out of the core: bin/ reads it and passes configuration in', async () => {
    const offenders: string[] = []
    for (const file of await sourceFiles(root, 'src')) {
      if ((await readFile(path.join(root, file), 'utf8')).includes('process.env')) offenders.push(file)
    }
    expect(offenders).toEqual([])
  })

  it('read multi-line and type-only imports', () => {
    const source = "import type {\n  A,\n  B,\n} from '@slack/bolt'\nimport './side-effect.ts'\n"
    expect(importsOf(source)).toEqual(['@slack/bolt', './side-effect.ts'])
  })
})
