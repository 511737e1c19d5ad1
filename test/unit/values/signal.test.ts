import { describe, expect, test } from 'vitest';
import { parseSignal, SIGNALS, signalName, signalToString } from '../../../src/unit/values/signal.js';
import { expectSameAsSystemd, systemdShown } from '../../helpers/systemd.js';
import { constants } from 'node:os';

// After systemd's test-signal-util.c (test_signal_from_string).
const rows: [string, number | undefined][] = [
  ['SIGHUP', 1], ['HUP', 1], ['1', 1], ['SIGKILL', 9], ['KILL', 9], ['9', 9], ['SIGTERM', 15], ['TERM', 15], ['15', 15],
  ['SIGUSR1', 10], ['USR2', 12], ['CHLD', 17], ['SIGCONT', 18], ['SIGWINCH', 28], ['IO', 29], ['PWR', 30], ['SYS', 31],
  ['RTMIN', 34], ['SIGRTMIN', 34], ['RTMIN+0', 34], ['RTMIN+3', 37], ['SIGRTMIN+3', 37], ['RTMIN+30', 64], ['RTMIN+31', undefined],
  ['RTMAX', 64], ['SIGRTMAX', 64], ['RTMAX-0', 64], ['RTMAX-4', 60], ['RTMAX-30', 34], ['RTMAX-31', undefined],
  ['RTMIN-1', undefined], ['RTMAX+1', undefined], ['RTMINx', undefined], ['32', 32], ['64', 64], ['65', undefined],
  ['0', undefined], ['-1', undefined], ['', undefined], ['sigterm', undefined], ['term', undefined], ['SIG', undefined],
  ['SIGSIGTERM', undefined], ['POLL', undefined], ['IOT', undefined], ['SIGFOO', undefined], [' 15', undefined],
  ['toString', undefined], ['constructor', undefined],
];

describe('parseSignal', () => {
  test.each(rows)('%j -> %s', (input, expected) => {
    expect(parseSignal(input)).toBe(expected);
  });

  test('KillSignal=: what systemd 252 accepts, as the same number, and what it refuses', () => {
    const shown = systemdShown('KillSignal');
    expectSameAsSystemd([...shown.keys()], (input) => parseSignal(input)?.toString(), (input) => shown.get(input));
  });
});

describe('signalName', () => {
  test.each<[number, string | undefined]>([
    [1, 'HUP'], [2, 'INT'], [6, 'ABRT'], [9, 'KILL'], [15, 'TERM'], [17, 'CHLD'], [31, 'SYS'], [32, undefined],
    [33, undefined], [34, 'RTMIN+0'], [36, 'RTMIN+2'], [64, 'RTMIN+30'], [0, undefined], [65, undefined],
  ])('%d -> %s', (n, name) => {
    expect(signalName(n)).toBe(name);
  });

  test('signalToString falls back to the number', () => {
    expect(signalToString(15)).toBe('TERM');
    expect(signalToString(0)).toBe('0');
    expect(signalToString(32)).toBe('32');
  });

  test.each(Object.entries(SIGNALS))('SIG%s is %d on this Linux too', (name, n) => {
    const native = (constants.signals as Record<string, number>)[`SIG${name}`];
    expect(native).toBe(n);
  });

  test.each(Object.entries(SIGNALS))('%s round-trips', (name, n) => {
    expect(signalName(n)).toBe(name);
    expect(parseSignal(`SIG${name}`)).toBe(n);
  });
});
