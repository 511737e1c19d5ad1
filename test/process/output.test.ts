// output.ts: journald-style line splitting, bounded under a flood from a real process.
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, test } from 'vitest';
import { execa } from 'execa';
import fc from 'fast-check';
import { LINE_MAX, readBlocks, readLines } from '../../src/process/output.js';
import { loadNative } from '../../src/process/native.js';
import { blockLines, type Lines } from '../../src/protocol/output-block.js';
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
    { name: 'invalid UTF-8 reads as U+FFFD, line by line', chunks: [Buffer.from([0x61, 0xff, 0x0a, 0xc3, 0x0a, 0x62, 0x0a])], expected: ['a\ufffd', '\ufffd', 'b'] },
    { name: 'CRs stay in the line', chunks: ['a\r\nb\rc\n'], expected: ['a\r', 'b\rc'] },
    { name: 'a NUL in the chunk that ends a carried line', chunks: ['ab', 'c\0d\ne', 'f\n'], expected: ['abc', 'd', 'ef'] },
    { name: 'a chunk of many blocks keeps the line cut between them whole', chunks: [`${'x'.repeat(16383)}\n${'y'.repeat(20)}\n`.repeat(3)], expected: Array.from({ length: 3 }, () => ['x'.repeat(16383), 'y'.repeat(20)]).flat() },
    { name: 'a line longer than a block, shorter than the bound, stays whole', chunks: [`a\n${'z'.repeat(40000)}\nb\n`], expected: ['a', 'z'.repeat(40000), 'b'] },
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

// After the flood's memory bound is measured: these make garbage of their own.
describe('readLines, any input', () => {
  test('any bytes in any chunks: the lines of a byte-by-byte reading of journald\'s rules', async () => {
    // The rules one byte at a time: "\n" or NUL ends a line, a NUL ending nothing makes none, a line is cut at
    // the bound only when more bytes follow, and what is left at the end is the last line.
    const reference = (data: Buffer, max: number): string[] => {
      const lines: string[] = [];
      let line: number[] = [];
      for (const byte of data) {
        if (byte === 0x0a || byte === 0x00) {
          if (line.length > 0 || byte === 0x0a) lines.push(Buffer.from(line).toString('utf8'));
          line = [];
          continue;
        }
        if (line.length === max) {
          lines.push(Buffer.from(line).toString('utf8'));
          line = [];
        }
        line.push(byte);
      }
      if (line.length > 0) lines.push(Buffer.from(line).toString('utf8'));
      return lines;
    };
    const byte = fc.constantFrom(0x61, 0x0a, 0x0a, 0x00, 0x22, 0xc3, 0xa9, 0xff, 0x0d);
    await fc.assert(
      fc.asyncProperty(fc.array(byte, { maxLength: 200 }), fc.integer({ min: 1, max: 8 }), async (bytes, max) => {
        const data = Buffer.from(bytes);
        // The same bytes cut into chunks at a few places.
        const cuts = [0, Math.floor(data.length / 3), Math.floor(data.length / 2), data.length];
        const chunks = cuts.slice(1).map((end, i) => data.subarray(cuts[i], end));
        expect(await linesOf(chunks, max)).toEqual(reference(data, max));
      }),
      { numRuns: 300 },
    );
  });
});

describe('readBlocks', () => {
  async function blocksOf(chunks: readonly (string | Buffer)[]): Promise<Lines[]> {
    const stream = new PassThrough();
    const blocks: Lines[] = [];
    const reader = readBlocks(stream, (lines) => blocks.push(lines));
    for (const chunk of chunks) stream.write(chunk);
    stream.end();
    await reader.done;
    return blocks;
  }

  test('whole lines of one read are one block, held as the bytes read; the line cut at its end goes to the next block', async () => {
    const blocks = await blocksOf(['a\nbé\nc', 'd\n']);
    expect(blocks.map((b) => [b.count, b.text, b.bytes?.toString('utf8')])).toEqual([
      [2, 'a\nbé\n', 'a\nbé\n'],
      [1, 'cd\n', 'cd\n'],
    ]);
  });

  test('a block where a NUL ended a line, or a line was cut, is text only', async () => {
    const blocks = await blocksOf(['a\0b\n']);
    expect(blocks).toEqual([{ count: 2, text: 'a\nb\n', bytes: undefined }]);
    const cut = await new Promise<Lines[]>((done) => {
      const stream = new PassThrough();
      const seen: Lines[] = [];
      void readBlocks(stream, (lines) => seen.push(lines), 4).done.then(() => done(seen));
      stream.end('abcdef\n');
    });
    expect(cut).toEqual([{ count: 2, text: 'abcd\nef\n', bytes: undefined }]);
  });
});

