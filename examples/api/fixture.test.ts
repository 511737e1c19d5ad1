// The Supervisor as a vitest fixture: each test that asks for `sv` gets a fresh supervisor over this
// folder's unit files; after the test (passed or failed) it is shut down, and the test fails if any
// process it started is still alive. Copy this file's first lines into your own project.
import { test as base, expect } from 'vitest';
import { withSupervisor, type Supervisor } from 'unitvisor';

const test = base.extend<{ sv: Supervisor }>({
  // eslint-disable-next-line no-empty-pattern -- vitest reads the fixture's dependencies from this pattern
  sv: async ({}, use) => withSupervisor({ unitPath: [import.meta.dirname], workingDirectory: import.meta.dirname }, use),
});

test('the store starts, says where it listens, and stops with the test', async ({ sv }) => {
  await sv.start('kv.service'); // Type=notify: resolves once the store sent READY=1
  // waitForOutput: a string matches anywhere in a line, a RegExp is tested against each line;
  // it resolves with the whole line. output() returns every line printed so far.
  const line = await sv.waitForOutput('kv.service', 'listening on');
  expect(line).toMatch(/^kv: listening on 127\.0\.0\.1:\d+$/);
  expect(sv.output('kv.service')).toContain(line);
});
