import { describe, expect, test } from 'vitest';
import { formatBoolean, parseBoolean } from '../../../src/unit/values/boolean.js';
import { hasSystemdAnalyze, systemdVerify } from '../helpers/systemd-verify.js';

// systemd's test-parse-util.c test_parse_boolean, plus case variants.
const rows: [string, boolean | undefined][] = [
  ['1', true], ['y', true], ['Y', true], ['yes', true], ['YES', true], ['true', true], ['TRUE', true], ['t', true],
  ['on', true], ['ON', true], ['On', true], ['0', false], ['n', false], ['N', false], ['no', false], ['NO', false],
  ['false', false], ['FALSE', false], ['f', false], ['off', false], ['OFF', false], ['garbage', undefined],
  ['', undefined], ['2', undefined], ['-1', undefined], [' yes', undefined], ['yes ', undefined], ['enable', undefined],
  ['nope', undefined], ['01', undefined],
];

describe('parseBoolean', () => {
  test.each(rows)('%j -> %s', (input, expected) => {
    expect(parseBoolean(input)).toBe(expected);
  });

  test.runIf(hasSystemdAnalyze).each(rows.filter(([s]) => s.trim() === s && s !== ''))('%j: systemd-analyze verify agrees', (input, expected) => {
    const lines = systemdVerify('a.service', `[Service]\nExecStart=/bin/true\nRemainAfterExit=${input}\n`);
    expect(lines).toEqual(expected === undefined ? [`a.service:3: Failed to parse boolean value, ignoring: ${input}`] : []);
  });
});

describe('formatBoolean', () => {
  test.each([[true, 'yes'], [false, 'no']] as const)('%s -> %s', (b, s) => {
    expect(formatBoolean(b)).toBe(s);
    expect(parseBoolean(formatBoolean(b))).toBe(b);
  });
});
