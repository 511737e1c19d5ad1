// credentials.ts: User=/Group= resolution and $USER/$LOGNAME/$HOME/$SHELL, through the real NSS lookups.
import { describe, expect, test } from 'vitest';
import { credentialsEnvironment, resolveCredentials } from '../../src/process/credentials.js';
import { loadNative } from '../../src/process/native.js';

const native = loadNative();
const resolve = (user?: string, group?: string, supplementaryGroups: string[] = []) => resolveCredentials({ user, group, supplementaryGroups }, native);

describe('resolveCredentials', () => {
  test.each([
    // root and nobody are synthesized as systemd does, whatever /etc/passwd says (root's shell here is /bin/bash).
    { user: 'root', expected: { user: 'root', uid: 0, gid: 0, home: '/root', shell: '/bin/sh' } },
    { user: '0', expected: { user: 'root', uid: 0, gid: 0, home: '/root', shell: '/bin/sh' } },
    // nobody's home "/" and nologin shell are cleaned away: USER and LOGNAME only.
    { user: 'nobody', expected: { user: 'nobody', uid: 65534, gid: 65534, home: undefined, shell: undefined } },
    { user: '65534', expected: { user: 'nobody', uid: 65534, gid: 65534, home: undefined, shell: undefined } },
    // From /etc/passwd: daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin; a numeric User= takes the passwd name.
    { user: 'daemon', expected: { user: 'daemon', uid: 1, gid: 1, home: '/usr/sbin', shell: undefined } },
    { user: '1', expected: { user: 'daemon', uid: 1, gid: 1, home: '/usr/sbin', shell: undefined } },
  ])('User=$user', ({ user, expected }) => {
    expect(resolve(user)).toEqual({ ok: true, value: { ...expected, supplementaryGids: [] } });
  });

  test('no User=, Group= or SupplementaryGroups=: nothing to change', () => {
    expect(resolve()).toEqual({ ok: true, value: undefined });
  });

  test('Group= overrides the primary group; SupplementaryGroups= are resolved in order', () => {
    const result = resolve('daemon', 'nogroup', ['adm', '0']);
    expect(result).toEqual({ ok: true, value: expect.objectContaining({ uid: 1, gid: 65534, supplementaryGids: [4, 0] }) });
  });

  test('Group= alone keeps the manager user and sets no user variables', () => {
    const result = resolve(undefined, 'adm');
    expect(result).toEqual({ ok: true, value: expect.objectContaining({ uid: process.getuid?.(), gid: 4, home: undefined, shell: undefined }) });
    expect(result.ok && credentialsEnvironment(result.value, false)).toEqual({});
  });

  test.each([
    { user: 'no-such-user-xyz', group: undefined, supplementary: [], status: 'USER', message: 'Failed to determine user credentials: No such process' },
    { user: 'root', group: 'no-such-group-xyz', supplementary: [], status: 'GROUP', message: 'Failed to determine group credentials: No such process' },
    { user: 'root', group: undefined, supplementary: ['no-such-group-xyz'], status: 'GROUP', message: 'Failed to determine supplementary groups: No such process' },
  ])('unknown names fail like 217/USER and 216/GROUP: $status', ({ user, group, supplementary, status, message }) => {
    expect(resolve(user, group, supplementary)).toEqual({ ok: false, error: { status, message } });
  });
});

describe('credentialsEnvironment', () => {
  test.each([
    { user: 'root', expected: { HOME: '/root', LOGNAME: 'root', USER: 'root', SHELL: '/bin/sh' } },
    { user: 'nobody', expected: { LOGNAME: 'nobody', USER: 'nobody' } },
    { user: 'daemon', expected: { HOME: '/usr/sbin', LOGNAME: 'daemon', USER: 'daemon' } },
  ])('User=$user', ({ user, expected }) => {
    const result = resolve(user);
    expect(result.ok && credentialsEnvironment(result.value, true)).toEqual(expected);
  });
});
