// Socket units through the real daemon and CLI: `status` with TriggeredBy:/Triggers:/Listen:/Accepted:, `list-sockets`
// as systemctl 252 prints them (oracle runs of the same units), and systemd-socket-proxyd behind a socket unit.
import { existsSync } from 'node:fs';
import net from 'node:net';
import { afterEach, describe, expect, test } from 'vitest';
import { expectNoLeakedProcesses } from '../helpers/processes.js';
import { startDaemon, stopAllDaemons } from '../helpers/start-daemon.js';
import { useTmpUnits } from '../helpers/use-tmp-units.js';
import { freePort, request, socketDir } from './socket-clients.js';

/** Waits on real processes are bounded generously: a loaded machine may take seconds to start one. */
const POLL = { timeout: 20_000, interval: 50 };

afterEach(async () => {
  await stopAllDaemons();
  await expectNoLeakedProcesses();
});

const stable = (text: string): string[] =>
  text
    .split('\n')
    .map((line) => line.replace(/ since .*; .* ago$/, ' since T').replace(/^\w{3} \d\d \d\d:\d\d:\d\d \S+ /, ''));

describe('status and list-sockets', () => {
  test('a socket and the service it triggers, before and after the first connection', async () => {
    const port = await freePort();
    const path = `${socketDir()}/echo.sock`;
    const units = useTmpUnits({
      'echo.socket': `[Unit]\nDescription=Echo socket\n[Socket]\nListenStream=127.0.0.1:${port}\nListenStream=${path}\n`,
      'echo.service': `[Unit]\nDescription=Echo service\n[Service]\nExecStart=/bin/sh -c 'exec 0<&3; read line; echo "$line"; sleep 30'\n`,
    });
    const daemon = await startDaemon(units.dir);
    expect((await daemon.cli('start', 'echo.socket')).code).toBe(0);
    expect(stable((await daemon.cli('status', 'echo.socket')).stdout)).toEqual([
      '● echo.socket - Echo socket',
      `     Loaded: loaded (${units.dir}/echo.socket; static)`,
      '     Active: active (listening) since T',
      '   Triggers: ● echo.service',
      `     Listen: 127.0.0.1:${port} (Stream)`,
      `             ${path} (Stream)`,
      '',
      expect.stringMatching(/Listening on echo\.socket - Echo socket\.$/),
      '',
    ]);
    const sockets = await daemon.cli('list-sockets');
    const width = Math.max(`127.0.0.1:${port}`.length, path.length);
    expect(sockets.stdout.split('\n')).toEqual([
      `${'LISTEN'.padEnd(width)} UNIT        ACTIVATES`,
      ...[path, `127.0.0.1:${port}`].sort().map((l) => `${l.padEnd(width)} echo.socket echo.service`),
      '',
      '2 sockets listed.',
      'Pass --all to see loaded but inactive sockets, too.',
      '',
    ]);
    const client = net.connect(port, '127.0.0.1').on('error', () => undefined);
    await new Promise<void>((resolve) => client.on('connect', () => client.end('x\n', resolve)));
    await expect.poll(async () => (await daemon.cli('is-active', 'echo.service')).stdout.trim(), POLL).toBe('active');
    const service = stable((await daemon.cli('status', 'echo.service')).stdout);
    expect(service.slice(0, 4)).toEqual(['● echo.service - Echo service', `     Loaded: loaded (${units.dir}/echo.service; static)`, '     Active: active (running) since T', 'TriggeredBy: ● echo.socket']);
    expect(stable((await daemon.cli('status', 'echo.socket')).stdout)[2]).toBe('     Active: active (running) since T');
  });

  test('Accept=yes: the counters, and no sockets listed', async () => {
    const port = await freePort();
    const units = useTmpUnits({
      'acc.socket': `[Socket]\nListenStream=127.0.0.1:${port}\nAccept=yes\n`,
      'acc@.service': `[Service]\nExecStart=/bin/sh -c 'echo hi >&3'\n`,
    });
    const daemon = await startDaemon(units.dir);
    expect((await daemon.cli('list-sockets', '--all', 'nothing*')).stdout).toBe('LISTEN UNIT ACTIVATES\n\n0 sockets listed.\n');
    await daemon.cli('start', 'acc.socket');
    expect(await request({ port }, '')).toBe('hi\n');
    await expect.poll(async () => stable((await daemon.cli('status', 'acc.socket')).stdout).slice(0, 5), POLL).toEqual([
      '● acc.socket',
      `     Loaded: loaded (${units.dir}/acc.socket; static)`,
      '     Active: active (listening) since T',
      `     Listen: 127.0.0.1:${port} (Stream)`,
      '   Accepted: 1; Connected: 0;',
    ]);
  });
});

describe('stop warns of units that can still start the stopped one', () => {
  test("systemctl's words on stderr for an active socket or timer; none with --quiet, for restart, or once the socket stopped too", async () => {
    const port = await freePort();
    const units = useTmpUnits({
      'echo.socket': `[Socket]\nListenStream=127.0.0.1:${port}\n`,
      'echo.service': '[Service]\nExecStart=/bin/sleep 600\n',
      'nightly.timer': '[Timer]\nOnCalendar=03:00\n',
      'nightly.service': '[Service]\nType=oneshot\nExecStart=/bin/true\n',
    });
    const daemon = await startDaemon(units.dir);
    expect((await daemon.cli('start', 'echo.socket', 'nightly.timer')).code).toBe(0);
    expect((await daemon.cli('start', 'echo.service')).code).toBe(0);
    // As systemctl 252 prints them (oracle run of the same units).
    expect(await daemon.cli('stop', 'echo.service')).toEqual({ code: 0, stdout: '', stderr: 'Warning: Stopping echo.service, but it can still be activated by:\n  echo.socket\n' });
    expect((await daemon.cli('stop', 'nightly.service')).stderr).toBe('Warning: Stopping nightly.service, but it can still be activated by:\n  nightly.timer\n');
    expect((await daemon.cli('stop', 'echo.service', '--quiet')).stderr).toBe('');
    expect((await daemon.cli('restart', 'echo.service')).stderr).toBe('');
    expect(await daemon.cli('stop', 'echo.service', 'echo.socket')).toEqual({ code: 0, stdout: '', stderr: '' });
  });
});

describe('systemd-socket-proxyd behind a socket unit', () => {
  const proxyd = '/lib/systemd/systemd-socket-proxyd';
  test.skipIf(!existsSync(proxyd))('forwards connections it got by socket activation to a backend', async () => {
    const backend = net.createServer((s) => s.on('data', (d) => s.end(`backend:${String(d)}`)));
    await new Promise<void>((resolve) => backend.listen(0, '127.0.0.1', resolve));
    const backendPort = (backend.address() as net.AddressInfo).port;
    const port = await freePort();
    const units = useTmpUnits({
      'proxy.socket': `[Socket]\nListenStream=127.0.0.1:${port}\n`,
      'proxy.service': `[Service]\nExecStart=${proxyd} 127.0.0.1:${backendPort}\n`,
    });
    const daemon = await startDaemon(units.dir);
    try {
      await daemon.cli('start', 'proxy.socket');
      expect(await request({ port }, 'hello')).toBe('backend:hello');
      expect(await request({ port }, 'again')).toBe('backend:again');
      expect((await daemon.cli('is-active', 'proxy.service')).stdout.trim()).toBe('active');
    } finally {
      await new Promise((resolve) => backend.close(resolve));
    }
  });
});
