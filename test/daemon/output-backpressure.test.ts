// A slow reader of the daemon's stdout holds the services back, as journald does: a service's write() waits
// on its full pipe, no line is lost or reordered, and meanwhile the supervisor answers, serves other units,
// stops the blocked service (its last lines still read out) and shuts down without hanging. A `logs -f`
// client that stops reading holds nothing back and is let go at a bound. A journal file (--journal-dir) on a
// stuck disk holds the services back the same way.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { constants, existsSync, openSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createConnection, Socket } from 'node:net';
import { join } from 'node:path';
import { afterEach, expect, test } from 'vitest';
import { JOURNAL_FILE } from '../../src/manager/journal-file.js';
import { expectNoLeakedProcesses } from '../helpers/processes.js';
import { CLI, runCli } from '../helpers/start-daemon.js';
import { watchForInternalErrors } from '../helpers/internal-errors.js';
import { useTmpUnits } from '../helpers/use-tmp-units.js';

interface Entry {
  readonly msg: string;
  readonly unit?: string;
  readonly stream?: string;
}

const daemons = new Set<ChildProcess>();
afterEach(async () => {
  for (const child of daemons) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  daemons.clear();
  await expectNoLeakedProcesses();
});

/** `unitvisor init` whose stdout the test reads at its own pace: `paused` while it does not read at all. */
function startReadSlowly(unitDir: string, extraArgs: readonly string[] = []) {
  const socket = join(unitDir, '.control.sock');
  const child = spawn(process.execPath, [CLI, 'init', '--unit-path', unitDir, '--socket', socket, '--log-format', 'json', ...extraArgs], { stdio: ['ignore', 'pipe', 'pipe'] });
  daemons.add(child);
  const entries: Entry[] = [];
  const seen: { match: (e: Entry) => boolean; found: () => void }[] = [];
  let pending = '';
  let stderr = '';
  let paced = false;
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    const lines = (pending + chunk).split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) {
      watchForInternalErrors('daemon', line);
      const entry = JSON.parse(line) as Entry;
      entries.push(entry);
      for (const w of [...seen]) if (w.match(entry)) (seen.splice(seen.indexOf(w), 1), w.found());
    }
    // A slow reader: a pause after every chunk, a fresh turn of the timers before the next.
    if (paced) {
      child.stdout.pause();
      setTimeout(() => child.stdout.resume(), 2);
    }
  });
  const ended = new Promise<void>((done) => child.stdout.once('end', done));
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  const waitFor = (match: (e: Entry) => boolean): Promise<void> =>
    entries.some(match) ? Promise.resolve() : new Promise((found) => seen.push({ match, found }));
  return {
    child,
    socket,
    entries,
    ended,
    exited,
    stderr: () => stderr,
    cli: (...args: string[]) => runCli([...args, '--socket', socket]),
    waitFor,
    pace: (on: boolean) => (paced = on),
    ready: () => waitFor((e) => /^unitvisor \S+ running in/.test(e.msg)),
  };
}

/** The numbers a unit printed, in the order they arrived. */
const numbersOf = (entries: readonly Entry[], unit: string): number[] => entries.filter((e) => e.unit === unit && e.stream === 'stdout').map((e) => Number(e.msg));
const oneToN = (n: number): number[] => Array.from({ length: n }, (_, i) => i + 1);

/**
 * 1, 2, ... k without a gap. seq writes in blocks that end anywhere in a line: killed while it waited, the
 * text after its last newline ends the stream as a line of its own (as in journald), a prefix of the next number.
 */
function expectCountFromOne(numbers: readonly number[]): void {
  expect(numbers.length).toBeGreaterThan(1);
  const whole = numbers.slice(0, -1);
  expect(whole).toEqual(oneToN(whole.length));
  expect(String(whole.length + 1).startsWith(String(numbers.at(-1)))).toBe(true);
}

