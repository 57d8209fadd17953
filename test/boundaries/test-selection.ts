import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { importsOf, sourceFiles } from './import-rules.ts'

/**
 * Which test files a CI stage needs, chosen by what each file's imports reach, so a new test file
 * lands in the right stages without anyone keeping a list (`.ci/select-tests.ts` prints them).
 *
 * - `sql`: the file's static import closure reaches `src/db/open-database.ts`: it opens a
 *   database, so it runs again on PostgreSQL. A file that only starts the bot as a child process
 *   is not counted: that bot always runs on the embedded database, whichever the run's own is.
 * - `node-version`: what can change with the Node version. Every unit test (seconds in all:
 *   crypto, parsing, config), every file reaching `node:child_process` (the CLI, start-up,
 *   signals and exit codes of a real process), and files that say so themselves with the line
 *   {@link NODE_VERSION_MARKER} (signed HTTP, one mirror smoke test).
 */
export type Stage = 'sql' | 'node-version'

export const NODE_VERSION_MARKER = '// CI: also on the current Node LTS'

/** Paths relative to `root`, sorted; every `*.test.ts` under `test/` that the stage needs. */
export async function selectTests(root: string, stage: Stage): Promise<string[]> {
  const sources = new Map<string, string>()
  const read = async (file: string) => {
    let source = sources.get(file)
    if (source === undefined) {
      source = await readFile(path.join(root, file), 'utf8').catch(() => '')
      sources.set(file, source)
    }
    return source
  }
  const files = (await sourceFiles(root, 'test')).filter((file) => file.endsWith('.test.ts')).sort()
  const chosen: string[] = []
  for (const file of files) {
    const reached = await closureOf(root, file, read)
    const needed =
      stage === 'sql'
        ? reached.has('src/db/open-database.ts')
        : file.startsWith('test/unit/') ||
          reached.has('node:child_process') ||
          (await read(file)).includes(NODE_VERSION_MARKER)
    if (needed) chosen.push(file)
  }
  return chosen
}

/** Every file (relative to `root`) and bare module a file reaches through its imports. */
async function closureOf(
  root: string,
  file: string,
  read: (file: string) => Promise<string>,
): Promise<Set<string>> {
  const reached = new Set<string>()
  const stack = [file]
  while (stack.length > 0) {
    const current = stack.pop() as string
    if (reached.has(current)) continue
    reached.add(current)
    if (!/\.(ts|mts|js|mjs)$/.test(current)) continue
    for (const specifier of importsOf(await read(current))) {
      stack.push(
        specifier.startsWith('.')
          ? path.relative(root, path.resolve(path.dirname(path.join(root, current)), specifier))
          : specifier,
      )
    }
  }
  return reached
}
