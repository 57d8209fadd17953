import { defineConfig } from 'vitest/config'

/**
 * One project per kind of test, so a contributor can run the kind they need
 * (`npm run test:unit`, `npx vitest run --project e2e`). `.ci/run` picks files across them by
 * what they reach (.ci/select-tests.ts), not by folder.
 */
const KINDS = {
  /** Fakes of our own ports, the import rules: no database, no sandbox, seconds in all. */
  unit: ['test/unit/**/*.test.ts', 'test/boundaries/**/*.test.ts'],
  /** The core against a real database. */
  integration: ['test/integration/**/*.test.ts'],
  /** The emulators alone, pinned to the platforms' documented behaviour. */
  sandbox: ['test/sandbox/**/*.test.ts'],
  /** The bot with the real discord.js and Bolt clients against the sandbox, or as a process. */
  e2e: ['test/e2e/**/*.test.ts'],
  /** One test per attack on the bridge's promises (docs/security.md). */
  adversarial: ['test/adversarial/**/*.test.ts'],
}

export default defineConfig({
  test: {
    globalSetup: ['test/support/global-setup.ts'],
    reporters: ['default', './test/support/summary-reporter.ts'],
    // Database tests open an embedded PostgreSQL (or a fresh database on the server) per file;
    // the first open can take seconds on a loaded two-core machine.
    testTimeout: 30_000,
    hookTimeout: 60_000,
    projects: Object.entries(KINDS).map(([name, include]) => ({
      extends: true,
      test: { name, include },
    })),
  },
})
