// Accept=no socket activation with real clients: the service starts on the first connection and gets the
// listening fds from fd 3 with $LISTEN_FDS, $LISTEN_PID and $LISTEN_FDNAMES (systemd.socket(5), sd_listen_fds(3)).
import { afterEach, describe, expect, test } from 'vitest';
import { expectNoLeakedProcesses } from '../helpers/processes.js';
import { bin, puppet } from '../helpers/use-tmp-units.js';
import { messagesOf, shutdownSupervisors, supervise } from './supervise.js';
import { freePort, request, socketDir } from './socket-clients.js';

/** Waits on real processes are bounded generously: a loaded machine may take seconds to start one. */
const POLL = { timeout: 20_000, interval: 50 };

afterEach(async () => {
  await shutdownSupervisors();
  await expectNoLeakedProcesses();
});

describe('Accept=no', () => {
  test('a TCP connection starts the service, which serves it on the listening fd it was passed', async () => {
    const port = await freePort();
    const { sv } = await supervise({
      'echo.socket': `[Unit]\nDescription=Echo socket\n[Socket]\nListenStream=127.0.0.1:${port}\n`,
      'echo.service': `[Unit]\nDescription=Echo service\n[Service]\nExecStart=${puppet('listen-echo', 'node:')}\n`,
    });
    await sv.start('echo.socket');
    expect(sv.show('echo.socket')).toMatchObject({ ActiveState: 'active', SubState: 'listening' });
    expect(sv.show('echo.service')).toMatchObject({ ActiveState: 'inactive' });
    expect(await request({ port }, 'hello\n', /\n/)).toBe('node:hello\n');
    expect(sv.show('echo.socket')).toMatchObject({ ActiveState: 'active', SubState: 'running' });
    expect(sv.show('echo.service')).toMatchObject({ ActiveState: 'active', SubState: 'running' });
    expect(messagesOf(sv, 'echo.socket')).toEqual(['Listening on echo.socket - Echo socket.']);
    expect(messagesOf(sv, 'echo.service')).toEqual(['Started echo.service - Echo service.']);
    const output = sv.logs(['echo.service']).flatMap((e) => (e.kind === 'output' ? [e.line] : []));
    expect(output).toEqual(['LISTEN_FDS=1 LISTEN_FDNAMES=echo.socket']);
  });

  test('a Python service reads LISTEN_FDS from a unix socket with FileDescriptorName=', async () => {
    const path = `${socketDir()}/py.sock`;
    const { sv } = await supervise({
      'py.socket': `[Socket]\nListenStream=${path}\nFileDescriptorName=web\n`,
      'py.service': `[Service]\nExecStart=${bin('listen-echo').replace(/\.mjs$/, '.py')}\n`,
    });
    await sv.start('py.socket');
    expect(sv.show('py.socket')).toMatchObject({ Listen: `${path} (Stream)`, FileDescriptorName: 'web' });
    expect(await request({ path }, 'ping')).toBe('py:ping');
    expect(sv.logs(['py.service']).flatMap((e) => (e.kind === 'output' ? [e.line] : []))).toEqual(['python LISTEN_FDS=1']);
  });
});

describe('Accept=yes', () => {
  test('each connection gets its own NAME@NR-LOCAL-REMOTE.service with the connection as fd 3', async () => {
    const port = await freePort();
    const { sv } = await supervise({
      'acc.socket': `[Unit]\nDescription=Acc socket\n[Socket]\nListenStream=127.0.0.1:${port}\nAccept=yes\n`,
      'acc@.service': `[Unit]\nDescription=Acc per-connection\n[Service]\nExecStart=/bin/sh -c 'echo "$LISTEN_FDS $LISTEN_FDNAMES $$$$=$LISTEN_PID" >&3; read line <&3; echo "got $line" >&3'\n`,
    });
    await sv.start('acc.socket');
    const first = await request({ port }, 'one\n', /got one\n/);
    const [fds, names, pids] = first.split('\n')[0]!.split(' ');
    expect([fds, names]).toEqual(['1', 'connection']);
    const [own, listenPid] = pids!.split('=');
    expect(listenPid).toBe(own);
    await request({ port }, 'two\n', /got two\n/);
    await expect.poll(() => sv.show('acc.socket')['NConnections'], POLL).toBe('0');
    expect(sv.show('acc.socket')).toMatchObject({ SubState: 'listening', NAccepted: '2', Accept: 'yes' });
    const started = sv.logs().flatMap((e) => (e.kind === 'log' && e.msg.startsWith('Started acc@') ? [e.msg] : []));
    expect(started).toHaveLength(2);
    expect(started[0]).toMatch(new RegExp(`^Started acc@0-127\\.0\\.0\\.1:${port}-127\\.0\\.0\\.1:(\\d+)\\.service - Acc per-connection \\(127\\.0\\.0\\.1:\\1\\)\\.$`));
    expect(started[1]).toMatch(/^Started acc@1-/);
    // Finished instances are collected, as systemd's unit GC does.
    await expect.poll(() => sv.listUnits({ all: true }).filter((u) => u.id.startsWith('acc@')), POLL).toEqual([]);
  });

  test('StandardInput=socket: the connection is stdin and stdout', async () => {
    const port = await freePort();
    const { sv } = await supervise({
      'si.socket': `[Socket]\nListenStream=127.0.0.1:${port}\nAccept=yes\n`,
      'si@.service': `[Service]\nStandardInput=socket\nExecStart=/bin/sh -c 'read line; echo "got $line"'\n`,
    });
    await sv.start('si.socket');
    expect(await request({ port }, 'ping\n')).toBe('got ping\n');
  });
});

