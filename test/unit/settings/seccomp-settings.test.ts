// SystemCallFilter=, SystemCallErrorNumber=, RestrictAddressFamilies=, MemoryDenyWriteExecute= as systemd 252 parses
// them (config_parse_syscall_filter & co.), and the exec helper options they become.
import { execFileSync } from 'node:child_process';
import { describe, expect, test } from 'vitest';
import { expandSyscalls } from '../../../src/unit/settings/seccomp-settings.js';
import { seccompOptions } from '../../../src/process/seccomp-options.js';
import { systemdTool } from '../../helpers/systemd.js';
import { service } from './helpers.js';

const filterOf = (...lines: string[]) => service(...lines).config.service!.exec.syscallFilter;

describe('SystemCallFilter=', () => {
  test('an allow list starts from @default; a "~" line then removes calls', () => {
    const f = filterOf('SystemCallFilter=@system-service', 'SystemCallFilter=~@privileged @resources');
    expect(f?.allowList).toBe(true);
    expect(f?.calls.has('execve')).toBe(true); // @default
    expect(f?.calls.has('openat')).toBe(true); // @system-service → @file-system
    expect(f?.calls.has('setrlimit')).toBe(false); // removed with @resources
    expect(f?.calls.has('chroot')).toBe(false); // never in @system-service
  });

  test('a deny list ("~" first) holds only its calls, with their own errno; a plain line then takes calls out', () => {
    const f = filterOf('SystemCallFilter=~@clock sethostname:EACCES', 'SystemCallFilter=settimeofday');
    expect(f?.allowList).toBe(false);
    expect(f?.calls.get('sethostname')).toBe(13);
    expect(f?.calls.has('clock_settime')).toBe(true);
    expect(f?.calls.has('settimeofday')).toBe(false);
    expect(f?.calls.has('execve')).toBe(false);
  });

  test('an empty assignment resets; unknown groups and bad names warn', () => {
    expect(filterOf('SystemCallFilter=@clock', 'SystemCallFilter=')).toBeUndefined();
    expect(service('SystemCallFilter=@nope Bad-Name').messages).toEqual([
      '/u/a.service:3: Unknown system call group, ignoring: @nope',
      '/u/a.service:3: Failed to parse system call, ignoring: Bad-Name',
    ]);
  });

  test('SystemCallErrorNumber= takes an errno name, a number or kill', () => {
    expect(service('SystemCallErrorNumber=EPERM').config.service!.exec.syscallErrorNumber).toBe(1);
    expect(service('SystemCallErrorNumber=13').config.service!.exec.syscallErrorNumber).toBe(13);
    expect(service('SystemCallErrorNumber=kill').config.service!.exec.syscallErrorNumber).toBe('kill');
    expect(service('SystemCallErrorNumber=EBOGUS').messages).toEqual(['/u/a.service:3: Failed to parse SystemCallErrorNumber=, ignoring: EBOGUS']);
  });

  // The groups are systemd 252's own: every one expands to what its systemd-analyze prints.
  test.runIf(systemdTool('systemd-analyze'))('each group used by Debian units expands as systemd-analyze syscall-filter lists it', () => {
    for (const group of ['@system-service', '@privileged', '@resources', '@mount', '@clock', '@module', '@raw-io', '@reboot', '@swap', '@obsolete', '@cpu-emulation', '@debug']) {
      const listed = execFileSync('systemd-analyze', ['syscall-filter', '--no-pager', group], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })
        .split('\n')
        .map((l) => l.trim())
        .filter((l) => /^[a-z0-9_]+$/.test(l));
      const nested = listed.length > 0 ? expandSyscalls(group).filter((c) => !c.startsWith('@')) : [];
      for (const call of listed) expect(nested, `${group} has ${call}`).toContain(call);
    }
  });
});

describe('RestrictAddressFamilies= and MemoryDenyWriteExecute=', () => {
  test('an allow list of numbers, "~" removes from it; a "~" first line is a deny list; none allows nothing', () => {
    const exec = (...lines: string[]) => service(...lines).config.service!.exec.addressFamilies;
    expect(exec('RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6', 'RestrictAddressFamilies=~AF_INET6')).toEqual({ allowList: true, families: [1, 2] });
    expect(exec('RestrictAddressFamilies=~AF_PACKET AF_NETLINK')).toEqual({ allowList: false, families: [16, 17] });
    expect(exec('RestrictAddressFamilies=none')).toEqual({ allowList: true, families: [] });
    expect(service('RestrictAddressFamilies=AF_BOGUS').messages).toEqual(['/u/a.service:3: Failed to parse address family, ignoring: AF_BOGUS']);
  });

  test('the exec helper gets one option per filter; a "+" command gets none', () => {
    const { exec } = service('SystemCallFilter=~sethostname:EPERM', 'RestrictAddressFamilies=AF_UNIX', 'MemoryDenyWriteExecute=yes', 'SystemCallErrorNumber=EACCES').config.service!;
    expect(seccompOptions(exec, false)).toEqual(['--syscall-filter', 'deny:13:sethostname:1', '--address-families', 'allow:1', '--memory-deny-write-execute']);
    expect(seccompOptions(exec, true)).toEqual([]);
  });
});
