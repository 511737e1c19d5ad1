// The daemon never dies of its own bug while children run: an injected fault (UNITVISOR_INJECT_FAULT,
// src/daemon/inject-fault.ts) is logged with its stack, and PID 1 keeps supervising and serving.
import { afterEach, expect, test } from 'vitest';
import { expectNoLeakedProcesses } from '../helpers/processes.js';
import { useTmpUnits } from '../helpers/use-tmp-units.js';
import { startInNamespace, stopNamespaceDaemons } from './namespace-daemon.js';

afterEach(async () => {
  await stopNamespaceDaemons();
  await expectNoLeakedProcesses();
});

const bootWithFault = async (fault: string) => {
  const units = useTmpUnits({ 'app.service': '[Service]\nExecStart=/bin/sleep 600\n' });
  // The daemon is one bundled module; its source map puts the logged stack's frames back in the source files.
  const env = { ...process.env, UNITVISOR_INJECT_FAULT: fault, NODE_OPTIONS: '--enable-source-maps' };
  const d = await startInNamespace([units.dir], units.dir, { env });
  expect((await d.cli('start', 'app.service')).code).toBe(0);
  return d;
};

test('a control verb whose handler throws gets an error reply; the stack is logged; the daemon serves on', async () => {
  const d = await bootWithFault('verb:list-jobs');
  const mainPid = (await d.cli('show', 'app.service', '-p', 'MainPID')).stdout;
  const failed = await d.cli('list-jobs');
  expect(failed.code).toBe(1);
  expect(failed.stderr).toContain('Internal error: Error: Injected fault in the list-jobs handler');
  const logged = await d.waitForLog((l) => l.msg.startsWith('Internal error (continuing): Error: Injected fault in the list-jobs handler'));
  expect(logged.level).toBe('error');
  expect(logged.msg).toMatch(/\n {4}at .*src\/daemon\/handlers\.ts:\d+:\d+/);
  // Same service, same main process, and every other verb still works.
  expect((await d.cli('show', 'app.service', '-p', 'MainPID')).stdout).toBe(mainPid);
  expect((await d.cli('is-active', 'app.service')).stdout).toBe('active\n');
  d.signal('SIGTERM');
  expect(await d.exited).toBe(0);
});

test('an exception thrown from a timer callback (uncaughtException) is logged and survived', async () => {
  const d = await bootWithFault('timer:300');
  const logged = await d.waitForLog((l) => l.msg.startsWith('Internal error (continuing): Error: Injected fault in a timer callback'));
  expect(logged.msg).toMatch(/\n {4}at .*src\/daemon\/inject-fault\.ts:\d+:\d+/);
  expect((await d.cli('is-active', 'app.service')).stdout).toBe('active\n');
  expect((await d.cli('restart', 'app.service')).code).toBe(0);
  d.signal('SIGTERM');
  expect(await d.exited).toBe(0);
  expect(d.logs.filter((l) => l.level === 'error')).toHaveLength(1);
});

test('an unhandled promise rejection is logged and survived', async () => {
  const d = await bootWithFault('rejection:300');
  await d.waitForLog((l) => l.msg.startsWith('Internal error (continuing): Error: Injected fault in a promise'));
  expect((await d.cli('is-active', 'app.service')).stdout).toBe('active\n');
  d.signal('SIGTERM');
  expect(await d.exited).toBe(0);
});
