// An idle daemon is woken by nothing. V8's memory reducer would wake it every 8 s for good: armed while
// the daemon's code loads unless a full collection came first, it never runs with incremental marking
// off (src/bin.cts). Seen in V8's own GC trace: the reducer prints a line each time its timer wakes the
// process.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { CLI } from '../helpers/start-daemon.js';

const dir = mkdtempSync(join(tmpdir(), 'unitvisor-idle-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test('after its collection at rest, the daemon with a running service is not woken again (no memory reducer)', async () => {
  mkdirSync(join(dir, 'multi-user.target.wants'));
  writeFileSync(join(dir, 'a.service'), '[Service]\nExecStart=/bin/sleep 1000\n');
  symlinkSync('../a.service', join(dir, 'multi-user.target.wants', 'a.service'));
  const daemon = spawn(process.execPath, ['--trace-gc-verbose', CLI, 'init', '--unit-path', dir, '--socket', join(dir, 'control.sock'), '--log-format', 'json'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise((done) => daemon.once('exit', done));
  let output = '';
  const seen = (pattern: RegExp) => new Promise<void>((done) => {
    const look = () => pattern.test(output) && (daemon.stdout.off('data', look), done());
    daemon.stdout.on('data', look);
    look();
  });
  daemon.stdout.setEncoding('utf8').on('data', (text: string) => (output += text));
  try {
    await seen(/"Started a\.service\."/);
    // The collection at rest: V8's trace names its reason.
    await seen(/Mark-Compact.*low memory notification/);
    // A reducer armed at start or by that collection would have woken the daemon 8.1 s after it.
    await new Promise((done) => setTimeout(done, 9000));
    expect(output).toMatch(/"Started a\.service\."/);
    expect(output.match(/Memory reducer:.*/g) ?? []).toEqual([]);
  } finally {
    daemon.kill('SIGTERM');
    await exited;
  }
}, 60_000);
