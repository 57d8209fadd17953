import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    // Database tests open an embedded PostgreSQL (or a fresh database on the server) per file;
    // the first open can take seconds on a loaded two-core machine.
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
})
