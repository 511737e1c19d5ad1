// Every Listen*= kind and the socket settings that shape the listener, with real clients (systemd.socket(5));
// messages and file modes as systemd 252 shows them in oracle runs.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import dgram from 'node:dgram';
import { existsSync, openSync, closeSync, statSync, writeSync } from 'node:fs';
import net from 'node:net';
import { afterEach, describe, expect, test } from 'vitest';
import { expectNoLeakedProcesses } from '../helpers/processes.js';
import { puppet } from '../helpers/use-tmp-units.js';
import { messagesOf, shutdownSupervisors, supervise } from './supervise.js';
import { request, socketDir } from './socket-clients.js';
import type { Supervisor } from '../../src/api/index.js';

/** Waits on real processes are bounded generously: a loaded machine may take seconds to start one. */
const POLL = { timeout: 20_000, interval: 50 };

afterEach(async () => {
  await shutdownSupervisors();
  await expectNoLeakedProcesses();
});

const outputOf = (sv: Supervisor, unit: string) => sv.logs([unit]).flatMap((e) => (e.kind === 'output' ? [e.line] : []));

async function freeUdpPort(): Promise<number> {
  const s = dgram.createSocket('udp4');
  await new Promise<void>((resolve) => s.bind(0, '127.0.0.1', resolve));
  const { port } = s.address();
  await new Promise<void>((resolve) => s.close(resolve));
  return port;
}

describe('Listen*= kinds', () => {
  test('ListenDatagram=: the first datagram starts the service, which reads it', async () => {
    const port = await freeUdpPort();
    const { sv } = await supervise({
      'udp.socket': `[Socket]\nListenDatagram=127.0.0.1:${port}\n`,
      'udp.service': `[Service]\nExecStart=${puppet('listen-datagram')}\n`,
    });
    await sv.start('udp.socket');
    const client = dgram.createSocket('udp4');
    await new Promise<void>((resolve) => client.send('first', port, '127.0.0.1', () => resolve()));
    client.close();
    await expect.poll(() => outputOf(sv, 'udp.service'), POLL).toEqual(['datagram: first']);
    expect(sv.show('udp.socket')).toMatchObject({ SubState: 'running', Listen: `127.0.0.1:${port} (Datagram)` });
  });

  test('ListenFIFO=: a write starts the service, which reads the FIFO on fd 3', async () => {
    const path = `${socketDir()}/in.fifo`;
    const { sv } = await supervise({
      'fifo.socket': `[Socket]\nListenFIFO=${path}\nSocketMode=0600\n`,
      'fifo.service': `[Service]\nExecStart=/bin/sh -c 'read line <&3; echo "fifo: $line"; sleep 30'\n`,
    });
    await sv.start('fifo.socket');
    expect(statSync(path).isFIFO()).toBe(true);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    const fd = openSync(path, 'w');
    writeSync(fd, 'through the pipe\n');
    closeSync(fd);
    await expect.poll(() => outputOf(sv, 'fifo.service'), POLL).toEqual(['fifo: through the pipe']);
  });

  test('an abstract @name and a SequentialPacket socket are created, listed and connected to', async () => {
    const name = `unitvisor-test-${process.pid}-${Date.now()}`;
    const seq = `${socketDir()}/seq.sock`;
    const { sv } = await supervise({
      'abs.socket': `[Socket]\nListenStream=@${name}\n`,
      'abs.service': `[Service]\nExecStart=${puppet('listen-echo', 'abs:')}\n`,
      'seq.socket': `[Socket]\nListenSequentialPacket=${seq}\n`,
      'seq.service': `[Service]\nExecStart=/bin/sleep 30\n`,
    });
    await sv.start('abs.socket');
    await sv.start('seq.socket');
    expect(sv.show('abs.socket')['Listen']).toBe(`@${name} (Stream)`);
    expect(sv.show('seq.socket')['Listen']).toBe(`${seq} (SequentialPacket)`);
    // Node's client pads abstract names to the full sun_path; Python's, like systemd's, uses the exact length.
    // Asynchronously: the supervisor runs in this very process and must see the connection.
    const python = (code: string) => promisify(execFile)('python3', ['-c', `import socket\n${code}`], { encoding: 'utf8' });
    expect((await python(`s = socket.socket(socket.AF_UNIX)\ns.connect('\\0${name}')\ns.sendall(b'hi\\n')\nprint(s.recv(100).decode(), end='')`)).stdout).toBe('abs:hi\n');
    // A SOCK_SEQPACKET client can connect only to a SOCK_SEQPACKET listener.
    await python(`s = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)\ns.connect('${seq}')`);
    await expect.poll(() => sv.show('seq.service')['ActiveState'], POLL).toBe('active');
  });
});

