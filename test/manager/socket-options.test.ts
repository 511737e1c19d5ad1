// The [Socket] options that shape a TCP listener, read back from the kernel rather than from `show`:
// NoDelay=, KeepAlive= and ReusePort= with getsockopt(2) in the activated service (on the listening socket and
// on an accepted connection), Backlog= as the listen queue length `ss` reports, two ReusePort= sockets on one port,
// BindIPv6Only= by which clients [::]:PORT serves, SocketUser=/SocketGroup= as the socket file's owner
// (systemd.socket(5); socket.c socket_apply_socket_options(), socket_address_listen()).
import { execFile, spawnSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import net from 'node:net';
import { promisify } from 'node:util';
import { afterEach, describe, expect, test } from 'vitest';
import { expectNoLeakedProcesses } from '../helpers/processes.js';
import { bin, puppet } from '../helpers/use-tmp-units.js';
import { messagesOf, shutdownSupervisors, supervise, tryStart } from './supervise.js';
import { freePort, request, socketDir } from './socket-clients.js';
import { loadNative } from '../../src/process/native.js';
import type { Supervisor } from '../../src/api/index.js';

/** Waits on real processes are bounded generously: a loaded machine may take seconds to start one. */
const POLL = { timeout: 20_000, interval: 50 };

afterEach(async () => {
  await shutdownSupervisors();
  await expectNoLeakedProcesses();
});

const SOCKET_OPTIONS = bin('socket-options').replace(/\.mjs$/, '.py');
const outputOf = (sv: Supervisor, unit: string) => sv.logs([unit]).flatMap((e) => (e.kind === 'output' ? [e.line] : []));

/** Connects and waits until the connection is established; the caller closes it. */
async function connect(port: number): Promise<net.Socket> {
  const client = net.connect(port, '127.0.0.1');
  await new Promise((resolve, reject) => client.once('connect', resolve).once('error', reject));
  return client;
}

describe('NoDelay=, KeepAlive=, ReusePort= as getsockopt(2) reads them', () => {
  test('set on the listening socket an Accept=no service gets; all off by default', async () => {
    const [on, off] = [await freePort(), await freePort()];
    const { sv } = await supervise({
      'on.socket': `[Socket]\nListenStream=127.0.0.1:${on}\nNoDelay=yes\nKeepAlive=yes\nReusePort=yes\n`,
      'on.service': `[Service]\nExecStart=${SOCKET_OPTIONS}\n`,
      'off.socket': `[Socket]\nListenStream=127.0.0.1:${off}\n`,
      'off.service': `[Service]\nExecStart=${SOCKET_OPTIONS}\n`,
    });
    await sv.start('on.socket');
    await sv.start('off.socket');
    const clients = [await connect(on), await connect(off)];
    await expect.poll(() => outputOf(sv, 'on.service'), POLL).toEqual(['listening nodelay=1 keepalive=1 reuseport=1']);
    await expect.poll(() => outputOf(sv, 'off.service'), POLL).toEqual(['listening nodelay=0 keepalive=0 reuseport=0']);
    clients.forEach((c) => c.destroy());
  });

  test('and on each connection an Accept=yes instance gets', async () => {
    const port = await freePort();
    const { sv } = await supervise({
      'conn.socket': `[Socket]\nListenStream=127.0.0.1:${port}\nAccept=yes\nNoDelay=yes\nKeepAlive=yes\n`,
      'conn@.service': `[Service]\nExecStart=${SOCKET_OPTIONS}\n`,
    });
    await sv.start('conn.socket');
    expect(await request({ port }, '')).toBe(''); // the instance closes the connection once it has printed
    const instanceOutput = () => sv.logs().flatMap((e) => (e.kind === 'output' && e.unit.startsWith('conn@') ? [e.line] : []));
    await expect.poll(instanceOutput, POLL).toEqual(['connection nodelay=1 keepalive=1 reuseport=0']);
  });
});

describe('BindIPv6Only=', () => {
  test('ipv6-only: an IPv4 client is refused on [::]:PORT; both: it is served there', async () => {
    const [only, both] = [await freePort(), await freePort()];
    const { sv } = await supervise({
      'only.socket': `[Socket]\nListenStream=[::]:${only}\nBindIPv6Only=ipv6-only\n`,
      'only.service': `[Service]\nExecStart=${puppet('listen-echo', 'only:')}\n`,
      'both.socket': `[Socket]\nListenStream=[::]:${both}\nBindIPv6Only=both\n`,
      'both.service': `[Service]\nExecStart=${puppet('listen-echo', 'both:')}\n`,
    });
    await sv.start('only.socket');
    await sv.start('both.socket');
    await expect(request({ port: only }, 'v4\n', /\n/)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    expect(await request({ port: only, host: '::1' }, 'v6\n', /\n/)).toBe('only:v6\n');
    expect(await request({ port: both }, 'v4\n', /\n/)).toBe('both:v4\n');
  });
});

describe('SocketUser=, SocketGroup=', () => {
  test('own the socket file', async () => {
    const path = `${socketDir()}/owned.sock`;
    const { sv } = await supervise({
      'owned.socket': `[Socket]\nListenStream=${path}\nSocketUser=nobody\nSocketGroup=nogroup\n`,
      'owned.service': '[Service]\nExecStart=/bin/true\n',
    });
    await sv.start('owned.socket');
    const nobody = loadNative().getpwnam('nobody')!;
    const nogroup = loadNative().getgrnam('nogroup')!;
    expect(statSync(path)).toMatchObject({ uid: nobody.uid, gid: nogroup.gid });
  });
});

describe('ReusePort=', () => {
  test('two sockets with it listen on the same port and share its connections; a third without it fails as systemd says', async () => {
    const port = await freePort();
    const { sv } = await supervise({
      'a.socket': `[Socket]\nListenStream=127.0.0.1:${port}\nReusePort=yes\n`,
      'a.service': `[Service]\nExecStart=${puppet('listen-echo', 'a:')}\n`,
      'b.socket': `[Socket]\nListenStream=127.0.0.1:${port}\nReusePort=yes\n`,
      'b.service': `[Service]\nExecStart=${puppet('listen-echo', 'b:')}\n`,
      'c.socket': `[Socket]\nListenStream=127.0.0.1:${port}\n`,
      'c.service': `[Service]\nExecStart=/bin/true\n`,
    });
    await sv.start('a.socket');
    await sv.start('b.socket');
    expect([sv.show('a.socket')['SubState'], sv.show('b.socket')['SubState']]).toEqual(['listening', 'listening']);
    expect(await request({ port }, 'hello\n', /\n/)).toMatch(/^[ab]:hello\n$/);

    expect(await tryStart(sv, 'c.socket')).toMatchObject({ result: 'failed' });
    expect(sv.show('c.socket')).toMatchObject({ ActiveState: 'failed', Result: 'resources' });
    expect(messagesOf(sv, 'c.socket')).toContain(`c.socket: Failed to create listening socket (127.0.0.1:${port}): Address already in use`);
  });
});

/** The listen queue length of the TCP listener on `port`: `ss` prints it as Send-Q (sk_max_ack_backlog). */
async function listenQueue(port: number): Promise<number> {
  const { stdout } = await promisify(execFile)('ss', ['-Hltn', `sport = :${port}`]);
  const fields = stdout.trim().split(/\s+/);
  expect(fields[0], stdout).toBe('LISTEN');
  return Number(fields[2]);
}

const HAVE_SS = spawnSync('ss', ['-V']).status === 0;
if (!HAVE_SS) console.log('Backlog= test skipped: ss (iproute2) is not installed');

describe.skipIf(!HAVE_SS)('Backlog=', () => {
  test("is the listener's queue length; the default (systemd's SOMAXCONN_DELUXE) is the kernel's maximum, net.core.somaxconn", async () => {
    const [seven, unset] = [await freePort(), await freePort()];
    const { sv } = await supervise({
      'seven.socket': `[Socket]\nListenStream=127.0.0.1:${seven}\nBacklog=7\n`,
      'seven.service': '[Service]\nExecStart=/bin/true\n',
      'unset.socket': `[Socket]\nListenStream=127.0.0.1:${unset}\n`,
      'unset.service': '[Service]\nExecStart=/bin/true\n',
    });
    await sv.start('seven.socket');
    await sv.start('unset.socket');
    expect(await listenQueue(seven)).toBe(7);
    expect(await listenQueue(unset)).toBe(Number(readFileSync('/proc/sys/net/core/somaxconn', 'utf8')));
    expect(sv.show('seven.socket')['Backlog']).toBe('7');
  });
});
