import { describe, expect, test } from 'vitest';
import { formatUmask, parseUmask } from '../../../src/unit/values/umask.js';
import { hasSystemdAnalyze, systemdVerify } from '../helpers/systemd-verify.js';

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

  test.runIf(hasSystemdAnalyze).each(rows.filter(([s]) => s !== '' && s.trim() === s))('UMask=%j: systemd-analyze verify agrees', (input, expected) => {
    const lines = systemdVerify('a.service', `[Service]\nExecStart=/bin/true\nUMask=${input}\n`);
    expect(lines).toEqual(expected === undefined ? [`a.service:3: Failed to parse mode value, ignoring: ${input}`] : []);
  });
});

describe('formatUmask', () => {
  test.each([[0o022, '0022'], [0, '0000'], [0o7777, '7777'], [0o77, '0077']])('%d -> %s', (mode, s) => {
    expect(formatUmask(mode)).toBe(s);
  });
});
