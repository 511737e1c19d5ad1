// A service's output cannot drive the user's terminal: `logs`, `status` and `up`'s text log print it
// as journalctl does ("[N blob data]"); `logs --json` keeps it exact, JSON-escaped.
import { afterEach, expect, test } from 'vitest';
import { expectNoLeakedProcesses } from '../helpers/processes.js';
import { startDaemon, stopAllDaemons } from '../helpers/start-daemon.js';
import { startUp, stopAllUps } from '../helpers/run-up.js';
import { useTmpUnits } from '../helpers/use-tmp-units.js';

afterEach(async () => {
  await stopAllDaemons();
  await stopAllUps();
  await expectNoLeakedProcesses();
});

const PWN = `[Service]\nType=oneshot\nRemainAfterExit=yes\nExecStart=/usr/bin/printf '\\033]0;PWNED\\007hello\\n\\033[2Jplain\\n'\n`;

test('logs and status print escape sequences from a service as blob data; --json keeps them exact', async () => {
  const units = useTmpUnits({ 'pwn.service': PWN });
  const d = await startDaemon(units.dir);
  expect((await d.cli('start', 'pwn.service')).code).toBe(0);
  const logs = await d.cli('logs', '-u', 'pwn.service');
  expect(logs.stdout).not.toContain('\x1b');
  expect(logs.stdout).toMatch(/printf\[\d+\]: \[15B blob data\]\n/);
  expect(logs.stdout).toMatch(/printf\[\d+\]: \[9B blob data\]\n/);
  const status = await d.cli('status', 'pwn.service');
  expect(status.stdout).not.toContain('\x1b');
  expect(status.stdout).toContain('[15B blob data]');
  const json = await d.cli('logs', '-u', 'pwn.service', '--json');
  expect(json.stdout.split('\n').filter(Boolean).map((l) => (JSON.parse(l) as { line?: string }).line)).toContain('\x1b]0;PWNED\x07hello');
});

test("up's text log shows the same blob in place of the escape sequence", async () => {
  const units = useTmpUnits({ 'pwn.service': PWN });
  const up = await startUp(units.dir);
  await up.waitForLine(/pwn\.service\[\d+\]: \[15B blob data\]$/);
  expect(up.lines.join('\n')).not.toContain('\x1b');
});
