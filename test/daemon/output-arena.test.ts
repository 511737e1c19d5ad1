// The event log's framing memory is reused only once what was framed into it was written.
import { expect, test } from 'vitest';
import { OutputArena, PAGE_BYTES } from '../../src/daemon/output-arena.js';

/** Four fit in a page, not five. */
const SLICE = (PAGE_BYTES * 15) / 64;

test('slices of one page do not overlap; a page is filled again only once all its slices were released', () => {
  const arena = new OutputArena();
  const a = arena.take(SLICE);
  const b = arena.take(SLICE);
  a.data.fill(1);
  b.data.fill(2);
  expect(a.data.buffer).toBe(b.data.buffer);
  expect(a.data.every((x) => x === 1)).toBe(true);
  // The page is full: the next slice comes from another page, and the first page is still being written.
  const c = arena.take(SLICE);
  const d = arena.take(SLICE);
  const e = arena.take(SLICE);
  expect(e.data.buffer).not.toBe(a.data.buffer);
  c.data.fill(3);
  e.data.fill(5);
  expect(a.data.every((x) => x === 1) && b.data.every((x) => x === 2)).toBe(true);
  a.release();
  b.release();
  c.release();
  d.release();
  // Released: the first page is reused once the current one is full.
  arena.take(SLICE);
  arena.take(SLICE);
  arena.take(SLICE);
  const reused = arena.take(SLICE);
  expect([a.data.buffer, e.data.buffer]).toContain(reused.data.buffer);
  expect(e.data.every((x) => x === 5)).toBe(true);
});

test('a page with nothing in flight is filled from its start again', () => {
  const arena = new OutputArena();
  const first = arena.take(1000);
  first.release();
  const again = arena.take(1000);
  expect(again.data.byteOffset).toBe(first.data.byteOffset);
});

test('a slice larger than half a page has memory of its own', () => {
  const arena = new OutputArena();
  const small = arena.take(100);
  const large = arena.take(PAGE_BYTES / 2 + 1);
  expect(large.data.length).toBe(PAGE_BYTES / 2 + 1);
  expect(large.data.buffer).not.toBe(small.data.buffer);
  large.release();
});