describe('the native framing of a block', () => {
  const { frameLines, countLines } = loadNative();
  const unplainJson = (b: number) => (b < 0x20 && b !== 0x0a) || b === 0x22 || b === 0x5c || b >= 0x80;
  const unplainText = (b: number) => (b < 0x20 && b !== 0x0a && b !== 0x09) || b >= 0x7f;
  const before = Buffer.from('{"msg":"');
  const after = Buffer.from('"}\n');
  const newlines = (data: Buffer) => data.filter((b) => b === 0x0a).length;
  const framedSize = (data: Buffer) => data.length + newlines(data) * (before.length + after.length - 1);

  test('any lines: the bytes of framing each line alone, or nothing when a byte needs more than copying', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(0x61, 0x0a, 0x09, 0x22, 0x5c, 0x00, 0x1b, 0x7f, 0xc3, 0xa9), { maxLength: 600 }), fc.boolean(), (bytes, json) => {
        const data = Buffer.from([...bytes, 0x0a]);
        // A NUL ends a line too: then the lines are not the bytes as they are.
        expect(countLines(data)).toBe(data.includes(0x00) ? -1 : newlines(data));
        // Into reused memory: what was there before is overwritten, nothing after the framed bytes is touched.
        const target = Buffer.alloc(framedSize(data) + 1, 0x2a);
        const written = frameLines(data, newlines(data), before, after, json, target);
        if (data.some(json ? unplainJson : unplainText)) return void expect(written).toBe(-1);
        const lines = blockLines(data.toString('latin1'));
        expect(written).toBe(framedSize(data));
        expect(target.toString('latin1', 0, written)).toBe(lines.map((line) => `${before.toString()}${line}${after.toString()}`).join(''));
        expect(target.at(-1)).toBe(0x2a);
      }),
    );
  });

  test('runs of newlines longer than what one byte counts (the scan counts 255 bytes at a time)', () => {
    for (const size of [254, 255, 256, 510, 511, 4097]) {
      const data = Buffer.alloc(size, 0x0a);
      expect(countLines(data)).toBe(size);
      const target = Buffer.alloc(framedSize(data));
      expect(frameLines(data, size, before, after, true, target)).toBe(size * (before.length + after.length));
      expect(target.toString('latin1')).toBe(`${before.toString()}${after.toString()}`.repeat(size));
    }
  });

  test('where the last lines of a block begin, looked for back across runs of many bytes', () => {
    const { lastLinesStart } = loadNative();
    /** The reference: the start of the last `lines` lines of data's text. */
    const expected = (data: Buffer, lines: number) => {
      const all = blockLines(data.toString('latin1'));
      return lines === 0 ? data.length : all.slice(0, Math.max(0, all.length - lines)).reduce((at, line) => at + line.length + 1, 0);
    };
    fc.assert(
      fc.property(fc.array(fc.string({ maxLength: 3000, unit: fc.constantFrom('a', 'b', '\n') }), { maxLength: 30 }), fc.nat(40), (texts, lines) => {
        const data = Buffer.from(texts.map((text) => `${text}\n`).join(''), 'latin1');
        expect(lastLinesStart(data, lines)).toBe(expected(data, lines));
      }),
    );
    const flood = Buffer.from('0123456789\n'.repeat(10_000));
    expect(lastLinesStart(flood, 1000)).toBe(flood.length - 11_000);
    expect(lastLinesStart(flood, 10_000)).toBe(0);
    expect(lastLinesStart(flood, 20_000)).toBe(0);
  });

  test('bytes that do not end a line are not framed; a target too small is refused', () => {
    const target = Buffer.alloc(64);
    expect(frameLines(Buffer.from('a\nb'), 1, before, after, true, target)).toBe(-1);
    expect(frameLines(Buffer.alloc(0), 0, before, after, true, target)).toBe(-1);
    expect(() => frameLines(Buffer.from('abc\n'), 1, before, after, true, Buffer.alloc(5))).toThrow(RangeError);
  });

  test('a miscounted block is refused, and nothing is written past the target whatever the count says', () => {
    const data = Buffer.from('0123456789\n'.repeat(40));
    for (const lines of [0, 39, 41, 400, 401]) {
      const target = Buffer.alloc(framedSize(data) + 64, 0x2a);
      const within = target.subarray(0, Math.min(target.length, data.length + lines * (before.length + after.length - 1)));
      expect(() => frameLines(data, lines, before, after, true, within)).toThrow(RangeError);
      expect(target.subarray(within.length).every((b) => b === 0x2a)).toBe(true);
    }
  });
});
