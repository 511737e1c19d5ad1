// journal-file.ts: lines are written asynchronously in batches, in order, none lost at close, and the
// files rotate within their size limit.
import { closeSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, onTestFinished, test } from 'vitest';
import { JOURNAL_FILE, rotatingFileSink } from '../../src/manager/journal-file.js';

const tmp = () => {
  const dir = mkdtempSync(join(tmpdir(), 'unitvisor-journal-'));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
};
const entry = (i: number) => ({ kind: 'log' as const, time: i, level: 'info' as const, msg: `line ${i}` });
const linesIn = (path: string) => readFileSync(path, 'utf8').split('\n').filter(Boolean).map((l) => (JSON.parse(l) as { msg: string }).msg);

test('writes nothing synchronously, everything in order once the loop turns, and the rest at close', async () => {
  const dir = tmp();
  const sink = rotatingFileSink(dir);
  for (let i = 0; i < 1000; i++) sink.write(entry(i));
  expect(readFileSync(join(dir, JOURNAL_FILE), 'utf8')).toBe('');
  await new Promise((resolve) => setImmediate(resolve));
  for (let i = 1000; i < 2000; i++) sink.write(entry(i));
  sink.close();
  await expect.poll(() => linesIn(join(dir, JOURNAL_FILE)).length).toBe(2000);
  expect(linesIn(join(dir, JOURNAL_FILE))).toEqual(Array.from({ length: 2000 }, (_, i) => `line ${i}`));
});

test('rotates at the size limit and keeps a bounded number of old files', async () => {
  const dir = tmp();
  const sink = rotatingFileSink(dir, { maxBytes: 10_000, keep: 2 });
  for (let round = 0; round < 20; round++) {
    for (let i = 0; i < 100; i++) sink.write(entry(round * 100 + i));
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  sink.close();
  await new Promise((resolve) => setTimeout(resolve, 50));
  const files = readdirSync(dir).sort();
  expect(files).toEqual([JOURNAL_FILE, `${JOURNAL_FILE}.1`, `${JOURNAL_FILE}.2`]);
  for (const file of files) expect(statSync(join(dir, file)).size).toBeLessThanOrEqual(10_000);
  // The newest lines are in the current file, the last one at its end.
  expect(linesIn(join(dir, JOURNAL_FILE)).at(-1)).toBe('line 1999');
});

test('what piled up beyond the size limit (a slow disk) is spread over files, none over the limit, none lost', async () => {
  const dir = tmp();
  const sink = rotatingFileSink(dir, { maxBytes: 10_000, keep: 5 });
  // About 60 bytes a line: 400 lines in one loop turn are one batch of 2.4 files.
  for (let i = 0; i < 400; i++) sink.write(entry(i));
  sink.close();
  const files = [`${JOURNAL_FILE}.2`, `${JOURNAL_FILE}.1`, JOURNAL_FILE];
  await expect.poll(() => readdirSync(dir).sort()).toEqual([...files].sort());
  for (const file of files) expect(statSync(join(dir, file)).size).toBeLessThanOrEqual(10_000);
  expect(files.flatMap((file) => linesIn(join(dir, file)))).toEqual(Array.from({ length: 400 }, (_, i) => `line ${i}`));
});

test('a rotation that opens the new file on another descriptor number loses no line (the write takes the file it was taken for)', async () => {
  const dir = tmp();
  // A descriptor below the sink's, freed once the sink is open: each rotation's open() then returns a lower
  // number than the close() before it freed, so a write addressed to the old number would find it closed.
  const hole = openSync(join(dir, 'hole'), 'w');
  const sink = rotatingFileSink(dir, { maxBytes: 10_000, keep: 20 });
  closeSync(hole);
  for (let round = 0; round < 20; round++) {
    for (let i = 0; i < 100; i++) sink.write(entry(round * 100 + i));
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  await sink.close();
  const files = readdirSync(dir)
    .filter((f) => f.startsWith(JOURNAL_FILE))
    .sort((a, b) => Number(b.split('.').pop()) - Number(a.split('.').pop()) || (a === JOURNAL_FILE ? 1 : -1));
  expect(files.length).toBeGreaterThan(2);
  expect(files.flatMap((file) => linesIn(join(dir, file)))).toEqual(Array.from({ length: 2000 }, (_, i) => `line ${i}`));
});
