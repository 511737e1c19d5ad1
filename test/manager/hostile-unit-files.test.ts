// Files a unit names are read by the supervisor without blocking or ballooning it: EnvironmentFile= and
// PIDFile= naming /dev/zero or a FIFO fail (or go on) with systemd's words while every other unit and
// request is served.
import { execFileSync } from 'node:child_process';
import { closeSync, constants, openSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { expectNoLeakedProcesses } from '../helpers/processes.js';
import { messagesOf, shutdownSupervisors, supervise, tryStart } from './supervise.js';

afterEach(async () => {
  await shutdownSupervisors();
  await expectNoLeakedProcesses();
});

const failedWith = (unit: string, reason: string) => [
  `${unit}: Failed to load environment files: ${reason}`,
  `${unit}: Failed to run 'start' task: ${reason}`,
  `${unit}: Failed with result 'resources'.`,
  `Failed to start ${unit}.`,
];

describe('EnvironmentFile=', () => {
  test('/dev/zero fails the start with E2BIG at 4 MiB; the supervisor does not grow', async () => {
    const { sv } = await supervise({ 'z.service': '[Service]\nEnvironmentFile=/dev/zero\nExecStart=/bin/sleep 30\n' });
    const rss = process.memoryUsage().rss;
    expect(await tryStart(sv, 'z.service')).toMatchObject({ result: 'failed', serviceResult: 'resources' });
    expect(messagesOf(sv, 'z.service')).toEqual(failedWith('z.service', 'Argument list too long'));
    expect(process.memoryUsage().rss - rss).toBeLessThan(64 * 1024 * 1024);
  });

  test('a FIFO nobody writes to reads as empty; one whose writer is silent fails with EAGAIN; neither blocks', async () => {
    const { sv, units } = await supervise({});
    const fifo = join(units.dir, 'env.fifo');
    execFileSync('mkfifo', [fifo]);
    units.write('f.service', `[Service]\nType=oneshot\nEnvironmentFile=${fifo}\nExecStart=/bin/true\n`);
    expect(await tryStart(sv, 'f.service')).toMatchObject({ result: 'done' });
    // A writer that holds the FIFO open and writes nothing.
    const writer = openSync(fifo, constants.O_RDWR);
    try {
      units.write('g.service', `[Service]\nType=oneshot\nEnvironmentFile=${fifo}\nExecStart=/bin/true\n`);
      expect(await tryStart(sv, 'g.service')).toMatchObject({ result: 'failed', serviceResult: 'resources' });
      expect(messagesOf(sv, 'g.service')).toEqual(failedWith('g.service', 'Resource temporarily unavailable'));
    } finally {
      closeSync(writer);
    }
  });
});

describe('PIDFile=', () => {
  test('a PID file that is a FIFO does not freeze the supervisor: the start ends and other units run', async () => {
    const { sv, units } = await supervise({});
    const fifo = join(units.dir, 'pid.fifo');
    execFileSync('mkfifo', [fifo]);
    units.write('p.service', `[Service]\nType=forking\nPIDFile=${fifo}\nTimeoutStartSec=3\nExecStart=/bin/sh -c 'sleep 30 &'\n`);
    units.write('other.service', '[Service]\nType=oneshot\nExecStart=/bin/true\n');
    const started = tryStart(sv, 'p.service');
    expect(await tryStart(sv, 'other.service')).toMatchObject({ result: 'done' });
    // systemd waits for a valid PID file until the start times out (service_demand_pid_file()).
    expect(await started).toMatchObject({ result: 'failed', serviceResult: 'timeout' });
    expect(messagesOf(sv, 'p.service')[1]).toBe(`p.service: Failed to parse PID from file ${fifo}: Invalid argument`);
  });

  test('a PID file that is /dev/zero is refused at 1 MiB, not read without end', async () => {
    const { sv, units } = await supervise({});
    units.write('z.service', `[Service]\nType=forking\nPIDFile=/dev/zero\nTimeoutStartSec=3\nExecStart=/bin/sh -c 'sleep 30 &'\n`);
    const rss = process.memoryUsage().rss;
    expect(await tryStart(sv, 'z.service')).toMatchObject({ result: 'failed', serviceResult: 'timeout' });
    expect(process.memoryUsage().rss - rss).toBeLessThan(64 * 1024 * 1024);
    expect(messagesOf(sv, 'z.service')[1]).toBe("z.service: Can't open PID file /dev/zero (yet?) after start: Argument list too long");
  });
});