describe('listener settings', () => {
  test('SocketMode=, DirectoryMode= for missing parents, RemoveOnStop=', async () => {
    const dir = socketDir();
    const path = `${dir}/sub/dir/a.sock`;
    const { sv } = await supervise({
      'a.socket': `[Socket]\nListenStream=${path}\nSocketMode=0600\nDirectoryMode=0700\nRemoveOnStop=yes\n`,
      'a.service': `[Service]\nExecStart=/bin/sleep 30\n`,
    });
    await sv.start('a.socket');
    expect(statSync(path).isSocket()).toBe(true);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(statSync(`${dir}/sub`).mode & 0o777).toBe(0o700);
    expect(statSync(`${dir}/sub/dir`).mode & 0o777).toBe(0o700);
    await sv.stop('a.socket');
    expect(existsSync(path)).toBe(false);
    expect(existsSync(`${dir}/sub/dir`)).toBe(true);
  });

  test('without RemoveOnStop= the socket file stays after stop; a restart binds it again', async () => {
    const path = `${socketDir()}/b.sock`;
    const { sv } = await supervise({
      'b.socket': `[Socket]\nListenStream=${path}\n`,
      'b.service': `[Service]\nExecStart=${puppet('listen-echo', 'b:')}\n`,
    });
    await sv.start('b.socket');
    expect(statSync(path).mode & 0o777).toBe(0o666);
    await sv.stop('b.socket');
    expect(existsSync(path)).toBe(true);
    await sv.start('b.socket');
    expect(await request({ path }, 'again\n', /\n/)).toBe('b:again\n');
  });

  test('MaxConnections=: a connection beyond it is dropped with systemd words', async () => {
    const path = `${socketDir()}/m.sock`;
    const { sv } = await supervise({
      'm.socket': `[Socket]\nListenStream=${path}\nAccept=yes\nMaxConnections=1\n`,
      'm@.service': `[Service]\nExecStart=/bin/sh -c 'echo busy >&3; read line <&3'\n`,
    });
    await sv.start('m.socket');
    const first = net.connect(path);
    await new Promise((resolve) => first.once('data', resolve));
    expect(await request({ path }, '')).toBe('');
    expect(messagesOf(sv, 'm.socket')).toContain('m.socket: Too many incoming connections (1), dropping connection.');
    first.end('done\n');
    await expect.poll(() => sv.show('m.socket')['NConnections'], POLL).toBe('0');
    expect(await request({ path }, 'x\n', /busy/)).toBe('busy\n');
  });

  test('ExecStartPre=, ExecStartPost=, ExecStopPre=, ExecStopPost= of the socket, in systemd order and words', async () => {
    const path = `${socketDir()}/e.sock`;
    const { sv } = await supervise({
      'e.socket': `[Unit]\nDescription=E socket\n[Socket]\nListenStream=${path}\nExecStartPre=/bin/echo pre\nExecStartPost=/bin/sh -c 'test -S ${path} && echo post'\nExecStopPre=/bin/echo stoppre\nExecStopPost=/bin/echo stoppost\n`,
      'e.service': `[Service]\nExecStart=/bin/sleep 30\n`,
    });
    await sv.start('e.socket');
    await sv.stop('e.socket');
    const lines = sv.logs(['e.socket']).map((e) => (e.kind === 'output' ? `output: ${e.line}` : e.msg));
    expect(lines).toEqual([
      'Starting e.socket - E socket...',
      'output: pre',
      'output: post',
      'Listening on e.socket - E socket.',
      'Stopping e.socket - E socket...',
      'output: stoppre',
      'output: stoppost',
      'e.socket: Deactivated successfully.',
      'Closed e.socket - E socket.',
    ]);
    expect(sv.status('e.socket')?.runs.map((r) => r.setting)).toEqual(['ExecStartPre', 'ExecStartPost', 'ExecStopPre', 'ExecStopPost']);
  });

  test('a failing ExecStartPre= fails the socket with exit-code and never opens it', async () => {
    const path = `${socketDir()}/f.sock`;
    const { sv } = await supervise({
      'f.socket': `[Socket]\nListenStream=${path}\nExecStartPre=/bin/false\n`,
      'f.service': `[Service]\nExecStart=/bin/sleep 30\n`,
    });
    expect(await sv.enqueue('start', 'f.socket').finished).toMatchObject({ result: 'failed', serviceResult: 'exit-code' });
    expect(existsSync(path)).toBe(false);
    expect(messagesOf(sv, 'f.socket')).toEqual([
      'Starting f.socket...',
      'f.socket: Control process exited, code=exited, status=1/FAILURE',
      "f.socket: Failed with result 'exit-code'.",
      'Failed to listen on f.socket.',
    ]);
  });
});