describe('listeners and failures', () => {
  test('a port in use fails the socket with Result=resources in systemd words; another socket carries on', async () => {
    const port = await freePort();
    const other = await freePort();
    const { sv } = await supervise({
      'first.socket': `[Socket]\nListenStream=127.0.0.1:${port}\n`,
      'first.service': `[Service]\nExecStart=/bin/sleep 30\n`,
      'busy.socket': `[Socket]\nListenStream=127.0.0.1:${port}\n`,
      'busy.service': `[Service]\nExecStart=/bin/sleep 30\n`,
      'fine.socket': `[Socket]\nListenStream=127.0.0.1:${other}\n`,
      'fine.service': `[Service]\nExecStart=/bin/sleep 30\n`,
    });
    await sv.start('first.socket');
    const outcome = await sv.enqueue('start', 'busy.socket').finished;
    expect(outcome).toMatchObject({ result: 'failed', serviceResult: 'resources' });
    expect(sv.show('busy.socket')).toMatchObject({ ActiveState: 'failed', SubState: 'failed', Result: 'resources' });
    expect(messagesOf(sv, 'busy.socket')).toEqual([
      `busy.socket: Failed to create listening socket (127.0.0.1:${port}): Address already in use`,
      'busy.socket: Failed to listen on sockets: Address already in use',
      "busy.socket: Failed with result 'resources'.",
      'Failed to listen on busy.socket.',
    ]);
    await sv.start('fine.socket');
    expect(sv.show('fine.socket')).toMatchObject({ ActiveState: 'active', SubState: 'listening' });
  });

  test('stopping the socket closes the listener and says Closed; the running service keeps running', async () => {
    const port = await freePort();
    const { sv } = await supervise({
      'echo.socket': `[Unit]\nDescription=Echo socket\n[Socket]\nListenStream=127.0.0.1:${port}\n`,
      'echo.service': `[Service]\nExecStart=${puppet('listen-echo')}\n`,
    });
    await sv.start('echo.socket');
    expect(await request({ port }, 'a\n', /\n/)).toBe('a\n');
    await sv.stop('echo.socket');
    expect(messagesOf(sv, 'echo.socket')).toEqual(['Listening on echo.socket - Echo socket.', 'echo.socket: Deactivated successfully.', 'Closed echo.socket - Echo socket.']);
    expect(sv.show('echo.socket')).toMatchObject({ ActiveState: 'inactive', SubState: 'dead' });
    // The service still holds its copy of the listening socket, as systemd's would.
    expect(sv.show('echo.service')).toMatchObject({ ActiveState: 'active' });
    await sv.stop('echo.service');
    await expect(request({ port }, 'b\n')).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });

  test('the listener survives a crash and restart of the service: no connection is refused meanwhile', async () => {
    const port = await freePort();
    const { sv } = await supervise({
      'crash.socket': `[Socket]\nListenStream=127.0.0.1:${port}\n`,
      // Serves two connections, then crashes; Restart= brings it back on the same listening socket.
      'crash.service': `[Service]\nRestart=always\nRestartSec=200ms\nExecStart=${puppet('listen-echo', "''", 2)}\n`,
    });
    await sv.start('crash.socket');
    // Each request follows the reply that made the service crash: it waits in the queue while the service restarts.
    for (let i = 0; i < 6; i++) expect(await request({ port }, `n${i}\n`, /\n/)).toBe(`n${i}\n`);
    expect(Number(sv.show('crash.service')['NRestarts'])).toBeGreaterThanOrEqual(2);
    expect(sv.show('crash.socket')).toMatchObject({ ActiveState: 'active' });
  });
});
