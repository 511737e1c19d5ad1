// The in-memory journal is bounded in entries and in bytes: per unit, for all units together, and in
// the interleaved view; a quiet unit keeps its lines while another floods.
import { describe, expect, test } from 'vitest';
import { DEFAULT_JOURNAL_LIMITS, Journal, entryBytes } from '../../src/manager/journal.js';
import type { JournalEntry } from '../../src/protocol/events.js';
import { LINE_MAX } from '../../src/process/output.js';
import { ByteLines, outputBlock, textLines, type OutputBlock } from '../../src/protocol/output-block.js';

let clock = 0;
const output = (unit: string, line: string): JournalEntry => ({ kind: 'output', time: ++clock, unit, pid: 42, ident: 'sh', stream: 'stdout', line });

describe('Journal order', () => {
  test('several units\' entries come back in the order they were recorded, also within one millisecond', () => {
    const journal = new Journal();
    const at = (unit: string, line: string): JournalEntry => ({ kind: 'output', time: 1000, unit, pid: 42, ident: 'sh', stream: 'stdout', line });
    for (const [unit, line] of [['b.service', 'first'], ['a.service', 'second'], ['b.service', 'third']] as const) journal.record(at(unit, line));
    expect(journal.tail(['a.service', 'b.service'], -1).map((e) => (e.kind === 'output' ? e.line : ''))).toEqual(['first', 'second', 'third']);
    expect(journal.tail(['a.service', 'b.service'], 2).map((e) => (e.kind === 'output' ? e.line : ''))).toEqual(['second', 'third']);
  });
});

describe('Journal bounds', () => {
  test('a unit printing LineMax-long lines keeps at most bytesPerUnit, newest last', () => {
    const journal = new Journal();
    const long = 'x'.repeat(LINE_MAX);
    for (let i = 0; i < 1000; i++) journal.record(output('flood.service', `${i} ${long}`));
    const kept = journal.tail(['flood.service'], -1);
    const bytes = kept.reduce((sum, e) => sum + entryBytes(e), 0);
    expect(bytes).toBeLessThanOrEqual(DEFAULT_JOURNAL_LIMITS.bytesPerUnit);
    expect(bytes).toBeGreaterThan(DEFAULT_JOURNAL_LIMITS.bytesPerUnit - entryBytes(kept[0]!));
    expect(kept.at(-1)).toMatchObject({ line: expect.stringMatching(/^999 x/) });
    // The interleaved view is bounded too.
    const all = journal.tail([], -1);
    expect(all.reduce((sum, e) => sum + entryBytes(e), 0)).toBeLessThanOrEqual(DEFAULT_JOURNAL_LIMITS.globalBytes);
  });

  test('short lines are bounded by count, as before', () => {
    const journal = new Journal(1000, 5000);
    for (let i = 0; i < 20_000; i++) journal.record(output(`u${i % 3}.service`, `line ${i}`));
    expect(journal.tail(['u0.service'], -1)).toHaveLength(1000);
    expect(journal.tail([], -1)).toHaveLength(5000);
    expect(journal.tail(['u1.service'], 3).map((e) => (e.kind === 'output' ? e.line : ''))).toEqual(['line 19993', 'line 19996', 'line 19999']);
  });

  test('many flooding units together stay under bytesAllUnits; the quiet unit keeps its lines', () => {
    const journal = new Journal(1000, 5000, undefined, { bytesPerUnit: 64 * 1024, bytesAllUnits: 256 * 1024 });
    journal.record(output('quiet.service', 'I am here'));
    const line = 'y'.repeat(1000);
    for (let i = 0; i < 10_000; i++) journal.record(output(`flood${i % 20}.service`, line));
    expect(journal.bytesHeld).toBeLessThanOrEqual(256 * 1024);
    expect(journal.tail(['quiet.service'], -1)).toHaveLength(1);
    for (let u = 0; u < 20; u++) expect(journal.tail([`flood${u}.service`], -1).length).toBeGreaterThan(0);
  });

  test('tail of several units interleaves them by time and keeps the last N', () => {
    const journal = new Journal();
    for (let i = 0; i < 10; i++) journal.record(output(i % 2 ? 'b.service' : 'a.service', `${i}`));
    expect(journal.tail(['a.service', 'b.service'], 4).map((e) => (e.kind === 'output' ? e.line : ''))).toEqual(['6', '7', '8', '9']);
  });
});