/** Waits until `pid` sleeps in write() on its full stdout (a socket pair, as Node makes stdio pipes; the kernel's wait channel says so). */
async function blockedOnPipe(pid: number): Promise<void> {
  await expect.poll(() => readFileSync(`/proc/${pid}/wchan`, 'utf8'), { timeout: 60_000, interval: 50 }).toMatch(/sock_alloc_send|unix_stream_sendmsg|pipe_write/);
}

// More JSON than the event log may hold for a stuck reader (16 MiB) several times over: without the
// backpressure, lines were dropped.
const LINES = 300_000;

test('a service printing numbered lines to a slowly read stdout: every number arrives, in order', async () => {
  const units = useTmpUnits({ 'count.service': `[Service]\nType=oneshot\nExecStart=/usr/bin/seq 1 ${LINES}\n` });
  const d = startReadSlowly(units.dir);
  await d.ready();
  d.pace(true);
  const started = await d.cli('start', 'count.service');
  expect(started.code, started.stderr).toBe(0);
  await d.waitFor((e) => e.msg === 'Finished count.service.');
  // Everything it printed came before it finished, as in systemd's journal.
  expect(numbersOf(d.entries, 'count.service')).toEqual(oneToN(LINES));
  d.child.kill('SIGTERM');
  expect(await d.exited, d.stderr()).toBe(0);
}, 180_000);

test('while a service waits on its full pipe the supervisor answers, serves other units and stops it, its last lines read out', async () => {
  const units = useTmpUnits({
    'flood.service': '[Service]\nExecStart=/usr/bin/seq 1 1000000000\n',
    'other.service': '[Service]\nType=oneshot\nExecStart=/bin/echo other says hi\n',
  });
  const d = startReadSlowly(units.dir);
  await d.ready();
  d.child.stdout.pause(); // nobody reads the log any more
  expect((await d.cli('start', 'flood.service')).code).toBe(0);
  const pid = Number((await d.cli('show', '-p', 'MainPID', '--value', 'flood.service')).stdout);
  await blockedOnPipe(pid);

  expect((await d.cli('is-active', 'flood.service')).stdout).toBe('active\n');
  const other = await d.cli('start', 'other.service');
  expect(other.code, other.stderr).toBe(0);
  expect((await d.cli('is-active', 'other.service')).stdout).toBe('inactive\n');
  const stopped = await d.cli('stop', 'flood.service');
  expect(stopped.code, stopped.stderr).toBe(0);
  expect((await d.cli('is-active', 'flood.service')).stdout).toBe('inactive\n');

  d.child.stdout.resume();
  d.child.kill('SIGTERM');
  expect(await d.exited, d.stderr()).toBe(0);
  await d.ended;
  // Nothing was dropped while the log was stuck: 1..k without a gap, all before "Stopped".
  expectCountFromOne(numbersOf(d.entries, 'flood.service'));
  const lastLine = d.entries.findLastIndex((e) => e.unit === 'flood.service' && e.stream === 'stdout');
  expect(d.entries.findIndex((e) => e.msg === 'Stopped flood.service.')).toBeGreaterThan(lastLine);
  expect(d.entries.some((e) => e.unit === 'other.service' && e.msg === 'other says hi')).toBe(true);
}, 180_000);

test('shutdown while a service waits on its full pipe: the daemon stops it and exits, every line up to there written', async () => {
  const units = useTmpUnits({ 'flood.service': '[Service]\nExecStart=/usr/bin/seq 1 1000000000\n' });
  const d = startReadSlowly(units.dir);
  await d.ready();
  d.child.stdout.pause();
  expect((await d.cli('start', 'flood.service')).code).toBe(0);
  await blockedOnPipe(Number((await d.cli('show', '-p', 'MainPID', '--value', 'flood.service')).stdout));
  d.child.kill('SIGTERM');
  d.child.stdout.resume();
  expect(await d.exited, d.stderr()).toBe(0);
  await d.ended;
  expectCountFromOne(numbersOf(d.entries, 'flood.service'));
  expect(d.entries.findIndex((e) => e.msg === 'Stopped flood.service.')).toBeGreaterThan(d.entries.findLastIndex((e) => e.unit === 'flood.service' && e.stream === 'stdout'));
}, 180_000);

