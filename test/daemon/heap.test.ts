// The daemon's heap after a burst of work: one full, compacting collection once all is quiet gives the
// burst's garbage back to the system, and nothing stays armed.
import { constants, PerformanceObserver, type PerformanceEntry } from 'node:perf_hooks';
import { getHeapSpaceStatistics } from 'node:v8';
import { expect, onTestFinished, test, vi } from 'vitest';
import { collectWhenIdle } from '../../src/daemon/heap.js';

const oldSpace = () => getHeapSpaceStatistics().find((space) => space.space_name === 'old_space')!;

test('a burst that left its garbage scattered over the old space: the pages come back once it is quiet, in one full collection', async () => {
  const fullCollections: number[] = [];
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) if ((entry as PerformanceEntry & { detail?: { kind?: number } }).detail?.kind === constants.NODE_PERFORMANCE_GC_MAJOR) fullCollections.push(entry.startTime);
  });
  observer.observe({ entryTypes: ['gc'] });
  onTestFinished(() => observer.disconnect());
  // Objects that live long enough to be promoted, then die: every third one stays, scattered over the pages.
  let burst: { n: number; text: string }[] = [];
  for (let i = 0; i < 400_000; i++) burst.push({ n: i, text: `object ${i}` });
  const kept = burst.filter((_, i) => i % 3 === 0);
  burst = [];
  const before = oldSpace().physical_space_size;

  const collector = collectWhenIdle(50);
  onTestFinished(() => collector.stop());
  const since = performance.now();
  // The work of the burst, event after event: one collection after the last of them.
  for (let i = 0; i < 1000; i++) collector.busy();
  await vi.waitFor(() => expect(fullCollections.filter((t) => t >= since)).toHaveLength(1), { timeout: 10_000, interval: 20 });
  expect(before - oldSpace().physical_space_size).toBeGreaterThan(10 * 1024 * 1024);
  expect(kept).toHaveLength(133_334);
});