describe('Journal of output blocks', () => {
  const block = (unit: string, first: number, count: number, time = 1): OutputBlock =>
    outputBlock({ time, unit, pid: 42, ident: 'sh', stream: 'stdout' }, textLines(Array.from({ length: count }, (_, i) => `${first + i}\n`).join(''), count));
  const linesOf = (entries: readonly JournalEntry[]) => entries.map((e) => (e.kind === 'output' ? e.line : e.msg));

  test('blocks are bounded by lines like single lines: the oldest block gives up its first lines', () => {
    const journal = new Journal(10, 25);
    journal.recordOutput(block('a.service', 0, 4));
    journal.recordOutput(block('a.service', 4, 4));
    journal.recordOutput(block('a.service', 8, 4));
    expect(linesOf(journal.tail(['a.service'], -1))).toEqual(['2', '3', '4', '5', '6', '7', '8', '9', '10', '11']);
    expect(linesOf(journal.tail(['a.service'], 3))).toEqual(['9', '10', '11']);
    // One block larger than the bound keeps its last lines.
    journal.recordOutput(block('a.service', 100, 30));
    expect(linesOf(journal.tail(['a.service'], -1))).toEqual(Array.from({ length: 10 }, (_, i) => String(120 + i)));
    expect(journal.tail([], -1)).toHaveLength(25);
  });

  test('blocks of bytes (as a pipe is read) are kept like the same lines as text, also when larger than a view', () => {
    const asBytes = new Journal(10, 25);
    const asText = new Journal(10, 25);
    for (const [first, count] of [[0, 4], [4, 30], [34, 3], [37, 12], [49, 100]] as const) {
      const text = block('a.service', first, count);
      asText.recordOutput(text);
      asBytes.recordOutput(outputBlock(text, new ByteLines(Buffer.from(text.text), count)));
      for (const units of [['a.service'], []]) expect(linesOf(asBytes.tail(units, -1))).toEqual(linesOf(asText.tail(units, -1)));
    }
    expect(linesOf(asBytes.tail(['a.service'], -1))).toEqual(Array.from({ length: 10 }, (_, i) => String(139 + i)));
  });

  test('the same lines recorded as one block or one by one are kept alike, interleaved with other units in order', () => {
    const asBlocks = new Journal(6, 100);
    const asLines = new Journal(6, 100);
    asBlocks.recordOutput(block('a.service', 0, 5));
    asBlocks.record({ kind: 'log', time: 1, level: 'info', msg: 'between', unit: 'b.service' });
    asBlocks.recordOutput(block('a.service', 5, 3));
    for (let i = 0; i < 5; i++) asLines.record(output('a.service', String(i)));
    asLines.record({ kind: 'log', time: 1, level: 'info', msg: 'between', unit: 'b.service' });
    for (let i = 5; i < 8; i++) asLines.record(output('a.service', String(i)));
    for (const units of [['a.service'], ['a.service', 'b.service'], []]) expect(linesOf(asBlocks.tail(units, -1))).toEqual(linesOf(asLines.tail(units, -1)));
    expect(linesOf(asBlocks.tail(['b.service', 'a.service'], 4))).toEqual(['between', '5', '6', '7']);
  });

  test('a flood of blocks stays under the byte bounds', () => {
    const journal = new Journal(1_000_000, 1_000_000, undefined, { bytesPerUnit: 64 * 1024, bytesAllUnits: 128 * 1024, globalBytes: 96 * 1024 });
    const long = 'y'.repeat(500);
    for (let i = 0; i < 200; i++) {
      journal.recordOutput(outputBlock({ time: i, unit: `u${i % 3}.service`, pid: 1, ident: 'sh', stream: 'stdout' }, textLines(`${long}\n`.repeat(50), 50)));
      expect(journal.bytesHeld).toBeLessThanOrEqual(128 * 1024);
    }
    const bytes = (entries: readonly JournalEntry[]) => entries.reduce((sum, e) => sum + entryBytes(e), 0);
    for (let u = 0; u < 3; u++) expect(bytes(journal.tail([`u${u}.service`], -1))).toBeLessThanOrEqual(64 * 1024 + 1000);
    expect(bytes(journal.tail([], -1))).toBeLessThanOrEqual(96 * 1024 + 1000);
    expect(journal.tail([], -1).length).toBeGreaterThan(0);
  });
});
