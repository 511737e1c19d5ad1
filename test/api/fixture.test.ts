// withSupervisor: boots, hands over, shuts down also after a failure, and fails on a leaked process
// (killing it, so that the leak does not outlive its own test).
import { spawn } from 'node:child_process';
import { afterEach, expect, test } from 'vitest';
import { LeakedProcessError, withSupervisor } from '../../src/api/index.js';
import { readProcStat } from '../../src/process/process-tree.js';
import { expectNoLeakedProcesses } from '../helpers/processes.js';

afterEach(expectNoLeakedProcesses);

const units = { 'a.service': '[Service]\nExecStart=/bin/sleep 60\n' };

test('a clean test passes, and its units are stopped afterwards', async () => {
  let pid = 0;
  await withSupervisor({ units }, async (sv) => {
    await sv.start('a.service');
    pid = sv.status('a.service')!.mainPid;
  });
  expect(pid).toBeGreaterThan(0);
  expect(readProcStat(pid)).toBeUndefined();
});

test('a failing test still shuts the supervisor down, and its error is the one reported', async () => {
  let pid = 0;
  const failure = withSupervisor({ units }, async (sv) => {
    await sv.start('a.service');
    pid = sv.status('a.service')!.mainPid;
    throw new Error('the assertion of the test');
  });
  await expect(failure).rejects.toThrow('the assertion of the test');
  expect(readProcStat(pid)).toBeUndefined();
});

test('a process left running by the test fails it, and is killed', async () => {
  let leaked = 0;
  const result = withSupervisor({ units }, async () => {
    const child = spawn('/bin/sleep', ['60'], { detached: true, stdio: 'ignore' });
    child.unref();
    leaked = child.pid!;
  });
  await expect(result).rejects.toThrow(LeakedProcessError);
  await expect(result).rejects.toThrow(new RegExp(`^Processes outlived the test \\(now killed\\): ${leaked} \\(sleep\\)$`));
  await expect.poll(() => readProcStat(leaked)?.state ?? 'gone').toMatch(/gone|Z/);
});
