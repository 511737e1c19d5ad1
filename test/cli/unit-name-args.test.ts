// Unit names on the command line as systemctl 252 takes them (test/fixtures/oracle/unit-name-mangling.txt):
// "a" is a.service, a path is its mount or device unit, a bad character is escaped with a warning,
// globs expand over the loaded units, an empty name is refused.
import { afterEach, expect, test } from 'vitest';
import { expectNoLeakedProcesses } from '../helpers/processes.js';
import { startDaemon, stopAllDaemons } from '../helpers/start-daemon.js';
import { useTmpUnits } from '../helpers/use-tmp-units.js';

afterEach(async () => {
  await stopAllDaemons();
  await expectNoLeakedProcesses();
});

test('names are mangled and globs expanded before the daemon is asked', async () => {
  const units = useTmpUnits({ 'a.service': '[Service]\nExecStart=/bin/sleep 100\n', 'ab.service': '[Service]\nExecStart=/bin/sleep 100\n' });
  const d = await startDaemon(units.dir);
  expect(await d.cli('start', 'a')).toEqual({ stdout: '', stderr: '', code: 0 });
  expect(await d.cli('is-active', 'a')).toEqual({ stdout: 'active\n', stderr: '', code: 0 });
  expect((await d.cli('show', '-p', 'Id', 'x/y', 'foo@bar', '/dev/sda', '/etc')).stdout).toBe('Id=x-y.service\n\nId=foo@bar.service\n\nId=dev-sda.device\n\nId=etc.mount\n');

  const escaped = await d.cli('is-active', 'a b');
  expect(escaped).toEqual({ stdout: 'inactive\n', stderr: 'Invalid unit name "a b" escaped as "a\\x20b" (maybe you should use systemd-escape?).\n', code: 3 });
  expect((await d.cli('-q', 'stop', 'a b')).stderr).toBe('Failed to stop a\\x20b.service: Unit a\\x20b.service not loaded.\n');

  expect(await d.cli('is-active', 'a.*', 'nope*')).toEqual({ stdout: 'active\n', stderr: '', code: 0 });
  const globStart = await d.cli('start', 'a*');
  expect(globStart.stderr).toBe('Warning: unitvisor start called with a glob pattern.\nHint: unit globs expand to loaded units, so start will usually have no effect.\n');
  expect(globStart.code).toBe(0);

  expect(await d.cli('start', '')).toEqual({ stdout: '', stderr: 'Failed to mangle name: Invalid argument\nFailed to expand names: Invalid argument\n', code: 1 });
});
