// Zone abbreviations as glibc's __tzfile_compute() picks them: the footer's POSIX TZ rule, the time types, and the
// tz database's own files (the calendar property test compares whole outputs with systemd-analyze under several TZ).
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { abbreviationAt, parsePosixTz, parseTzif, type ZoneNames } from '../../src/common/tzif.js';

describe('POSIX TZ rules (the footer of a version 2+ file)', () => {
  test.each([
    ['CET-1CEST,M3.5.0,M10.5.0/3', { std: { name: 'CET', offsetSec: 3600 }, dst: { name: 'CEST', offsetSec: 7200 } }],
    ['EST5EDT,M3.2.0,M11.1.0', { std: { name: 'EST', offsetSec: -18000 }, dst: { name: 'EDT', offsetSec: -14400 } }],
    ['<-03>3', { std: { name: '-03', offsetSec: -10800 }, dst: undefined }],
    ['IST-5:30', { std: { name: 'IST', offsetSec: 19800 }, dst: undefined }],
    ['<+1030>-10:30<+11>-11,M10.1.0,M4.1.0', { std: { name: '+1030', offsetSec: 37800 }, dst: { name: '+11', offsetSec: 39600 } }],
    ['UTC0', { std: { name: 'UTC', offsetSec: 0 }, dst: undefined }],
  ])('%s', (text, rule) => expect(parsePosixTz(text)).toEqual(rule));

  test.each(['', 'X1', '<unclosed3'])('%j is no rule', (text) => expect(parsePosixTz(text)).toBeUndefined());
});

describe('the abbreviation at an instant', () => {
  const zone: ZoneNames = {
    transitions: [100, 200],
    typeOf: [1, 2],
    types: [
      { isDst: true, abbreviation: 'LDT' },
      { isDst: false, abbreviation: 'LMT' },
      { isDst: false, abbreviation: 'AST' },
    ],
    rule: parsePosixTz('AST4ADT,M3.2.0,M11.1.0'),
  };
  test.each([
    [50, 0, 'LMT'], // before the first transition: the first standard time type
    [150, 0, 'LMT'],
    [199, 0, 'LMT'],
    [250, -4 * 3600, 'AST'], // after the last: the rule, by the offset in force
    [250, -3 * 3600, 'ADT'],
  ])('t=%d offset=%d → %s', (t, offset, name) => expect(abbreviationAt(zone, t, offset)).toBe(name));

  test('not a zone file', () => expect(parseTzif(Buffer.from('not a zone file at all, but long enough to have a header'))).toBeUndefined());
});

const BERLIN = '/usr/share/zoneinfo/Europe/Berlin';
describe.skipIf(!existsSync(BERLIN))("the tz database's Europe/Berlin", () => {
  const berlin = parseTzif(readFileSync(BERLIN))!;
  test.each([
    ['2024-01-15T12:00:00Z', 3600, 'CET'],
    ['2024-07-15T12:00:00Z', 7200, 'CEST'],
    ['1945-06-01T12:00:00Z', 10800, 'CEMT'], // Midsummer Time, from the transition table
    ['2100-07-01T12:00:00Z', 7200, 'CEST'], // past the last transition: the footer rule
  ])('%s (offset %d) → %s', (iso, offset, name) => expect(abbreviationAt(berlin, Date.parse(iso) / 1000, offset)).toBe(name));
});
