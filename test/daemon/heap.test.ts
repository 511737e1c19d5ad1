// The daemon's heap after a burst of work: one full, compacting collection once all is quiet gives the
// burst's garbage back to the system, and nothing stays armed; the optimizing compiler waits for that quiet.
import { constants, PerformanceObserver, type PerformanceEntry } from 'node:perf_hooks';
import { getHeapCodeStatistics, getHeapSpaceStatistics, setFlagsFromString } from 'node:v8';
import { expect, onTestFinished, test, vi } from 'vitest';
import { collectWhenIdle, deferOptimizingCompiler } from '../../src/daemon/heap.js';

const oldSpace = () => getHeapSpaceStatistics().find((space) => space.space_name === 'old_space')!;

function majorCollections(): number[] {
  const starts: number[] = [];
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) if ((entry as PerformanceEntry & { detail?: { kind?: number } }).detail?.kind === constants.NODE_PERFORMANCE_GC_MAJOR) starts.push(entry.startTime);
  });
  observer.observe({ entryTypes: ['gc'] });
  onTestFinished(() => observer.disconnect());
  return starts;
}

test('a burst that left its garbage scattered over the old space: the pages come back once it is quiet, in one full collection', async () => {
  const fullCollections = majorCollections();
  // Objects that live long enough to be promoted, then die: every third one stays, scattered over the pages.
  let burst: { n: number; text: string }[] = [];
  for (let i = 0; i < 400_000; i++) burst.push({ n: i, text: `object ${i}` });
  const kept = burst.filter((_, i) => i % 3 === 0);
  burst = [];
  const before = oldSpace().physical_space_size;

  const collector = collectWhenIdle(50, 0);
  onTestFinished(() => collector.stop());
  const since = performance.now();
  // The work of the burst, event after event: one collection after the last of them.
  for (let i = 0; i < 1000; i++) collector.busy();
  await vi.waitFor(() => expect(fullCollections.filter((t) => t >= since)).toHaveLength(1), { timeout: 10_000, interval: 20 });
  expect(before - oldSpace().physical_space_size).toBeGreaterThan(10 * 1024 * 1024);
  expect(kept).toHaveLength(133_334);
});

test('the idle collection drops the bytecode of what the start ran once (loading modules and units)', async () => {
  const fullCollections = majorCollections();
  // A function with about 100 KiB of bytecode, run once, as a module's body is.
  const body = Array.from({ length: 5000 }, (_, i) => `sum += (x + ${i}) * ${i % 7};`).join('\n');
  const once = new Function('x', `let sum = 0;\n${body}\nreturn sum;`) as (x: number) => number;
  expect(once(1)).toBeGreaterThan(0);
  const compiled = getHeapCodeStatistics().bytecode_and_metadata_size;

  const collector = collectWhenIdle(50, 0);
  onTestFinished(() => collector.stop());
  const since = performance.now();
  collector.busy();
  await vi.waitFor(() => expect(fullCollections.filter((t) => t >= since)).toHaveLength(1), { timeout: 10_000, interval: 20 });
  expect(compiled - getHeapCodeStatistics().bytecode_and_metadata_size).toBeGreaterThan(50 * 1024);
  // What runs again is compiled again.
  expect(once(1)).toBe(once(1));
});

test('bursts that follow each other closely (a service restarting every second) cost one collection per spacing, not one each', async () => {
  const fullCollections = majorCollections();
  const collector = collectWhenIdle(20, 1500);
  onTestFinished(() => collector.stop());
  const since = performance.now();
  collector.busy();
  await vi.waitFor(() => expect(fullCollections.filter((t) => t >= since)).toHaveLength(1), { timeout: 10_000, interval: 10 });
  const first = fullCollections.filter((t) => t >= since)[0]!;
  // The next burst is over at once; its collection waits until the spacing since the first has passed.
  collector.busy();
  await vi.waitFor(() => expect(fullCollections.filter((t) => t >= since)).toHaveLength(2), { timeout: 15_000, interval: 50 });
  expect(fullCollections.filter((t) => t >= since)[1]! - first).toBeGreaterThanOrEqual(1500);
});

test('the optimizing compiler waits for the start: a hot function stays unoptimized until the first idle collection', async () => {
  setFlagsFromString('--allow-natives-syntax');
  // V8's own report (runtime-test.cc's OptimizationStatus): bit 4 is "optimized".
  const optimized = new Function('f', 'return (%GetOptimizationStatus(f) & 16) !== 0') as (f: unknown) => boolean;
  const hot = (x: number) => x * 2 + 1;
  const run = () => {
    let sum = 0;
    for (let i = 0; i < 200_000; i++) sum += hot(i);
    return sum;
  };
  // Else the loop may be optimized first, with `hot` inlined into it: `hot` would then never be optimized itself.
  (new Function('f', '%NeverOptimizeFunction(f)') as (f: unknown) => void)(run);

  deferOptimizingCompiler();
  const collector = collectWhenIdle(50, 0);
  onTestFinished(() => collector.stop());
  collector.busy();
  for (let i = 0; i < 20; i++) run();
  expect(optimized(hot)).toBe(false);

  // Once the start is quiet, the collection turns the optimizing compiler back on (it compiles concurrently).
  await vi.waitFor(() => {
    run();
    expect(optimized(hot)).toBe(true);
  }, { timeout: 10_000, interval: 20 });
});
