/**
 * Prints the test files one CI stage needs, one per line (see test/boundaries/test-selection.ts):
 *   node --import tsx .ci/select-tests.ts sql|node-version
 */
import path from 'node:path'
import { selectTests } from '../test/boundaries/test-selection.ts'

const stage = process.argv[2]
if (stage !== 'sql' && stage !== 'node-version') {
  process.stderr.write('usage: select-tests.ts sql|node-version\n')
  process.exit(2)
}
const chosen = await selectTests(path.resolve(import.meta.dirname, '..'), stage)
if (chosen.length === 0) {
  // An empty list would make `vitest run` run every file: refuse instead.
  process.stderr.write(`select-tests: no test file matched stage ${stage}\n`)
  process.exit(1)
}
process.stdout.write(`${chosen.join('\n')}\n`)
