// `why` on units with [X-Readiness]/[X-HealthCheck]: a start held back by its probe, and a start
// that its probe failed, told in the probe's own words through the real client.
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
