import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Tests that build indexes or spawn servers are CPU-heavy; two cores here.
    maxWorkers: 2,
    // Each worker imports the project once for all its files (import time was most of the run); tests share no
    // module state they change, and spies are restored after each test.
    isolate: false,
    restoreMocks: true,
    // The shipped corpus is indexed once for the whole run (test/global-setup.ts).
    globalSetup: ['test/global-setup.ts'],
  },
});
