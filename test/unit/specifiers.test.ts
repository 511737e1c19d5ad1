import { describe, expect, test } from 'vitest';
import { expandSpecifiers, SPECIFIER_LETTERS, type SpecifierContext } from '../../src/unit/specifiers.js';
import { systemdTool, systemdVerify } from '../helpers/systemd.js';
import { ROOT_HOST } from '../helpers/root-host.js';

const hasSystemdAnalyze = systemdTool('systemd-analyze');

const base: SpecifierContext = {
  ...ROOT_HOST,
  unitName: 'foo-bar@a\\x2db-c.service',
  fragmentPath: '/etc/systemd/system/foo-bar@.service',
  hostname: 'host.example.com',
  machineId: '0123456789abcdef0123456789abcdef',
  bootId: 'fedcba9876543210fedcba9876543210',
  osRelease: { ID: 'debian', VERSION_ID: '12', BUILD_ID: 'b1' },
  kernelRelease: '6.1.0-13-amd64',
  architecture: 'x86-64',
};

const expand = (s: string, ctx: Partial<SpecifierContext> = {}) => expandSpecifiers(s, { ...base, ...ctx });

describe('expandSpecifiers', () => {
  test.each<[string, string]>([
    ['%n', 'foo-bar@a\\x2db-c.service'],
    ['%N', 'foo-bar@a\\x2db-c'],
    ['%p', 'foo-bar'],
    ['%P', 'foo/bar'],
    ['%i', 'a\\x2db-c'],
    ['%I', 'a-b/c'],
    ['%j', 'bar'],
    ['%J', 'bar'],
    ['%f', '/a-b/c'],
    ['%y', '/etc/systemd/system/foo-bar@.service'],
    ['%Y', '/etc/systemd/system'],
    ['%d', '/run/credentials/foo-bar@a\\x2db-c.service'],
    ['%t %S %C %L %E %T %V', '/run /var/lib /var/cache /var/log /etc /tmp /var/tmp'],
    ['%H', 'host.example.com'],
    ['%l', 'host'],
    ['%q', 'host.example.com'],
    ['%m', '0123456789abcdef0123456789abcdef'],
    ['%b', 'fedcba9876543210fedcba9876543210'],
    ['%u %U %g %G %h %s', 'root 0 root 0 /root /bin/sh'],
    ['%o %w %B', 'debian 12 b1'],
    ['[%W][%M][%A]', '[][][]'],
    ['%v %a', '6.1.0-13-amd64 x86-64'],
    ['%c|%r|%R', '/system.slice/foo-bar@a\\x2db-c.service|/system.slice|'],
    ['100%%', '100%'],
    ['%%n', '%n'],
    ['%%%n', '%foo-bar@a\\x2db-c.service'],
    ['trailing %', 'trailing %'],
    ['%-x %/ %.', '%-x %/ %.'],
    ['no specifiers', 'no specifiers'],
    ['', ''],
  ])('%j -> %j', (input, expected) => {
    expect(expand(input)).toEqual({ value: expected });
  });

  test.each<[string, Partial<SpecifierContext>, string]>([
    ['%i|%I|%f', { unitName: 'plain-unit.service' }, '||/plain/unit'],
    ['%p %j', { unitName: 'plain-unit.service' }, 'plain-unit unit'],
    ['%j', { unitName: 'nodash.service' }, 'nodash'],
    ['%f', { unitName: 'getty@-.service' }, '/'],
    ['%f', { unitName: 'sys-dev\\x2dx.mount' }, '/sys/dev-x'],
    ['%N', { unitName: 'a.b.target' }, 'a.b'],
    ['%l', { hostname: 'nodots', shortHostname: undefined }, 'nodots'],
    ['%l', { shortHostname: 'given' }, 'given'],
    ['%U/%G', { uid: 1000, gid: 100 }, '1000/100'],
    ['%t', { runtimeDir: '/run/user/1000' }, '/run/user/1000'],
    ['%o', { osRelease: undefined }, ''],
  ])('%j with %j -> %j', (input, ctx, expected) => {
    expect(expand(input, ctx)).toEqual({ value: expected });
  });

  test.each<[string, Partial<SpecifierContext>, string]>([
    ['%Z', {}, 'Invalid slot'],
    ['a %x b', {}, 'Invalid slot'],
    ['%0', {}, 'Invalid slot'],
    ['%D', {}, 'Invalid slot'],
    ['%I', { unitName: 'x@bad\\xZZ.service' }, 'Invalid argument'],
    ['%f', { unitName: 'x@-a.service' }, 'Invalid argument'],
    ['%m', { machineId: undefined }, 'No such file or directory'],
    ['%y', { fragmentPath: undefined }, 'No such file or directory'],
  ])('%j with %j fails: %s', (input, ctx, error) => {
    expect(expand(input, ctx)).toEqual({ error });
  });

  test('a value longer than the limit fails', () => {
    expect(expandSpecifiers('%n%n', base, 30)).toEqual({ error: 'File name too long' });
  });

  // systemd-analyze verify reports "Invalid slot" exactly for the letters systemd 252 does not know.
  test.runIf(hasSystemdAnalyze)('the known letters are systemd 252\'s', () => {
    const letters = [...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'];
    const text = `[Unit]\n${letters.map((l) => `Description=%${l}`).join('\n')}\n[Service]\nExecStart=/bin/true\n`;
    const unknown = systemdVerify('a.service', text)
      .filter((l) => l.endsWith(': Invalid slot'))
      .map((l) => /'%(.)'/.exec(l)?.[1]);
    expect(letters.filter((l) => !SPECIFIER_LETTERS.includes(l))).toEqual(unknown);
  });

  test.runIf(hasSystemdAnalyze).each(['%n', '%i', '%I', '%f', '%H', '%t', '%%', 'trailing %', '%-x'])('%j is accepted by systemd too', (s) => {
    expect(systemdVerify('a@b.service', `[Unit]\nDescription=${s}\n[Service]\nExecStart=/bin/true\n`)).toEqual([]);
  });
});