/**
 * One write of 256 KiB of empty lines (one read: 28 MB of JSON, more than the log holds for a stuck reader),
 * then numbered lines that fit in the pipe, left in it when the process exits; its pid goes to `argv[2]` last.
 */
const BURST = `
const { writeFileSync, writeSync } = require('node:fs');
writeSync(1, Buffer.alloc(262144, 10));
writeSync(1, Array.from({ length: 20000 }, (_, i) => i + 1).join('\\n') + '\\n');
writeFileSync(process.argv[2], String(process.pid));
`;

/** burst.service, started once the daemon runs and `stuck()` made its output wait; resolves once its process was reaped, the last of its lines left in its pipe. */
async function startBurstWhenStuck(extraArgs: readonly string[], stuck: (d: ReturnType<typeof startReadSlowly>) => void): Promise<ReturnType<typeof startReadSlowly>> {
  const units = useTmpUnits({ 'burst.cjs': BURST, 'burst.service': '' });
  const marker = join(units.dir, 'burst.pid');
  units.write('burst.service', `[Service]\nType=oneshot\nExecStart=${process.execPath} ${join(units.dir, 'burst.cjs')} ${marker}\n`);
  const d = startReadSlowly(units.dir, extraArgs);
  await d.ready();
  stuck(d);
  const started = await d.cli('start', '--no-block', 'burst.service');
  expect(started.code, started.stderr).toBe(0);
  await expect.poll(() => existsSync(marker) && !existsSync(`/proc/${readFileSync(marker, 'utf8')}`), { timeout: 60_000, interval: 50 }).toBe(true);
  return d;
}

/** The daemon with a log nobody reads, once burst.service's process was reaped, the last of its lines left in its pipe. */
const burstExitedWhileStuck = () => startBurstWhenStuck([], (d) => d.child.stdout.pause());

/** What burst.service printed as the log shows it: every empty line first, then every number, in order. */
function expectBurst(entries: readonly Entry[]): Entry[] {
  const printed = entries.filter((e) => e.unit === 'burst.service' && e.stream === 'stdout');
  expect(printed.slice(0, 262_144).every((e) => e.msg === '')).toBe(true);
  expect(printed.slice(262_144).map((e) => Number(e.msg))).toEqual(oneToN(20_000));
  return printed;
}

test('a service that exits while the log is stuck past what it holds: the rest of its pipe arrives once read again, before it finished', async () => {
  const d = await burstExitedWhileStuck();
  // The daemon answered a request since the exit.
  expect((await d.cli('is-failed', 'burst.service')).stdout).not.toBe('failed\n');
  d.child.stdout.resume();
  await d.waitFor((e) => e.msg === 'Finished burst.service.');
  const printed = expectBurst(d.entries);
  // Before the unit finished, as in systemd's journal.
  expect(d.entries.findIndex((e) => e.msg === 'Finished burst.service.')).toBeGreaterThan(d.entries.indexOf(printed.at(-1) as Entry));
  d.child.kill('SIGTERM');
  expect(await d.exited, d.stderr()).toBe(0);
}, 180_000);

test('a service stopped while its exit waits for the stuck log: the stop completes, the rest of its pipe arrives once read again', async () => {
  const d = await burstExitedWhileStuck();
  const stopped = await d.cli('stop', 'burst.service');
  expect(stopped.code, stopped.stderr).toBe(0);
  expect((await d.cli('is-active', 'burst.service')).stdout).toBe('inactive\n');
  d.child.stdout.resume();
  // Read once the log drained, not at the daemon's exit.
  await expect.poll(() => d.entries.some((e) => e.unit === 'burst.service' && e.msg === '20000'), { timeout: 60_000 }).toBe(true);
  expectBurst(d.entries);
  d.child.kill('SIGTERM');
  expect(await d.exited, d.stderr()).toBe(0);
}, 180_000);

