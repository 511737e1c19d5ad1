// A block of output lines formatted at once must give, line for line, what formatting each line alone gives.
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { blockEntries, blockLines, eachLineAfter, jsonEachLine, lineBlock, outputBlock, textLines, type Lines } from '../../src/protocol/output-block.js';

const jsonOneByOne = (lines: readonly string[], before: string, after: string) => lines.map((line) => `${before}${JSON.stringify(line)}${after}\n`).join('');
const blockOf = (lines: readonly string[]) => lines.map((line) => `${line}\n`).join('');

describe('jsonEachLine', () => {
  test.each([
    { name: 'plain lines (one replaceAll)', lines: ['hello', 'world', ''] },
    { name: 'a quote', lines: ['say "hi"', 'plain'] },
    { name: 'a backslash', lines: ['C:\\dir', 'plain'] },
    { name: 'a tab and a CR', lines: ['a\tb', 'crlf\r'] },
    { name: 'NUL, ESC and other controls', lines: ['\x00', '\x1b[31mred\x1b[0m', '\x7f\x80\x9f'] },
    { name: 'non-ASCII, U+2028 and U+FFFD', lines: ['é', 'line\u2028separator', '\ufffd'] },
    { name: 'a surrogate pair', lines: ['😀 emoji'] },
    { name: 'nothing', lines: [] },
  ])('$name: as JSON.stringify of each line', ({ lines }) => {
    const before = '{"unit":"a.service","msg":';
    expect(jsonEachLine(blockOf(lines), before, '}').join('')).toBe(jsonOneByOne(lines, before, '}'));
  });

  test('"$" patterns in the head are taken literally', () => {
    const before = '{"unit":"$&$1$$","msg":';
    expect(jsonEachLine('a\nb\n', before, '}').join('')).toBe(jsonOneByOne(['a', 'b'], before, '}'));
  });

  test('any lines: the same as one by one', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: fc.constantFrom('a', '"', '\\', '\t', '\x01', 'é', '\u2028', '$', '&', '\ud83d\ude00') })), (lines) => {
        expect(jsonEachLine(blockOf(lines), '{"msg":', '}').join('')).toBe(jsonOneByOne(lines, '{"msg":', '}'));
      }),
    );
  });
});

describe('eachLineAfter', () => {
  const plain = (text: string) => !/[\x00-\x08\x0b-\x1f]/.test(text);
  const instead = (line: string) => `[${line.length}]`;
  test.each([
    { name: 'plain lines', lines: ['a', '', 'b'], expected: 'H: a\nH: \nH: b\n' },
    { name: 'one line not plain: every line of the block is judged alone', lines: ['a', '\x1b', 'bc'], expected: 'H: [1]\nH: [1]\nH: [2]\n' },
    { name: 'nothing', lines: [], expected: '' },
  ])('$name', ({ lines, expected }) => {
    expect(eachLineAfter(blockOf(lines), 'H: ', plain, instead).join('')).toBe(expected);
  });

  test('"$" patterns in the head are taken literally', () => {
    expect(eachLineAfter('a\nb\n', "$'$`: ", plain, instead).join('')).toBe("$'$`: a\n$'$`: b\n");
  });
});

describe('blocks', () => {
  test.each([
    ['', []],
    ['\n', ['']],
    ['a\n\nb\n', ['a', '', 'b']],
    ['a\rb\r\n', ['a\rb\r']],
  ] as const)('%j holds %j', (text, lines) => {
    expect(blockLines(text)).toEqual(lines);
  });

  test('a unit output block reads its text only when asked, and splits into entries in the event stream\'s field order', () => {
    let reads = 0;
    const lines: Lines = {
      count: 2,
      get text() {
        reads++;
        return 'one\ntwo\n';
      },
      bytes: undefined,
    };
    const block = outputBlock({ time: 5, unit: 'a.service', pid: 7, ident: 'sh', stream: 'stderr' }, lines);
    expect(reads).toBe(0);
    const entries = blockEntries(block);
    expect(reads).toBe(1);
    expect(entries.map((e) => JSON.stringify(e))).toEqual([
      '{"kind":"output","time":5,"unit":"a.service","pid":7,"ident":"sh","stream":"stderr","line":"one"}',
      '{"kind":"output","time":5,"unit":"a.service","pid":7,"ident":"sh","stream":"stderr","line":"two"}',
    ]);
    expect(blockEntries(lineBlock(entries[1] as Extract<(typeof entries)[number], { kind: 'output' }>))).toEqual([entries[1]]);
    expect(textLines('x\n', 1)).toEqual({ count: 1, text: 'x\n', bytes: undefined });
  });
});
