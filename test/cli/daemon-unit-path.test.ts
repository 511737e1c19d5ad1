// cat, verify and show --offline read unit files where the running daemon loads them: beside
// `up ./units`, `unitvisor cat web.service` prints ./units/web.service, not "No files found".
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { expectNoLeakedProcesses } from '../helpers/processes.js';
import { startUp, stopAllUps } from '../helpers/run-up.js';
import { runCli } from '../helpers/start-daemon.js';
import { useTmpUnits } from '../helpers/use-tmp-units.js';

afterEach(async () => {
  await stopAllUps();
  await expectNoLeakedProcesses();
});

const WEB = '[Unit]\nDescription=Web\n[Service]\nExecStart=/bin/sleep 60\n';
const OVERRIDE = '[Service]\nEnvironment=PORT=8080\n';
// A unit whose file has a problem: verify names it as file:line.
const ODD = '[Service]\nExecStart=/bin/sleep 60\nRestart=sometimes\n';

describe('cat, verify and show --offline beside a running daemon', () => {
  test('read the daemon’s unit folder (drop-ins included) when no --unit-path is given', async () => {
    const units = useTmpUnits({ 'web.service': WEB, 'web.service.d/port.conf': OVERRIDE, 'odd.service': ODD });
    const up = await startUp(units.dir);
    await up.waitForLine(/^Started web\.service - Web\.$/);

    const cat = await up.cli('cat', 'web.service');
    expect(cat.stdout).toBe(`# ${join(units.dir, 'web.service')}\n${WEB}\n# ${join(units.dir, 'web.service.d/port.conf')}\n${OVERRIDE}`);
    expect(cat.code).toBe(0);

    const verify = await up.cli('verify', 'odd.service');
    expect(verify.stderr).toContain(`${join(units.dir, 'odd.service')}:3: Failed to parse service restart specifier, ignoring: sometimes`);

    const show = await up.cli('show', '--offline', 'web.service', '-p', 'FragmentPath,Environment');
    expect(show.stdout).toBe(`Environment=PORT=8080\nFragmentPath=${join(units.dir, 'web.service')}\n`);
  });

  test('without a daemon on the socket they read the default search path', async () => {
    const units = useTmpUnits({ 'web.service': WEB });
    const cat = await runCli(['cat', 'web.service', '--socket', join(units.dir, 'no-daemon.sock')]);
    expect(cat.stderr).toContain('No files found for web.service.');
    expect(cat.code).toBe(1);
  });
});
