// systemd.time(7)'s own table of calendar events and their normalized forms, and the expressions it refuses.
import { describe, expect, test } from 'vitest';
import { formatCalendar, parseCalendar } from '../../../src/unit/values/calendar.js';
import { nextElapse } from '../../../src/unit/values/calendar-next.js';

const MAN_PAGE_EXAMPLES: readonly (readonly [string, string])[] = [
  ['minutely', '*-*-* *:*:00'],
  ['hourly', '*-*-* *:00:00'],
  ['daily', '*-*-* 00:00:00'],
  ['monthly', '*-*-01 00:00:00'],
  ['weekly', 'Mon *-*-* 00:00:00'],
  ['yearly', '*-01-01 00:00:00'],
  ['quarterly', '*-01,04,07,10-01 00:00:00'],
  ['semiannually', '*-01,07-01 00:00:00'],
  ['Sat,Thu,Mon..Wed,Sat..Sun', 'Mon..Thu,Sat,Sun *-*-* 00:00:00'],
  ['Mon,Sun 12-*-* 2,1:23', 'Mon,Sun 2012-*-* 01,02:23:00'],
  ['Wed *-1', 'Wed *-*-01 00:00:00'],
  ['Wed..Wed,Wed *-1', 'Wed *-*-01 00:00:00'],
  ['Wed, 17:48', 'Wed *-*-* 17:48:00'],
  ['Wed..Sat,Tue 12-10-15 1:2:3', 'Tue..Sat 2012-10-15 01:02:03'],
  ['*-*-7 0:0:0', '*-*-07 00:00:00'],
  ['10-15', '*-10-15 00:00:00'],
  ['monday *-12-* 17:00', 'Mon *-12-* 17:00:00'],
  ['Mon,Fri *-*-3,1,2 *:30:45', 'Mon,Fri *-*-01,02,03 *:30:45'],
  ['12,14,13,12:20,10,30', '*-*-* 12,13,14:10,20,30:00'],
  ['12..14:10,20,30', '*-*-* 12..14:10,20,30:00'],
  ['mon,fri *-1/2-1,3 *:30:45', 'Mon,Fri *-01/2-01,03 *:30:45'],
  ['03-05 08:05:40', '*-03-05 08:05:40'],
  ['08:05:40', '*-*-* 08:05:40'],
  ['05:40', '*-*-* 05:40:00'],
  ['Sat,Sun 12-05 08:05:40', 'Sat,Sun *-12-05 08:05:40'],
  ['Sat,Sun 08:05:40', 'Sat,Sun *-*-* 08:05:40'],
  ['2003-03-05 05:40', '2003-03-05 05:40:00'],
  ['05:40:23.4200004/3.1700005', '*-*-* 05:40:23.420000/3.170001'],
  ['2003-02..04-05', '2003-02..04-05 00:00:00'],
  ['2003-03-05 05:40 UTC', '2003-03-05 05:40:00 UTC'],
  ['2003-03-05', '2003-03-05 00:00:00'],
  ['03-05', '*-03-05 00:00:00'],
  ['hourly', '*-*-* *:00:00'],
  ['daily', '*-*-* 00:00:00'],
  ['daily UTC', '*-*-* 00:00:00 UTC'],
  ['monthly', '*-*-01 00:00:00'],
  ['weekly', 'Mon *-*-* 00:00:00'],
  ['weekly Pacific/Auckland', 'Mon *-*-* 00:00:00 Pacific/Auckland'],
  ['yearly', '*-01-01 00:00:00'],
  ['annually', '*-01-01 00:00:00'],
  ['*:2/3', '*-*-* *:02/3:00'],
];

describe('normalized forms (systemd.time(7) examples)', () => {
  test.each(MAN_PAGE_EXAMPLES)('%s → %s', (input, normalized) => {
    const parsed = parseCalendar(input);
    expect(parsed.ok && formatCalendar(parsed.value)).toBe(normalized);
  });
});

describe('refused expressions', () => {
  test.each([
    '', 'bad', 'Mon..', 'Mon.', '*-*~05..01', '*:59/1', '24:00', '*-*-* 12:00:00:00', '12:00 europe/berlin', '12:00 +05:00',
    '  12:00', '12:00 ', '*-*~27,20', '*/2:00', '2200-01-01', '1969-12-31', 'Mondays', '1.5:00',
  ])('%j', (input) => {
    expect(parseCalendar(input)).toEqual({ ok: false, error: 'Invalid argument' });
  });
  test.each(['*-02-30/0', '*:0/0', '99999999999:00', '@99999999999999999999'])('%j is out of range', (input) => {
    expect(parseCalendar(input)).toEqual({ ok: false, error: 'Numerical result out of range' });
  });
});

describe('next elapse', () => {
  const at = (iso: string) => Date.parse(iso) * 1000;
  const next = (expr: string, after: string): string | undefined => {
    const parsed = parseCalendar(expr);
    if (!parsed.ok) throw new Error(expr);
    const usec = nextElapse(parsed.value, at(after));
    return usec === undefined ? undefined : new Date(usec / 1000).toISOString();
  };
  test.each([
    ['daily UTC', '2026-12-06T20:00:00Z', '2026-12-07T00:00:00.000Z'],
    ['*-*~01 UTC', '2024-02-10T00:00:00Z', '2024-02-29T00:00:00.000Z'],
    ['*-*~03/2 UTC', '2026-12-06T00:00:00Z', '2026-12-29T00:00:00.000Z'],
    ['Fri *-*-13 UTC', '2026-01-01T00:00:00Z', '2026-02-13T00:00:00.000Z'],
    ['*:*:0/0.25 UTC', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00.250Z'],
    // 02:30 does not exist in Berlin on 2024-03-31: systemd skips that day.
    ['*-*-* 02:30 Europe/Berlin', '2024-03-30T12:00:00Z', '2024-04-01T00:30:00.000Z'],
    ['12:00 Asia/Kathmandu', '2026-01-01T00:00:00Z', '2026-01-01T06:15:00.000Z'],
  ])('%s after %s: %s', (expr, after, expected) => {
    expect(next(expr, after)).toBe(expected);
  });
  test.each([['2023-02-29 UTC'], ['*-02-30 UTC'], ['2020-01-01 UTC']])('%s never elapses after 2024', (expr) => {
    expect(next(expr, '2024-01-01T00:00:00Z')).toBeUndefined();
  });
});
