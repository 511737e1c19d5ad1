import { defineConfig } from 'vitest/config';

/**
 * Both projects: a test that asserts nothing fails, and each test file cleans up its temporary files.
 * expect.poll() waits up to 15 s, not 1 s: it waits for an event, and a loaded machine only makes it later.
 */
const shared = {
  expect: { requireAssertions: true, poll: { timeout: 15_000 } },
  setupFiles: ['test/setup/per-file.ts'],
};

// Two projects: the pure core runs fast in threads; everything that starts real
// processes runs in forks so that signals and process groups stay per test file.
export default defineConfig({
  test: {
    globalSetup: ['test/setup/global.ts'],
    projects: [
      {
        test: {
          ...shared,
          name: 'core',
          include: ['test/{unit,job,service,common,protocol,export,analyze}/**/*.test.ts', 'test/architecture.test.ts'],
          pool: 'threads',
        },
      },
      {
        test: {
          ...shared,
          name: 'system',
          setupFiles: [...shared.setupFiles, 'test/helpers/fail-on-internal-error.ts'],
          include: ['test/{process,manager,daemon,cli,api,http,pid1,seed,examples}/**/*.test.ts', 'examples/**/*.test.ts'],
          pool: 'forks',
          testTimeout: 30_000,
          hookTimeout: 30_000,
        },
      },
    ],
  },
});
