// output.ts: journald-style line splitting, bounded under a flood from a real process.
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, test } from 'vitest';
import { execa } from 'execa';
import { LINE_MAX, readLines } from '../../src/process/output.js';
import { expectNoLeakedProcesses } from '../helpers/processes.js';
import { bin } from '../helpers/use-tmp-units.js';


async function linesOf(chunks: readonly (string | Buffer)[], maxBytes?: number): Promise<string[]> {
  const stream = new PassThrough();
  const lines: string[] = [];
  const reader = readLines(stream, (line) => lines.push(line), maxBytes);
  for (const chunk of chunks) stream.write(chunk);
  stream.end();
  await reader.done;
  return lines;
}

afterEach(expectNoLeakedProcesses);

describe('readLines', () => {
  test.each([
    { name: 'newline-terminated lines', chunks: ['a\nb\n'], expected: ['a', 'b'] },
    { name: 'a line split across chunks', chunks: ['hel', 'lo\nwor', 'ld\n'], expected: ['hello', 'world'] },
    { name: 'a final line without newline (EOF ends it)', chunks: ['a\nlast'], expected: ['a', 'last'] },
    { name: 'NUL ends a line like journald', chunks: ['a\0b\n'], expected: ['a', 'b'] },
    { name: 'empty lines are kept', chunks: ['\n\nx\n'], expected: ['', '', 'x'] },
    { name: 'a NUL that ends nothing makes no record', chunks: ['\0\0a\0\0\0b\n\0', '\0'], expected: ['a', 'b'] },
    { name: '1 MiB of zeros makes no record at all', chunks: [Buffer.alloc(1024 * 1024), 'after\n'], expected: ['after'] },
    { name: 'a line cut at the bound continues across chunks', chunks: ['abc', 'defg', 'hij'], max: 4, expected: ['abcd', 'efgh', 'ij'] },
    { name: 'a NUL right after a cut piece ends nothing more', chunks: ['abcd\0e'], max: 4, expected: ['abcd', 'e'] },
    { name: 'nothing at all', chunks: [], expected: [] },
    { name: 'a long line is cut at the bound', chunks: ['abcdefghij\n'], max: 4, expected: ['abcd', 'efgh', 'ij'] },
    { name: 'exactly the bound plus newline is one line', chunks: ['abcd', '\nx\n'], max: 4, expected: ['abcd', 'x'] },
    { name: 'multi-byte UTF-8 split across chunks', chunks: [Buffer.from([0xc3]), Buffer.from([0xa9, 0x0a])], expected: ['é'] },
  ])('$name', async ({ chunks, max, expected }) => {
    expect(await linesOf(chunks, max)).toEqual(expected);
  });

  test('the default bound is journald LineMax= (48K)', () => {
    expect(LINE_MAX).toBe(49152);
  });
});

describe('a flooding child', () => {
  test('64 MiB without a newline arrive as LINE_MAX pieces while memory stays bounded', async () => {
    const total = 64 * 1024 * 1024;
    const child = execa('node', [bin('flood-stdout'), String(total), '0'], { buffer: false, stdin: 'ignore' });
    let bytes = 0;
    let longest = 0;
    let count = 0;
    const heapBefore = process.memoryUsage().rss;
    let peakRss = heapBefore;
    const reader = readLines(child.stdout, (line) => {
      bytes += line.length;
      longest = Math.max(longest, line.length);
      if (++count % 64 === 0) peakRss = Math.max(peakRss, process.memoryUsage().rss);
    });
    await reader.done;
    await child;
    expect(bytes).toBe(total);
    expect(longest).toBe(LINE_MAX);
    expect(count).toBe(Math.ceil(total / LINE_MAX));
    // Holding the flood would cost 64 MiB (and 128 MiB as UTF-16); reading it costs a few pipe buffers.
    expect(peakRss - heapBefore).toBeLessThan(48 * 1024 * 1024);
  });

  test('short lines are delivered one by one, in order, none lost', async () => {
    const child = execa('node', [bin('flood-stdout'), String(1_000_000), '100'], { buffer: false, stdin: 'ignore' });
    const lines: string[] = [];
    await readLines(child.stdout, (line) => lines.push(line)).done;
    await child;
    expect(lines).toHaveLength(10_000);
    expect(new Set(lines)).toEqual(new Set(['x'.repeat(99)]));
  });
});
