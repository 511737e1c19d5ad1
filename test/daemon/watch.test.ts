// `unitvisor up --watch`: editing, adding or removing a unit file or an EnvironmentFile= reloads the
// daemon and restarts just the units concerned; a unit file broken by an edit keeps the old
// definition running and the error is reported.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { expectNoLeakedProcesses } from '../helpers/processes.js';
import { startUp, stopAllUps, type UpProcess } from '../helpers/run-up.js';
import { useTmpUnits } from '../helpers/use-tmp-units.js';

afterEach(async () => {
  await stopAllUps();
  await expectNoLeakedProcesses();
});

// A service that prints its greeting (from Environment= or an EnvironmentFile=) and stays up.
const greeter = (greeting: string, extra = '') => `[Service]\n${extra}Environment="GREETING=${greeting}"\nExecStart=/bin/sh -c 'echo $GREETING; exec sleep 60'\n`;

async function mainPid(up: UpProcess, unit: string): Promise<string> {
  return (await up.cli('show', unit, '-p', 'MainPID', '--value')).stdout.trim();
}

const reloads = (up: UpProcess) => up.lines.filter((l) => l === 'Reloading finished.').length;

describe('unitvisor up --watch', () => {
  test('a changed unit file restarts that unit only, with its new definition', async () => {
    const units = useTmpUnits({ 'a.service': greeter('hello'), 'b.service': greeter('bonjour') });
    const up = await startUp(units.dir, ['--watch']);
    await up.waitForLine(/^a\.service\[\d+\]: hello$/);
    await up.waitForLine(/^b\.service\[\d+\]: bonjour$/);
    const [aBefore, bBefore] = [await mainPid(up, 'a.service'), await mainPid(up, 'b.service')];

    units.write('a.service', greeter('hello again'));
    await up.waitForLine(/^a\.service\[\d+\]: hello again$/);
    expect(up.lines).toContain('Stopping a.service...');
    expect(await mainPid(up, 'a.service')).not.toBe(aBefore);
    expect(await mainPid(up, 'b.service')).toBe(bBefore);
    expect(up.lines.filter((l) => l.startsWith('Stopping b.service'))).toEqual([]);
  });

  test('a drop-in added in NAME.d/ restarts that unit with the override', async () => {
    const units = useTmpUnits({ 'a.service': greeter('hello'), 'b.service': greeter('bonjour') });
    const up = await startUp(units.dir, ['--watch']);
    await up.waitForLine(/^a\.service\[\d+\]: hello$/);
    const bBefore = await mainPid(up, 'b.service');
    units.write('a.service.d/override.conf', '[Service]\nEnvironment="GREETING=overridden"\n');
    await up.waitForLine(/^a\.service\[\d+\]: overridden$/);
    expect(await mainPid(up, 'b.service')).toBe(bBefore);
  });

  test('an added unit file is started, a removed one is stopped', async () => {
    const units = useTmpUnits({ 'a.service': greeter('hello') });
    const up = await startUp(units.dir, ['--watch']);
    await up.waitForLine(/^a\.service\[\d+\]: hello$/);

    units.write('new.service', greeter('I am new'));
    await up.waitForLine(/^new\.service\[\d+\]: I am new$/);
    expect((await up.cli('is-active', 'new.service')).stdout).toBe('active\n');

    rmSync(join(units.dir, 'new.service'));
    await up.waitForLine(/^Stopped new\.service\.$/);
    expect((await up.cli('is-active', 'a.service')).stdout).toBe('active\n');
  });

  test('a changed EnvironmentFile= restarts the units that read it', async () => {
    const units = useTmpUnits({ 'app.env': 'GREETING=from the file\n', 'b.service': greeter('untouched') });
    units.write('a.service', `[Service]\nEnvironmentFile=${join(units.dir, 'app.env')}\nExecStart=/bin/sh -c 'echo $GREETING; exec sleep 60'\n`);
    const up = await startUp(units.dir, ['--watch']);
    await up.waitForLine(/^a\.service\[\d+\]: from the file$/);
    await up.waitForLine(/^b\.service\[\d+\]: untouched$/);
    const bBefore = await mainPid(up, 'b.service');

    writeFileSync(join(units.dir, 'app.env'), 'GREETING=edited\n');
    await up.waitForLine(/^a\.service\[\d+\]: edited$/);
    expect(await mainPid(up, 'b.service')).toBe(bBefore);
  });

  test('a unit file broken by an edit keeps the old definition running and reports the error', async () => {
    const units = useTmpUnits({ 'a.service': greeter('hello') });
    const up = await startUp(units.dir, ['--watch']);
    await up.waitForLine(/^a\.service\[\d+\]: hello$/);
    const before = await mainPid(up, 'a.service');

    units.write('a.service', '[Service]\nEnvironment=GREETING=broken\n');
    await up.waitForLine(/^a\.service: Unit file has errors, keeping the previous definition running\.$/);
    expect(up.lines).toContainEqual(expect.stringMatching(/a\.service: Service has no ExecStart=, ExecStop=, or SuccessAction=\. Refusing\.$/));
    expect(await mainPid(up, 'a.service')).toBe(before);
    expect((await up.cli('is-active', 'a.service')).stdout).toBe('active\n');

    // Fixed again: the new definition takes over.
    units.write('a.service', greeter('fixed'));
    await up.waitForLine(/^a\.service\[\d+\]: fixed$/);
  });

  test('files that are not unit files (data a service writes into DIR) trigger no reload', async () => {
    // a.service runs in DIR and appends a line to data.txt every 20 ms.
    const units = useTmpUnits({ 'a.service': "[Service]\nExecStart=/bin/sh -c 'while :; do echo tick >> data.txt; sleep 0.02; done'\n" });
    const up = await startUp(units.dir, ['--watch']);
    const ticks = () => {
      try {
        return readFileSync(join(units.dir, 'data.txt'), 'utf8').length / 'tick\n'.length;
      } catch {
        return 0;
      }
    };
    units.write('b.service', greeter('second'));
    await up.waitForLine(/^b\.service\[\d+\]: second$/);
    // Many writes later (well past the debounce), the unit file change is still the only reload.
    const seen = ticks();
    await expect.poll(ticks, { timeout: 10_000 }).toBeGreaterThan(seen + 20);
    expect(reloads(up)).toBe(1);
  });
});
