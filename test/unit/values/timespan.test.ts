import { describe, expect, test } from 'vitest';
import { USEC_INFINITY } from '../../../src/common/clock.js';
import { formatTimespan, parseTimespan } from '../../../src/unit/values/timespan.js';
import { expectSameAsSystemd, systemdTimespan, systemdTool } from '../../helpers/systemd.js';

const SEC = 1_000_000;
const MIN = 60 * SEC;
const hasSystemdAnalyze = systemdTool('systemd-analyze');

// Rows from systemd's test-time-util.c (test_parse_sec) and systemd.time(7), plus odd spellings.
const parseRows: [string, number | undefined][] = [
  ['5s', 5 * SEC], ['5s500ms', 5.5 * SEC], [' 5s 500ms  ', 5.5 * SEC], [' 5.5s  ', 5.5 * SEC],
  [' 5.5s 0.5ms ', 5 * SEC + 500_500], [' .22s ', 220_000], [' .50y ', 15_778_800 * SEC], ['2.5', 2.5 * SEC],
  ['.7', 700_000], ['23us', 23], ['23μs', 23], ['23µs', 23], ['23usec', 23], ['1h30m', 90 * MIN],
  ['1h 30min', 90 * MIN], ['5min 20s', 320 * SEC], ['100ms', 100_000], ['100 ms', 100_000], ['3 min', 3 * MIN],
  ['2 minutes', 2 * MIN], ['1 minute', MIN], ['2 seconds', 2 * SEC], ['1second', SEC], ['2sec', 2 * SEC],
  ['1M', 2_629_800 * SEC], ['2 months', 2 * 2_629_800 * SEC], ['1 month', 2_629_800 * SEC], ['1y', 31_557_600 * SEC],
  ['2 years', 2 * 31_557_600 * SEC], ['1year', 31_557_600 * SEC], ['1w', 7 * 24 * 60 * MIN], ['2weeks', 14 * 24 * 60 * MIN],
  ['1week', 7 * 24 * 60 * MIN], ['1d', 24 * 60 * MIN], ['2 days', 48 * 60 * MIN], ['1day', 24 * 60 * MIN],
  ['1h', 60 * MIN], ['2hours', 120 * MIN], ['1hour', 60 * MIN], ['3hr', 180 * MIN], ['2msec', 2000], ['0', 0],
  ['0s', 0], ['5 6', 11 * SEC], ['12.34 .56', 12.9 * SEC], ['12.34s.56', 12.9 * SEC], ['1.5h', 90 * MIN],
  ['1.1111111111111111111111y', 35_063_999_999_997], ['infinity', USEC_INFINITY], [' infinity ', USEC_INFINITY],
  ['+5s', 5 * SEC], ['3.0s', 3 * SEC], ['3.10s', 3.1 * SEC],
  ['', undefined], [' ', undefined], ['-5s', undefined], ['-0', undefined], [' -0 ', undefined], ['3.', undefined],
  ['3.sec', undefined], ['3. 1', undefined], ['0.-0', undefined], ['3.+1', undefined], ['12.34.56', undefined],
  ['5mins', undefined], ['5 hoge', undefined], ['hoge', undefined], ['infinityx', undefined], ['infinity 5s', undefined],
  ['5 infinity', undefined], ['1S', undefined], ['1H', undefined], ['1 MIN', undefined], ['.', undefined],
  ['+.5s', undefined], ['99999999999999999999s', undefined], ['584541y', 584541 * 31_557_600 * SEC], ['584542y', undefined],
  ['18446744073709551614us', undefined], ['9300000000000000000us', undefined], ['9007199254740993us', 9007199254740993],
  ['1e3s', undefined], ['0x10s', undefined], ['5s-', undefined], ['1 M', 2_629_800 * SEC], ['1min30', 90 * SEC],
  ['1min 30', 90 * SEC], ['30 1min', 90 * SEC], ['1h-5m', undefined], ['5s,3s', undefined], ['\t5s\n', 5 * SEC],
];

describe('parseTimespan', () => {
  test.each(parseRows)('%j -> %s', (input, expected) => {
    expect(parseTimespan(input)).toBe(expected);
  });

  test.each([
    ['100', 1000, 100_000],
    ['100', 1, 100],
    ['100s', 1000, 100 * SEC],
    ['1.5', 1000, 1500],
  ])('bare %j with default unit %d -> %d', (input, unit, expected) => {
    expect(parseTimespan(input, unit)).toBe(expected);
  });

  test.runIf(hasSystemdAnalyze)('every row parses as systemd-analyze timespan does, refusals included', () => {
    const usec = (n: number | undefined) => (n === undefined ? undefined : n === USEC_INFINITY ? 'infinity' : String(n));
    expectSameAsSystemd(
      parseRows.map(([s]) => s).filter((s) => s.trim() !== ''),
      (input) => usec(parseTimespan(input)),
      (input) => {
        const ref = systemdTimespan(input)?.usec;
        // Usec is a double: systemd's 64-bit value compares as the nearest double.
        return ref === undefined ? undefined : ref === '18446744073709551615' ? 'infinity' : String(Number(ref));
      },
    );
  }, 120_000);
});

const formatRows: [number, string][] = [
  [0, '0'], [1, '1us'], [999, '999us'], [1000, '1ms'], [1001, '1.001ms'], [100_000, '100ms'], [1_500_000, '1.500000s'],
  [SEC, '1s'], [320 * SEC, '5min 20s'], [90 * SEC, '1min 30s'], [90 * MIN, '1h 30min'], [60 * MIN + 1, '1h 1us'],
  [59 * SEC + 999_999, '59.999999s'], [61 * SEC + 500_000, '1min 1.500000s'], [24 * 60 * MIN, '1d'],
  [7 * 24 * 60 * MIN, '1w'], [2_629_800 * SEC, '1month'], [31_557_600 * SEC, '1y'], [31_557_600 * SEC + 2_629_800 * SEC + SEC, '1y 1month 1s'],
  [USEC_INFINITY, 'infinity'], [10 * MIN, '10min'], [200 * 1000, '200ms'], [5 * SEC, '5s'], [2 * 3600 * SEC + 3 * SEC, '2h 3s'],
];

describe('formatTimespan', () => {
  test.each(formatRows)('%d -> %j', (usec, expected) => {
    expect(formatTimespan(usec)).toBe(expected);
  });

  test.each([
    [1_500_000, SEC, '1s'],
    [1_500_000, 1000, '1.500s'],
    [90 * SEC + 123_456, SEC, '1min 30s'],
    [61 * SEC + 500_000, 1000, '1min 1.500s'],
    [123_456, 1000, '123ms'],
  ])('%d with accuracy %d -> %j', (usec, accuracy, expected) => {
    expect(formatTimespan(usec, accuracy)).toBe(expected);
  });

  test.runIf(hasSystemdAnalyze)('every row prints as systemd-analyze timespan does', () => {
    expectSameAsSystemd(
      formatRows.map(([u]) => u).filter(Number.isFinite).map(String),
      (usec) => formatTimespan(Number(usec)),
      (usec) => systemdTimespan(`${usec}us`)?.human,
    );
  }, 120_000);

  test.each(formatRows.filter(([u]) => u > 0))('%d round-trips through parseTimespan', (usec) => {
    expect(parseTimespan(formatTimespan(usec))).toBe(usec);
  });
});
