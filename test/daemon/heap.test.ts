// The daemon's heap after a burst of work: once all is quiet, one collection at rest (V8's
// LowMemoryNotification, through the addon) gives the burst's garbage and the young generation's spare
// semi-space back to the system, and nothing stays armed; the optimizing compiler waits for that quiet.
import { getHeapCodeStatistics, getHeapSpaceStatistics, setFlagsFromString } from 'node:v8';
import { expect, onTestFinished, test, vi } from 'vitest';
import { collectWhenIdle, deferOptimizingCompiler, outputLogged, unitsLoaded } from '../../src/daemon/heap.js';
import { loadNative } from '../../src/process/native.js';

const space = (name: string) => getHeapSpaceStatistics().find((s) => s.space_name === name)!;

/** When each collection at rest ran (performance.now()); each still runs. */
function collectionsAtRest(): number[] {
  const native = loadNative();
  const notify = native.lowMemoryNotification;
  const times: number[] = [];
  const spy = vi.spyOn(native, 'lowMemoryNotification').mockImplementation(() => {
    times.push(performance.now());
    return notify();
  });
  onTestFinished(() => spy.mockRestore());
  return times;
}

test('a burst that left its garbage scattered over the old space: the pages come back once it is quiet, in one collection', async () => {
  const collections = collectionsAtRest();
  // Objects that live long enough to be promoted, then die: every third one stays, scattered over the pages.
  let burst: { n: number; text: string }[] = [];
  for (let i = 0; i < 400_000; i++) burst.push({ n: i, text: `object ${i}` });
  const kept = burst.filter((_, i) => i % 3 === 0);
  burst = [];
  const garbage = space('old_space').space_used_size;

  const collector = collectWhenIdle(50, 0);
  onTestFinished(() => collector.stop());
  // The work of the burst, event after event: one collection after the last of them.
  for (let i = 0; i < 1000; i++) collector.busy();
  await vi.waitFor(() => expect(collections).toHaveLength(1), { timeout: 10_000, interval: 20 });
  // Measured against what the collection found, not against the pages before it: V8 may have collected part
  // of the burst on its own already, a busy machine more often.
  const after = space('old_space');
  expect(garbage - after.space_used_size).toBeGreaterThan(5 * 1024 * 1024); // there was garbage to give back
  expect(after.physical_space_size - after.space_used_size).toBeLessThan(2 * 1024 * 1024); // and its pages went back with it
  expect(kept).toHaveLength(133_334);
});

test('the collection at rest gives back the young generation\'s second semi-space, which a full collection keeps', async () => {
  const collections = collectionsAtRest();
  // Young garbage enough for scavenges: both semi-spaces are in use after them.
  let young = 0;
  for (let i = 0; i < 200_000; i++) young += [i, `${i}`].length;
  expect(young).toBe(400_000);
  const before = space('new_space').physical_space_size;

  const collector = collectWhenIdle(50, 0);
  onTestFinished(() => collector.stop());
  collector.busy();
  await vi.waitFor(() => expect(collections).toHaveLength(1), { timeout: 10_000, interval: 20 });
  expect(space('new_space').physical_space_size).toBeLessThanOrEqual(before / 2);
});

test('the idle collection drops the bytecode of what the start ran once (loading modules and units)', async () => {
  const collections = collectionsAtRest();
  // A function with about 100 KiB of bytecode, run once, as a module's body is.
  const body = Array.from({ length: 5000 }, (_, i) => `sum += (x + ${i}) * ${i % 7};`).join('\n');
  const once = new Function('x', `let sum = 0;\n${body}\nreturn sum;`) as (x: number) => number;
  expect(once(1)).toBeGreaterThan(0);
  const compiled = getHeapCodeStatistics().bytecode_and_metadata_size;

  const collector = collectWhenIdle(50, 0);
  onTestFinished(() => collector.stop());
  collector.busy();
  await vi.waitFor(() => expect(collections).toHaveLength(1), { timeout: 10_000, interval: 20 });
  expect(compiled - getHeapCodeStatistics().bytecode_and_metadata_size).toBeGreaterThan(50 * 1024);
  // What runs again is compiled again.
  expect(once(1)).toBe(once(1));
});

