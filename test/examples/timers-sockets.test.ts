// examples/timers-sockets as a user runs it, with `unitvisor up` and with `unitvisor init` as a container's
// PID 1: the echo port is open at once and echo.service starts with the first client; the nightly backup timer
// runs backup.service. The example's unit files are used unchanged; drop-ins only move the fixed port to a free
// one and make the timer exact (AccuracySec=1ms, no random delay). Its Persistent= stamp says the last run was
// two days ago, so the missed night's backup runs right after the start, as systemd runs a missed timer — no
// waiting until 03:00. Each daemon gets a private /var/lib, where the stamp lives.
import { copyFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { expectNoLeakedProcesses } from '../helpers/processes.js';
import { startUp, stopAllUps } from '../helpers/run-up.js';
import { runCli, type CliResult } from '../helpers/start-daemon.js';
import { useTmpUnits } from '../helpers/use-tmp-units.js';
import { freePort } from '../helpers/free-port.js';
import { request } from '../manager/socket-clients.js';
import { CAN_UNSHARE, privateVarLib, varLibOf, varLibSetup } from '../helpers/private-var-lib.js';
import { lifecycle, startInNamespace, stopNamespaceDaemons } from '../pid1/namespace-daemon.js';

afterEach(async () => {
  await stopAllUps();
  await stopNamespaceDaemons();
  await expectNoLeakedProcesses();
});

const EXAMPLE = resolve(import.meta.dirname, '../../examples/timers-sockets');
const UNITS = ['backup.timer', 'backup.service', 'echo.socket', 'echo.service'];
const STAMP = 'unitvisor/timers/stamp-backup.timer';
/** The last backup two days ago: tonight's and last night's runs were missed. */
const MISSED_NIGHTS = `mkdir -p /var/lib/unitvisor/timers && touch -d '2 days ago' /var/lib/${STAMP}`;

function exampleCopy(port: number): string {
  const tmp = useTmpUnits({
    'echo.socket.d/test.conf': `[Socket]\nListenStream=\nListenStream=127.0.0.1:${port}\n`,
    'echo.service.d/test.conf': `[Service]\nWorkingDirectory=${EXAMPLE}\n`,
    'backup.timer.d/test.conf': '[Timer]\nAccuracySec=1ms\nRandomizedDelaySec=0\n',
  });
  for (const unit of UNITS) copyFileSync(join(EXAMPLE, unit), join(tmp.dir, unit));
  return tmp.dir;
}

const BACKUP_LINE = /^backup of \d{4}-\d\d-\d\d written$/;

/** list-timers after the missed run: it ran just now (LAST), and waits for the next 03:00 (NEXT). */
function expectRanAndWaits(listTimers: CliResult): void {
  expect(listTimers.code, listTimers.stderr).toBe(0);
  const row = listTimers.stdout.split('\n')[1]!;
  expect(row).toMatch(/^\w{3} \d{4}-\d\d-\d\d 03:00:00 \S+ +\S.* left +\w{3} \d{4}-\d\d-\d\d \d\d:\d\d:\d\d \S+ +\S.* ago +backup\.timer +backup\.service$/);
}

/** The stamp in the daemon's private /var/lib was renewed by the run (its mtime is the last trigger). */
function expectStampRenewed(pid: number, since: number): void {
  expect(statSync(varLibOf(pid, STAMP)).mtimeMs).toBeGreaterThanOrEqual(since - 1000);
}

if (!CAN_UNSHARE) console.log('timers-sockets example tests skipped: they need root for a private /var/lib (unshare --mount)');

describe.skipIf(!CAN_UNSHARE)('examples/timers-sockets', () => {
  test('up: the missed backup runs once, the timer then waits for 03:00; the echo port starts echo.service on the first client', async () => {
    const port = await freePort();
    const started = Date.now();
    const up = await startUp(exampleCopy(port), [], process.env, privateVarLib(MISSED_NIGHTS));
    await up.waitForLine(/^Listening on echo\.socket - Echo server socket\.$/);
    await up.waitForLine(/^Started backup\.timer - Nightly backup\.$/);
    await up.waitForLine(/^Finished backup\.service - Backup job\.$/);
    expect(up.lines.filter((l) => /^backup\.service\[\d+\]: /.test(l)).map((l) => l.replace(/^\S+ /, ''))).toEqual([expect.stringMatching(BACKUP_LINE)]);
    expectRanAndWaits(await up.cli('list-timers'));
    expectStampRenewed(up.child.pid!, started);
    const show = (await up.cli('show', 'backup.timer', '-p', 'ActiveState,SubState,Result')).stdout.split('\n');
    expect(show).toEqual(expect.arrayContaining(['ActiveState=active', 'SubState=waiting', 'Result=success']));

    expect(up.lines.some((l) => /Started echo\.service/.test(l))).toBe(false);
    expect(await request({ port }, 'hello\n', /\n/)).toBe('hello\n');
    await up.waitForLine(/^Started echo\.service - Echo server\.$/);
    await up.waitForLine(/^echo\.service\[\d+\]: echo-server: serving the socket "echo" it was handed as fd 3$/);
    expect(await request({ port }, 'again\n', /\n/)).toBe('again\n');
    await up.waitForLine(/^echo\.service\[\d+\]: echo-server: connection 2$/);

    up.child.kill('SIGINT');
    expect(await up.exited).toBe(0);
    expect(up.lines).toEqual(expect.arrayContaining(['Closed echo.socket - Echo server socket.', 'Stopped backup.timer - Nightly backup.', 'Stopped echo.service - Echo server.']));
  });

  test('init as PID 1: `unitvisor enable` wires the timer and the socket into the boot; both run, and SIGTERM stops them', async () => {
    const port = await freePort();
    const dir = exampleCopy(port);
    const enabled = await runCli(['enable', '--unit-path', dir, 'backup.timer', 'echo.socket']);
    expect(enabled.code, enabled.stderr).toBe(0);
    expect(enabled.stderr).toContain(`Created symlink ${dir}/timers.target.wants/backup.timer → ${dir}/backup.timer.`);
    expect(enabled.stderr).toContain(`Created symlink ${dir}/sockets.target.wants/echo.socket → ${dir}/echo.socket.`);

    const started = Date.now();
    const d = await startInNamespace([dir], dir, { setup: varLibSetup(MISSED_NIGHTS) });
    await d.waitForLog((l) => l.msg === 'Reached target multi-user.target - Multi-User System.');
    await d.waitForLog((l) => l.unit === 'backup.service' && l.msg === 'Finished backup.service - Backup job.');
    expect(d.logs.filter((l) => l.unit === 'backup.service' && l.stream !== undefined).map((l) => l.msg)).toEqual([expect.stringMatching(BACKUP_LINE)]);
    expectRanAndWaits(await d.cli('list-timers'));
    expectStampRenewed(d.pid, started);

    expect(await request({ port }, 'hello\n', /\n/)).toBe('hello\n');
    await d.waitForLog((l) => l.unit === 'echo.service' && l.msg === 'echo-server: connection 1');
    expect((await d.cli('is-active', 'echo.socket', 'echo.service', 'backup.timer')).stdout).toBe('active\nactive\nactive\n');

    d.signal('SIGTERM'); // docker stop
    expect(await d.exited, d.stderr()).toBe(0);
    const lines = lifecycle(d.logs, ['backup.timer', 'echo.socket']);
    expect(lines, lines.join('\n')).toEqual(
      expect.arrayContaining([
        'echo.socket|Listening on echo.socket - Echo server socket.',
        'backup.timer|Started backup.timer - Nightly backup.',
        'backup.timer|Stopped backup.timer - Nightly backup.',
        'echo.socket|Closed echo.socket - Echo server socket.',
      ]),
    );
  });
});
