import { describe, expect, test } from 'vitest';
import { formatBoolean, parseBoolean } from '../../../src/unit/values/boolean.js';
import { expectSameAsSystemd, systemdShown } from '../../helpers/systemd.js';

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

  test('RemainAfterExit=: what systemd 252 accepts, with the same value, and what it refuses', () => {
    const shown = systemdShown('RemainAfterExit');
    expectSameAsSystemd([...shown.keys()], (input) => {
      const b = parseBoolean(input);
      return b === undefined ? undefined : formatBoolean(b);
    }, (input) => shown.get(input));
  });
});

describe('formatBoolean', () => {
  test.each([[true, 'yes'], [false, 'no']] as const)('%s -> %s', (b, s) => {
    expect(formatBoolean(b)).toBe(s);
    expect(parseBoolean(formatBoolean(b))).toBe(b);
  });
});
