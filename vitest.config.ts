import { defineConfig } from 'vitest/config';

// Two projects: the pure core runs fast in threads; everything that starts real
// processes runs in forks so that signals and process groups stay per test file.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'core',
          include: ['test/{unit,job,service,protocol,common,export,analyze}/**/*.test.ts', 'test/architecture.test.ts'],
          pool: 'threads',
        },
      },
      {
        test: {
          name: 'system',
          include: ['test/{process,manager,daemon,cli,api,http,pid1,seed,regressions,examples}/**/*.test.ts', 'examples/**/*.test.ts'],
          pool: 'forks',
          setupFiles: ['test/helpers/fail-on-internal-error.ts'],
          testTimeout: 30_000,
          hookTimeout: 30_000,
        },
      },
    ],
  },
});
