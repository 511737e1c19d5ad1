// `why` on units with [X-Readiness]/[X-HealthCheck]: a start held back by its probe, a start that its
// probe failed, a health check failing now, and one that stopped its unit, told in the probe's own
// words through the real client.
import { afterEach, expect, test } from 'vitest';
import { expectNoLeakedProcesses } from '../helpers/processes.js';
import { freePort } from '../helpers/free-port.js';
import { startDaemon, stopAllDaemons } from '../helpers/start-daemon.js';
import { useTmpUnits } from '../helpers/use-tmp-units.js';

afterEach(async () => {
  await stopAllDaemons();
  await expectNoLeakedProcesses();
});

test('why: a unit waiting on its readiness probe, and one whose probe failed its start', async () => {
  const port = await freePort();
  const units = useTmpUnits({
    'waiting.service': `[Service]\nExecStart=/bin/sleep 60\n[X-Readiness]\nTcpConnect=127.0.0.1:${port}\nIntervalSec=20ms\n`,
    'gave-up.service': `[Service]\nExecStart=/bin/sleep 60\n[X-Readiness]\nTcpConnect=127.0.0.1:${port}\nIntervalSec=20ms\nThreshold=2\n`,
  });
  const d = await startDaemon(units.dir);
  expect((await d.cli('start', '--no-block', 'waiting.service')).code).toBe(0);
  await expect.poll(async () => (await d.cli('show', '-p', 'ReadinessFailures', '--value', 'waiting.service')).stdout.trim(), { timeout: 20_000 }).not.toBe('0');
  const waiting = await d.cli('why', 'waiting.service');
  expect(waiting.code).toBe(3);
  expect(waiting.stdout).toContain('  Active: activating (start)\n');
  expect(waiting.stdout).toMatch(new RegExp(`\\n {2}Waiting for its readiness probe TcpConnect=127\\.0\\.0\\.1:${port} \\(last attempt: Connection refused, \\d+ failures? in a row\\)\\.\\n`));

  expect((await d.cli('start', 'gave-up.service')).code).toBe(1);
  const gaveUp = await d.cli('why', 'gave-up.service');
  expect(gaveUp.code).toBe(3);
  expect(gaveUp.stdout).toContain('  Active: failed (Result: timeout)\n');
  expect(gaveUp.stdout).toContain(`  gave-up.service: Readiness probe failed 2 times in a row: TcpConnect=127.0.0.1:${port}: Connection refused\n`);
});

test('why: a unit whose health check is failing now, and one that its health check stopped (Result=watchdog)', async () => {
  const port = await freePort();
  const units = useTmpUnits({
    // Threshold=0: the check reports and never acts.
    'reporting.service': `[Service]\nExecStart=/bin/sleep 60\n[X-HealthCheck]\nTcpConnect=127.0.0.1:${port}\nIntervalSec=20ms\nThreshold=0\n`,
    'stopped.service': `[Service]\nExecStart=/bin/sleep 60\n[X-HealthCheck]\nTcpConnect=127.0.0.1:${port}\nIntervalSec=20ms\nThreshold=2\n`,
  });
  const d = await startDaemon(units.dir);
  expect((await d.cli('start', 'reporting.service', 'stopped.service')).code).toBe(0);
  await expect.poll(async () => (await d.cli('show', '-p', 'ActiveState', '--value', 'stopped.service')).stdout.trim(), { timeout: 20_000 }).toBe('failed');
  await expect.poll(async () => (await d.cli('show', '-p', 'HealthFailures', '--value', 'reporting.service')).stdout.trim(), { timeout: 20_000 }).not.toBe('0');
  const reporting = await d.cli('why', 'reporting.service');
  expect(reporting.stdout).toContain('  Active: active (running)\n');
  expect(reporting.stdout).toMatch(new RegExp(`\\n {2}Health check TcpConnect=127\\.0\\.0\\.1:${port} is failing \\(last attempt: Connection refused, \\d+ failures? in a row\\)\\.\\n`));
  const stopped = await d.cli('why', 'stopped.service');
  expect(stopped.code).toBe(3);
  expect(stopped.stdout).toContain('  Active: failed (Result: watchdog)\n');
  expect(stopped.stdout).toContain(`  stopped.service: Health check failed 2 times in a row: TcpConnect=127.0.0.1:${port}: Connection refused\n`);
});
