// composeEnvironment(): systemd.exec(5) environment order and rules, table by table.
import { describe, expect, test } from 'vitest';
import { DEFAULT_PATH, composeEnvironment, type EnvironmentInputs } from '../../src/service/environment.js';

const inputs = (over: Partial<EnvironmentInputs> = {}): EnvironmentInputs => ({
  base: {},
  environment: [],
  environmentFiles: [],
  passEnvironment: { names: [], from: {} },
  unsetEnvironment: [],
  ...over,
});

describe('composeEnvironment', () => {
  test('PATH defaults to systemd\'s DEFAULT_PATH; nothing else leaks in', () => {
    expect(composeEnvironment(inputs())).toEqual({ PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' });
    expect(DEFAULT_PATH).toContain('/usr/bin');
  });

  test('the manager block, $INVOCATION_ID, $NOTIFY_SOCKET, $MAINPID and per-spawn extras', () => {
    const env = composeEnvironment(
      inputs({ base: { PATH: '/bin', LANG: 'C.UTF-8' }, invocationId: 'abc', notifySocket: '/run/n', mainPid: 42, extra: { SERVICE_RESULT: 'success' } }),
    );
    expect(env).toEqual({ PATH: '/bin', LANG: 'C.UTF-8', NOTIFY_SOCKET: '/run/n', MAINPID: '42', SERVICE_RESULT: 'success', INVOCATION_ID: 'abc' });
  });

  test.each([
    ['User=nobody: USER and LOGNAME, no HOME, no SHELL', { name: 'nobody', home: '/nonexistent', shell: '/usr/sbin/nologin' }, { USER: 'nobody', LOGNAME: 'nobody' }],
    ['a real user: HOME and SHELL too', { name: 'app', home: '/home/app', shell: '/bin/bash' }, { HOME: '/home/app', USER: 'app', LOGNAME: 'app', SHELL: '/bin/bash' }],
    ['home "/" and a nologin shell are not exported', { name: 'daemon', home: '/', shell: '/usr/sbin/nologin' }, { USER: 'daemon', LOGNAME: 'daemon' }],
  ])('%s', (_n, user, expected) => {
    const { PATH: _path, ...env } = composeEnvironment(inputs({ user }));
    expect(env).toEqual(expected);
  });

  test('later wins: Environment= over PassEnvironment= over the manager, EnvironmentFile= over Environment=', () => {
    const env = composeEnvironment(
      inputs({
        base: { LANG: 'C' },
        passEnvironment: { names: ['LANG', 'TERM', 'MISSING'], from: { LANG: 'de_DE.UTF-8', TERM: 'xterm' } },
        environment: ['A=1', 'B=2', 'TERM=dumb'],
        environmentFiles: [['B=file1', 'C=3'], ['C=file2']],
      }),
    );
    expect(env).toEqual({ PATH: DEFAULT_PATH, LANG: 'de_DE.UTF-8', TERM: 'dumb', A: '1', B: 'file1', C: 'file2' });
    expect('MISSING' in env).toBe(false);
  });

  test('UnsetEnvironment= removes names, or only exact assignments', () => {
    const env = composeEnvironment(
      inputs({ environment: ['A=1', 'B=2', 'C=3'], unsetEnvironment: ['A', 'B=2', 'C=4', 'PATH'] }),
    );
    expect(env).toEqual({ C: '3' });
  });

  test('invalid assignments are dropped', () => {
    const env = composeEnvironment(inputs({ environment: ['NOEQUALS', '=x', '1A=2', 'OK=fine'] }));
    expect(env).toEqual({ PATH: DEFAULT_PATH, OK: 'fine' });
  });
});
