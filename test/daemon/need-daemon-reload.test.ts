// NeedDaemonReload=: a unit file or drop-in changed on disk since the daemon loaded it, as systemd 252
// reports it (test/fixtures/oracle/need-daemon-reload.txt): show says yes, status warns on stderr,
// daemon-reload clears it.
import { mkdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, expect, test } from 'vitest';
import { expectNoLeakedProcesses } from '../helpers/processes.js';
import { startDaemon, stopAllDaemons } from '../helpers/start-daemon.js';
import { useTmpUnits } from '../helpers/use-tmp-units.js';

afterEach(async () => {
  await stopAllDaemons();
  await expectNoLeakedProcesses();
});

const WARNING = "Warning: The unit file, source configuration file or drop-ins of a.service changed on disk. Run 'unitvisor daemon-reload' to reload units.\n";

/** Moves a file's mtime one second ahead (a rewrite within the same clock tick would not show). */
const touchLater = (path: string) => {
  const later = new Date(Date.now() + 1000);
  utimesSync(path, later, later);
};

test('an edited fragment: NeedDaemonReload=yes, status warns and keeps the loaded definition, daemon-reload clears it', async () => {
  const units = useTmpUnits({ 'a.service': '[Unit]\nDescription=Alpha\n[Service]\nExecStart=/bin/sleep 100\n' });
  const d = await startDaemon(units.dir);
  await d.cli('start', 'a.service');
  const show = async () => (await d.cli('show', 'a.service', '-p', 'NeedDaemonReload,Description')).stdout;
  expect(await show()).toBe('Description=Alpha\nNeedDaemonReload=no\n');
  const clean = await d.cli('status', 'a.service');
  expect(clean.stderr).toBe('');

  units.write('a.service', '[Unit]\nDescription=Alpha changed\n[Service]\nExecStart=/bin/sleep 100\n');
  touchLater(join(units.dir, 'a.service'));
  expect(await show()).toBe('Description=Alpha\nNeedDaemonReload=yes\n');
  const warned = await d.cli('status', 'a.service');
  expect(warned.stderr).toBe(WARNING);
  expect(warned.stdout).toMatch(/^● a\.service - Alpha\n/);
  expect(warned.code).toBe(0);

  await d.cli('daemon-reload');
  expect(await show()).toBe('Description=Alpha changed\nNeedDaemonReload=no\n');
  expect((await d.cli('status', 'a.service')).stderr).toBe('');
});

test('drop-ins: a removed or touched one sets NeedDaemonReload=yes; one in a directory that did not exist at load does not (systemd 252)', async () => {
  const units = useTmpUnits({ 'a.service': '[Service]\nExecStart=/bin/sleep 100\n' });
  const d = await startDaemon(units.dir);
  const need = async () => (await d.cli('show', 'a.service', '-p', 'NeedDaemonReload', '--value')).stdout.trim();
  const dropIns = join(units.dir, 'a.service.d');
  mkdirSync(dropIns);
  writeFileSync(join(dropIns, 'x.conf'), '[Unit]\nDescription=Dropped\n');
  expect(await need()).toBe('no');

  await d.cli('daemon-reload');
  expect((await d.cli('show', 'a.service', '-p', 'Description', '--value')).stdout).toBe('Dropped\n');
  touchLater(join(dropIns, 'x.conf'));
  expect(await need()).toBe('yes');
  await d.cli('daemon-reload');
  expect(await need()).toBe('no');
  writeFileSync(join(dropIns, 'y.conf'), '[Unit]\nDescription=Second\n');
  expect(await need()).toBe('yes');
  await d.cli('daemon-reload');
  rmSync(join(dropIns, 'x.conf'));
  rmSync(join(dropIns, 'y.conf'));
  expect(await need()).toBe('yes');
  await d.cli('daemon-reload');
  expect(await need()).toBe('no');
});
