import type { Reporter, TestModule } from 'vitest/node'

/**
 * Ends every run with one plain line, `N passed, N failed, N skipped`, the form CI and people
 * read. A file that fails before any test runs (an import error, a failing hook) counts as one
 * failure, so the line never says "0 failed" over a run that failed.
 */
export default class SummaryReporter implements Reporter {
  onTestRunEnd(modules: ReadonlyArray<TestModule>, errors: ReadonlyArray<unknown>): void {
    let passed = 0
    let failed = errors.length
    let skipped = 0
    for (const module of modules) {
      let failedHere = 0
      for (const test of module.children.allTests()) {
        const state = test.result().state
        if (state === 'passed') passed++
        else if (state === 'failed') failedHere++
        else skipped++
      }
      failed += failedHere === 0 && module.state() === 'failed' ? 1 : failedHere
    }
    process.stdout.write(`\n${passed} passed, ${failed} failed, ${skipped} skipped\n`)
  }
}
