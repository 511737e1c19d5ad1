import { describe, expect, test } from 'vitest';
import {
  exitStatusName,
  formatExitStatus,
  formatExitStatusForLog,
  parseExitStatus,
  parseExitStatusSet,
} from '../../../src/unit/values/exit-status.js';
import { systemdTool, systemdVerify } from '../../helpers/systemd.js';

const hasSystemdAnalyze = systemdTool('systemd-analyze');

// systemd 252 exit-status.c, checked against systemd.exec(5) "Process Exit Codes".
const names: [number, string | undefined][] = [
  [0, 'SUCCESS'], [1, 'FAILURE'], [2, 'INVALIDARGUMENT'], [3, 'NOTIMPLEMENTED'], [4, 'NOPERMISSION'], [5, 'NOTINSTALLED'],
  [6, 'NOTCONFIGURED'], [7, 'NOTRUNNING'], [8, undefined], [63, undefined], [64, 'USAGE'], [65, 'DATAERR'], [66, 'NOINPUT'],
  [67, 'NOUSER'], [68, 'NOHOST'], [69, 'UNAVAILABLE'], [70, 'SOFTWARE'], [71, 'OSERR'], [72, 'OSFILE'], [73, 'CANTCREAT'],
  [74, 'IOERR'], [75, 'TEMPFAIL'], [76, 'PROTOCOL'], [77, 'NOPERM'], [78, 'CONFIG'], [79, undefined], [199, undefined],
  [200, 'CHDIR'], [201, 'NICE'], [202, 'FDS'], [203, 'EXEC'], [204, 'MEMORY'], [205, 'LIMITS'], [206, 'OOM_ADJUST'],
  [207, 'SIGNAL_MASK'], [208, 'STDIN'], [209, 'STDOUT'], [210, 'CHROOT'], [211, 'IOPRIO'], [212, 'TIMERSLACK'],
  [213, 'SECUREBITS'], [214, 'SETSCHEDULER'], [215, 'CPUAFFINITY'], [216, 'GROUP'], [217, 'USER'], [218, 'CAPABILITIES'],
  [219, 'CGROUP'], [220, 'SETSID'], [221, 'CONFIRM'], [222, 'STDERR'], [223, undefined], [224, 'PAM'], [225, 'NETWORK'],
  [226, 'NAMESPACE'], [227, 'NO_NEW_PRIVILEGES'], [228, 'SECCOMP'], [229, 'SELINUX_CONTEXT'], [230, 'PERSONALITY'],
  [231, 'APPARMOR'], [232, 'ADDRESS_FAMILIES'], [233, 'RUNTIME_DIRECTORY'], [234, undefined], [235, 'CHOWN'],
  [236, 'SMACK_PROCESS_LABEL'], [237, 'KEYRING'], [238, 'STATE_DIRECTORY'], [239, 'CACHE_DIRECTORY'], [240, 'LOGS_DIRECTORY'],
  [241, 'CONFIGURATION_DIRECTORY'], [242, 'NUMA_POLICY'], [243, 'CREDENTIALS'], [244, undefined], [245, 'BPF'],
  [246, undefined], [254, undefined], [255, 'EXCEPTION'],
];

describe('exitStatusName', () => {
  test.each(names)('%d -> %s', (n, name) => {
    expect(exitStatusName(n)).toBe(name);
  });

  test('classes narrow the table as systemctl status does (libc + systemd only)', () => {
    expect(exitStatusName(3, ['libc', 'systemd'])).toBeUndefined();
    expect(exitStatusName(203, ['libc', 'systemd'])).toBe('EXEC');
    expect(exitStatusName(1, ['libc', 'systemd'])).toBe('FAILURE');
    expect(exitStatusName(78, ['libc', 'systemd'])).toBeUndefined();
  });
});

describe('formatExitStatus', () => {
  test.each([
    [0, '0/SUCCESS'], [1, '1/FAILURE'], [3, '3/NOTIMPLEMENTED'], [203, '203/EXEC'], [42, '42'], [255, '255/EXCEPTION'],
  ])('%d -> %s', (n, s) => {
    expect(formatExitStatus(n)).toBe(s);
  });

  test.each([[1, '1/FAILURE'], [42, '42/n/a'], [203, '203/EXEC']])('for the log %d -> %s', (n, s) => {
    expect(formatExitStatusForLog(n)).toBe(s);
  });
});

describe('parseExitStatus', () => {
  test.each<[string, number | undefined]>([
    ['0', 0], ['255', 255], ['256', undefined], ['EXEC', 203], ['FAILURE', 1], ['CONFIG', 78], ['exec', undefined],
    ['-1', undefined], ['', undefined], ['KILL', undefined], ['1x', undefined],
  ])('%j -> %s', (s, n) => {
    expect(parseExitStatus(s)).toBe(n);
  });

  test.each(names.filter(([, name]) => name !== undefined))('%d round-trips through its name', (n, name) => {
    expect(parseExitStatus(name as string)).toBe(n);
  });
});

const setRows: [string, number[], number[], string[]][] = [
  ['1 2 8', [1, 2, 8], [], []],
  ['SIGKILL', [], [9], []],
  ['KILL TERM', [], [9, 15], []],
  ['9', [9], [], []],
  ['75 250 SIGKILL', [75, 250], [9], []],
  ['EXEC TEMPFAIL', [75, 203], [], []],
  ['3 3 1', [1, 3], [], []],
  ['300', [], [], ['300']],
  ['1 bogus 2', [1, 2], [], ['bogus']],
  ['RTMIN+2', [], [36], []],
  ['', [], [], []],
  ['-1', [], [], ['-1']],
];

describe('parseExitStatusSet', () => {
  test.each(setRows)('%j', (value, statuses, signals, invalid) => {
    expect(parseExitStatusSet(value)).toEqual({ statuses, signals, invalid });
  });

  test.runIf(hasSystemdAnalyze).each(setRows.filter(([, , , invalid]) => invalid.length > 0))(
    'SuccessExitStatus=%j: systemd-analyze verify warns about the same words',
    (value, _s, _g, invalid) => {
      const lines = systemdVerify('a.service', `[Service]\nExecStart=/bin/true\nSuccessExitStatus=${value}\n`);
      expect(lines).toEqual(invalid.map((w) => `a.service:3: Failed to parse value, ignoring: ${w}`));
    },
  );
});
