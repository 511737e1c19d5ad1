// What a service prints is bounded in bytes, whatever it prints: binary zeros make no records, lines
// longer than LineMax= are split, the journal keeps a few MiB per unit, and `logs` of it stays small.
import { readFileSync } from 'node:fs';
import { afterEach, expect, test } from 'vitest';
import { DEFAULT_JOURNAL_LIMITS } from '../../src/manager/journal.js';
import { LINE_MAX } from '../../src/process/output.js';
import { expectNoLeakedProcesses } from '../helpers/processes.js';
import { useTmpUnits } from '../helpers/use-tmp-units.js';
import { SMALL_HEAP, startInNamespace, stopNamespaceDaemons } from './namespace-daemon.js';

afterEach(async () => {
  await stopNamespaceDaemons();
  await expectNoLeakedProcesses();
});

const rssMiB = (pid: number): number => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
const oneshot = (script: string) => `[Service]\nType=oneshot\nExecStart=/bin/sh -c '${script}'\n`;

test('1 MiB of NUL bytes makes no output records', async () => {
  const units = useTmpUnits({ 'zeros.service': oneshot('head -c 1048576 /dev/zero; echo done') });
  const d = await startInNamespace([units.dir], units.dir, { keepOutput: false });
  expect((await d.cli('start', 'zeros.service')).code).toBe(0);
  const logged = await d.cli('logs', '-u', 'zeros.service', '--json');
  const lines = logged.stdout.trim().split('\n').map((l) => JSON.parse(l) as { line?: string });
  expect(lines.filter((l) => l.line !== undefined).map((l) => l.line)).toEqual(['done']);
  expect(d.outputLines()).toBe(1);
  d.signal('SIGTERM');
  expect(await d.exited).toBe(0);
});

test('300 MB without a newline: LineMax pieces, the journal keeps bytesPerUnit, memory does not follow the output', async () => {
  const units = useTmpUnits({ 'long.service': oneshot('head -c 300000000 /dev/zero | tr "\\\\0" x') });
  const d = await startInNamespace([units.dir], units.dir, { keepOutput: false, nodeArgs: SMALL_HEAP });
  const before = rssMiB(d.pid);
  expect((await d.cli('start', 'long.service')).code).toBe(0);
  const grown = rssMiB(d.pid) - before;
  // Within SMALL_HEAP it grows by about 45 MiB; holding what the old line-count bound allowed (5000 pieces of
  // 48 KiB) alone took 240 MiB.
  expect(grown, `RSS grew by ${grown.toFixed(0)} MiB`).toBeLessThan(150);
  const kept = await d.cli('logs', '-n', '2000', '-u', 'long.service', '--json');
  expect(kept.code, kept.stderr.slice(0, 2000)).toBe(0);
  const entries = kept.stdout.trim().split('\n').map((l) => JSON.parse(l) as { line?: string });
  const bytes = entries.reduce((sum, e) => sum + (e.line?.length ?? 0), 0);
  expect(bytes).toBeLessThanOrEqual(DEFAULT_JOURNAL_LIMITS.bytesPerUnit);
  expect(bytes).toBeGreaterThan(DEFAULT_JOURNAL_LIMITS.bytesPerUnit / 2);
  const pieces = entries.flatMap((e) => (e.line !== undefined ? [e.line.length] : []));
  expect(new Set(pieces.slice(0, -1))).toEqual(new Set([LINE_MAX]));
  d.signal('SIGTERM');
  expect(await d.exited).toBe(0);
}, 120_000);
