// The control socket is a boundary: every field of every request is checked in the daemon (the CLI's
// checks are not), a half-sent request is dropped after a while, and a second daemon on a live socket
// gives up at once.
import { createConnection } from 'node:net';
import { afterEach, describe, expect, test } from 'vitest';
import { REQUEST_TIMEOUT_MS } from '../../src/daemon/control-socket.js';
import { expectNoLeakedProcesses } from '../helpers/processes.js';
import { runCli, startDaemon, stopAllDaemons } from '../helpers/start-daemon.js';
import { useTmpUnits } from '../helpers/use-tmp-units.js';

afterEach(async () => {
  await stopAllDaemons();
  await expectNoLeakedProcesses();
});

/** Sends `text` raw (no newline added) and collects every reply line until the daemon closes. */
function raw(socket: string, text: string): Promise<{ replies: unknown[]; closedAfterMs: number }> {
  return new Promise((done, fail) => {
    const began = Date.now();
    const conn = createConnection(socket, () => conn.write(text));
    let buffered = '';
    conn.setEncoding('utf8').on('data', (chunk: string) => (buffered += chunk));
    conn.on('error', fail);
    conn.on('close', () => done({ replies: buffered.split('\n').filter(Boolean).map((l) => JSON.parse(l) as unknown), closedAfterMs: Date.now() - began }));
  });
}

const request = (socket: string, value: object) => raw(socket, `${JSON.stringify(value)}\n`).then((r) => r.replies[0]);

describe('requests are validated in the daemon', () => {
  test('names that are not unit names are refused and leave nothing loaded', async () => {
    const units = useTmpUnits({ 'ok.service': '[Service]\nExecStart=/bin/sleep 60\n' });
    const d = await startDaemon(units.dir);
    expect((await d.cli('start', 'ok.service')).code).toBe(0);
    for (const name of ['no suffix', 'a/b.service', '../x.service', 'x.nosuchtype', '', '@.service', 'x'.repeat(300) + '.service']) {
      expect(await request(d.socket, { verb: 'start', units: [name], noBlock: false })).toEqual({ ok: false, code: 'bad-request', message: `Unit name ${name} is not valid.` });
    }
    expect(await request(d.socket, { verb: 'show', units: ['ok.service', 'bad name'] })).toMatchObject({ ok: false, code: 'bad-request' });
    expect(await request(d.socket, { verb: 'list-dependencies', unit: 'x', reverse: false, direction: 'requirements', all: false })).toMatchObject({ ok: false });
    const listed = await d.cli('list-units', '--all');
    expect(listed.stdout).toContain('ok.service');
    expect(listed.stdout).not.toMatch(/no suffix|a\/b|nosuchtype|@\.service/);
    expect(listed.stdout).not.toMatch(/error/);
  });

  test('kill with a signal out of range and exit with a status out of range are refused; the daemon serves on', async () => {
    const units = useTmpUnits({ 'ok.service': '[Service]\nExecStart=/bin/sleep 60\n' });
    const d = await startDaemon(units.dir);
    expect((await d.cli('start', 'ok.service')).code).toBe(0);
    for (const signal of [99999, -9, 0, 65, 1.5]) {
      expect(await request(d.socket, { verb: 'kill', units: ['ok.service'], signal, whom: 'all' })).toEqual({ ok: false, code: 'bad-request', message: 'Signal number out of range.' });
    }
    for (const code of [99999, -1, 256]) {
      expect(await request(d.socket, { verb: 'exit', code })).toEqual({ ok: false, code: 'bad-request', message: 'Exit code out of range.' });
    }
    expect((await d.cli('is-active', 'ok.service')).stdout).toBe('active\n');
    expect(await d.cli('exit', '7')).toMatchObject({ code: 0 });
    expect(await d.exited).toBe(7);
  });

  test('a half-sent request is answered with an error and closed; other clients are served meanwhile', async () => {
    const units = useTmpUnits({ 'ok.service': '[Service]\nExecStart=/bin/sleep 60\n' });
    const d = await startDaemon(units.dir);
    const stalled = raw(d.socket, '{"verb":"sta');
    expect((await d.cli('list-units')).code).toBe(0);
    const { replies, closedAfterMs } = await stalled;
    expect(replies).toEqual([{ ok: false, code: 'bad-request', message: 'Request timed out.' }]);
    expect(closedAfterMs).toBeGreaterThanOrEqual(REQUEST_TIMEOUT_MS - 100);
  });
});

describe('a second daemon and a missing folder', () => {
  test('a second init on a socket held by a live daemon exits at once with a clear error, starting nothing', async () => {
    const units = useTmpUnits({ 'ok.service': '[Service]\nExecStart=/bin/sleep 60\n', 'default.target': '[Unit]\nWants=ok.service\n' });
    const d = await startDaemon(units.dir);
    for (const verb of [['init', '--unit-path', units.dir], ['up', units.dir]]) {
      const second = await runCli([...verb, '--socket', d.socket, '--log-format', 'json']);
      expect(second).toEqual({ stdout: '', stderr: `Another unitvisor is already listening on ${d.socket}.\n`, code: 1 });
    }
    expect((await d.cli('is-active', 'ok.service')).stdout).toBe('active\n');
  });

  test('up on a missing folder, a file or a folder without unit files says so and exits 1', async () => {
    const units = useTmpUnits({ 'notes.txt': 'hello\n' });
    const socket = `${units.dir}/s.sock`;
    expect(await runCli(['up', `${units.dir}/missing`, '--socket', socket])).toEqual({ stdout: '', stderr: `Directory ${units.dir}/missing does not exist.\n`, code: 1 });
    expect(await runCli(['up', `${units.dir}/notes.txt`, '--socket', socket])).toEqual({ stdout: '', stderr: `${units.dir}/notes.txt is not a directory.\n`, code: 1 });
    expect(await runCli(['up', units.dir, '--socket', socket])).toEqual({ stdout: '', stderr: `No unit files in ${units.dir}.\n`, code: 1 });
  });
});