test('bursts that follow each other closely (a service restarting every second) cost one collection per spacing, not one each', async () => {
  const collections = collectionsAtRest();
  const collector = collectWhenIdle(20, 1500);
  onTestFinished(() => collector.stop());
  collector.busy();
  await vi.waitFor(() => expect(collections).toHaveLength(1), { timeout: 10_000, interval: 10 });
  // The next burst is over at once; its collection waits until the spacing since the first has passed.
  collector.busy();
  await vi.waitFor(() => expect(collections).toHaveLength(2), { timeout: 15_000, interval: 50 });
  expect(collections[1]! - collections[0]!).toBeGreaterThanOrEqual(1500);
});

test('what the start runs often after the units are loaded keeps its baseline code at rest (the stop runs it again); what loading ran often does not', async () => {
  const collections = collectionsAtRest();
  setFlagsFromString('--allow-natives-syntax');
  // V8's own report (runtime-test.cc's OptimizationStatus): bit 15 is "baseline code", bit 18 "not compiled".
  const status = new Function('f', 'return %GetOptimizationStatus(f)') as (f: unknown) => number;
  const baseline = (f: unknown) => (status(f) & (1 << 15)) !== 0;
  const compiled = (f: unknown) => (status(f) & (1 << 18)) === 0;
  const often = (f: (x: number) => number) => {
    for (let i = 0; i < 200_000; i++) f(i);
  };
  deferOptimizingCompiler();
  onTestFinished(unitsLoaded);
  const parser = new Function('x', 'return x * 3 + 1') as (x: number) => number;
  often(parser);
  expect(baseline(parser)).toBe(false);
  unitsLoaded();
  const machine = new Function('x', 'return x * 3 + 2') as (x: number) => number;
  often(machine);
  expect(baseline(machine)).toBe(true);

  const collector = collectWhenIdle(50, 0);
  onTestFinished(() => collector.stop());
  collector.busy();
  await vi.waitFor(() => expect(collections).toHaveLength(1), { timeout: 10_000, interval: 20 });
  expect(baseline(machine)).toBe(true);
  expect(compiled(parser)).toBe(false);
});

let hotFunctions = 0;

/** A function the loop `run` makes hot, and whether V8 has optimized it yet. */
function hotFunction(): { run: () => void; optimized: () => boolean } {
  setFlagsFromString('--allow-natives-syntax');
  // V8's own report (runtime-test.cc's OptimizationStatus): bit 4 is "optimized".
  const status = new Function('f', 'return (%GetOptimizationStatus(f) & 16) !== 0') as (f: unknown) => boolean;
  // A source of its own: closures of one function literal share what V8 optimized for it.
  const hot = new Function('x', `return x * 2 + ${++hotFunctions}`) as (x: number) => number;
  const run = () => {
    let sum = 0;
    for (let i = 0; i < 200_000; i++) sum += hot(i);
    return sum;
  };
  // Else the loop may be optimized first, with `hot` inlined into it: `hot` would then never be optimized itself.
  (new Function('f', '%NeverOptimizeFunction(f)') as (f: unknown) => void)(run);
  return { run, optimized: () => status(hot) };
}

/** Resolves once the function is optimized (the compiler works concurrently); fails if it never is. */
async function optimizedSoon({ run, optimized }: ReturnType<typeof hotFunction>): Promise<void> {
  await vi.waitFor(() => {
    run();
    expect(optimized()).toBe(true);
  }, { timeout: 10_000, interval: 20 });
}

test('the optimizing compiler waits for the start: a hot function stays unoptimized until the first idle collection', async () => {
  const hot = hotFunction();
  deferOptimizingCompiler();
  onTestFinished(unitsLoaded);
  const collector = collectWhenIdle(50, 0);
  onTestFinished(() => collector.stop());
  collector.busy();
  for (let i = 0; i < 20; i++) hot.run();
  expect(hot.optimized()).toBe(false);
  // Once the start is quiet, the collection turns the optimizing compiler back on.
  await optimizedSoon(hot);
});

test('a flood of output does not wait for the start to be over: after 16 MiB of it a hot function is optimized', async () => {
  const hot = hotFunction();
  deferOptimizingCompiler();
  onTestFinished(unitsLoaded);
  outputLogged(15 * 1024 * 1024);
  for (let i = 0; i < 20; i++) hot.run();
  expect(hot.optimized()).toBe(false);
  outputLogged(1024 * 1024);
  await optimizedSoon(hot);
});
