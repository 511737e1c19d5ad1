// Memory stays bounded while a service prints without end: the journal keeps a bounded number of lines
// per unit in memory and, with --journal-dir, rotating files of bounded size; `logs -f` follows live.
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, expect, test } from 'vitest';
import { expectNoLeakedProcesses } from '../helpers/processes.js';
import { CLI } from '../helpers/start-daemon.js';
import { puppet, useTmpUnits } from '../helpers/use-tmp-units.js';
import { SMALL_HEAP, startInNamespace, stopNamespaceDaemons } from './namespace-daemon.js';

afterEach(async () => {
  await stopNamespaceDaemons();
  await expectNoLeakedProcesses();
});

/** Resident set size in MiB (/proc/PID/status VmRSS). */
const rssMiB = (pid: number): number => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;

// The rotating file's limits (src/manager/journal-file.ts): 8 MiB per file, the current one plus 3 old ones.
const FILE_LIMIT = 8 * 1024 * 1024;
const FILES_KEPT = 4;
// Within SMALL_HEAP the flood plateaus at about 150 MiB (Node 20); unbounded keeping would crash the daemon.
const RSS_LIMIT_MIB = 256;
const LINE_BYTES = 4000;

test('a service flooding stdout for several seconds: RSS stays bounded, files rotate, `logs -n 5` has the last lines', async () => {
  const units = useTmpUnits({ 'flood.service': `[Service]\nExecStart=${puppet('flood-stdout', 1e15, LINE_BYTES)}\n` });
  const journalDir = join(units.dir, 'journal');
  const d = await startInNamespace([units.dir], units.dir, { keepOutput: false, nodeArgs: SMALL_HEAP, extraArgs: ['--journal-dir', journalDir] });
  expect((await d.cli('start', 'flood.service')).code).toBe(0);
  // Sample until far more went by than the in-memory journal holds (1000 lines per unit, 5000 in all):
  // a count of lines, not a time, so that a busy machine only makes it slower.
  const samples: number[] = [];
  while (d.outputLines() <= 2 * 5000) {
    await new Promise((resolve) => setTimeout(resolve, 250)); // the sampling interval
    samples.push(rssMiB(d.pid));
  }
  expect(Math.max(...samples), `RSS samples (MiB): ${samples.map((s) => s.toFixed(0)).join(' ')}`).toBeLessThan(RSS_LIMIT_MIB);
  const kept = await d.cli('logs', '-u', 'flood.service', '--json');
  expect(kept.stdout.trim().split('\n').length).toBeLessThanOrEqual(1000);

  const tail = await d.cli('logs', '-n', '5', '-u', 'flood.service', '--json');
  expect(tail.code, `${tail.stderr}\n${d.stderr()}`).toBe(0);
  const last = tail.stdout.trim().split('\n').map((line) => JSON.parse(line) as { unit: string; line?: string; msg?: string });
  expect(last).toHaveLength(5);
  for (const entry of last) expect(entry).toMatchObject({ unit: 'flood.service' });
  expect(JSON.stringify(last)).toContain('x'.repeat(LINE_BYTES - 1));

  const files = readdirSync(journalDir);
  expect(files.length).toBeGreaterThan(1); // it did rotate
  expect(files.length).toBeLessThanOrEqual(FILES_KEPT);
  // The flood goes on: a file listed may have been rotated away since (ENOENT), which is no size to check.
  for (const file of files) expect(statSync(join(journalDir, file), { throwIfNoEntry: false })?.size ?? 0).toBeLessThanOrEqual(FILE_LIMIT);

  d.signal('SIGTERM');
  expect(await d.exited).toBe(0);
}, 180_000);

test('`logs -f` prints new lines as they come; stopping the client leaves the daemon serving', async () => {
  const units = useTmpUnits({ 'ticker.service': `[Service]\nExecStart=/bin/sh -c 'i=0; while :; do i=$((i+1)); echo tick $i; sleep 0.1; done'\n` });
  const d = await startInNamespace([units.dir], units.dir);
  expect((await d.cli('start', 'ticker.service')).code).toBe(0);
  await d.waitForLog((l) => l.msg === 'tick 3');

  const follower = spawn(process.execPath, [CLI, 'logs', '-f', '-n', '1', '-u', 'ticker.service', '--socket', d.socket], { stdio: ['ignore', 'pipe', 'inherit'] });
  let printed = '';
  follower.stdout.setEncoding('utf8').on('data', (chunk: string) => (printed += chunk));
  const ticks = () => [...printed.matchAll(/tick (\d+)/g)].map((m) => Number(m[1]));
  // The last line at once, then each new one as the service prints it.
  await expect.poll(() => ticks().length, { timeout: 10_000 }).toBeGreaterThanOrEqual(4);
  const seen = ticks();
  expect(seen.slice(1)).toEqual(seen.slice(1).map((_, i) => seen[1]! + i)); // consecutive: nothing skipped
  expect(printed).toMatch(/ticker\.service\[\d+\]|sh\[\d+\]/);

  const closed = new Promise((resolve) => follower.once('exit', resolve));
  follower.kill('SIGTERM');
  await closed;
  const before = d.logs.filter((l) => l.unit === 'ticker.service').length;
  await expect.poll(() => d.logs.filter((l) => l.unit === 'ticker.service').length).toBeGreaterThan(before + 2);
  expect((await d.cli('is-active', 'ticker.service')).stdout).toBe('active\n');
  d.signal('SIGTERM');
  expect(await d.exited).toBe(0);
});
