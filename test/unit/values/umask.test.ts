import { describe, expect, test } from 'vitest';
import { formatUmask, parseUmask } from '../../../src/unit/values/umask.js';
import { expectSameAsSystemd, systemdShown } from '../../helpers/systemd.js';

// After systemd's test-parse-util.c (test_parse_mode).
const rows: [string, number | undefined][] = [
  ['0022', 0o022], ['022', 0o022], ['22', 0o022], ['0', 0], ['0777', 0o777], ['7777', 0o7777], ['07777', 0o7777],
  ['0027', 0o027], [' 0022', 0o022], ['17777', undefined], ['0022 ', undefined], ['-0', undefined], ['+0022', undefined],
  ['8', undefined], ['0x12', undefined], ['', undefined], ['abc', undefined], ['0o22', undefined],
];

describe('parseUmask', () => {
  test.each(rows)('%j -> %s', (input, expected) => {
    expect(parseUmask(input)).toBe(expected);
  });

  test('UMask=: what systemd 252 accepts, with the same value, and what it refuses', () => {
    const shown = systemdShown('UMask');
    expectSameAsSystemd([...shown.keys()], (input) => {
      const mode = parseUmask(input);
      return mode === undefined ? undefined : formatUmask(mode);
    }, (input) => shown.get(input));
  });
});

describe('formatUmask', () => {
  test.each([[0o022, '0022'], [0, '0000'], [0o7777, '7777'], [0o77, '0077']])('%d -> %s', (mode, s) => {
    expect(formatUmask(mode)).toBe(s);
  });
});