test('a journal file on a stuck disk: a service that exits meanwhile loses no line, the rest of its pipe written once the disk takes it', async () => {
  const journalDir = useTmpUnits({}).dir;
  const fifo = join(journalDir, JOURNAL_FILE);
  expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
  // The disk: a FIFO opened before the daemon opens it for writing, and read only once the service exited.
  const disk = openSync(fifo, constants.O_RDONLY | constants.O_NONBLOCK);
  const d = await startBurstWhenStuck(['--journal-dir', journalDir], () => undefined);
  let written = '';
  const reader = new Socket({ fd: disk, readable: true });
  reader.setEncoding('utf8').on('data', (chunk: string) => (written += chunk));
  await d.waitFor((e) => e.msg === 'Finished burst.service.');
  d.child.kill('SIGTERM');
  expect(await d.exited, d.stderr()).toBe(0);
  // The FIFO's lines, then the regular files the journal rotated to, oldest first.
  const files = readdirSync(journalDir)
    .filter((f) => f.startsWith(JOURNAL_FILE) && statSync(join(journalDir, f)).isFile())
    .sort((a, b) => Number(b.slice(JOURNAL_FILE.length + 1) || 0) - Number(a.slice(JOURNAL_FILE.length + 1) || 0));
  const journal = [written, ...files.map((f) => readFileSync(join(journalDir, f), 'utf8'))]
    .join('')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as { unit?: string; line?: string; msg?: string });
  expect(journal.filter((e) => e.msg?.includes('dropped'))).toEqual([]);
  const printed = journal.filter((e) => e.unit === 'burst.service' && e.line !== undefined && e.line !== '');
  expect(printed.map((e) => Number(e.line))).toEqual(oneToN(20_000));
  // The event log, read all along, has them too.
  expectBurst(d.entries);
  reader.destroy();
}, 180_000);

test('a `logs -f` client that stops reading holds no service back and is let go once far behind', async () => {
  const units = useTmpUnits({ 'flood.service': `[Service]\nType=oneshot\nExecStart=/usr/bin/seq 1 ${LINES}\n` });
  const d = startReadSlowly(units.dir);
  await d.ready();
  const follower = createConnection(d.socket);
  let received = '';
  follower.setEncoding('utf8').on('data', (chunk: string) => (received += chunk));
  const closed = new Promise<void>((done) => follower.once('close', () => done()));
  follower.write(`${JSON.stringify({ verb: 'logs', units: ['flood.service'], follow: true, lines: 0 })}\n`);
  // Following from here on (its first reply came), then never reading again until the flood is over.
  await expect.poll(() => received.includes('\n')).toBe(true);
  follower.pause();
  const started = await d.cli('start', 'flood.service');
  expect(started.code, started.stderr).toBe(0);
  await d.waitFor((e) => e.msg === 'Finished flood.service.');
  follower.resume();
  await closed;
  const replies = received.trimEnd().split('\n').map((line) => JSON.parse(line) as { ok: boolean; code?: string; message?: string; result?: { entries: unknown[] } });
  expect(replies.at(-1)).toMatchObject({ ok: false, code: 'refused', message: expect.stringMatching(/behind; the daemon stopped sending/) });
  const followed = replies.reduce((sum, r) => sum + (r.result?.entries.length ?? 0), 0);
  expect(followed).toBeGreaterThan(0);
  expect(followed).toBeLessThan(LINES);
  // Every line still reached the event log.
  expect(numbersOf(d.entries, 'flood.service')).toEqual(oneToN(LINES));
  d.child.kill('SIGTERM');
  expect(await d.exited, d.stderr()).toBe(0);
}, 180_000);
