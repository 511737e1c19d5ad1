import { describe, expect, test } from 'vitest';
import { USEC_INFINITY } from '../../../src/common/clock.js';
import { load, service } from './helpers.js';

describe('[Service] defaults (systemd 252)', () => {
  const s = service().config.service!;
  test.each([
    ['type', 'simple'],
    ['exitType', 'main'],
    ['remainAfterExit', false],
    ['guessMainPID', true],
    ['pidFile', undefined],
    ['busName', undefined],
    ['restart', 'no'],
    ['restartUsec', 100_000],
    ['timeoutStartUsec', 90_000_000],
    ['timeoutStopUsec', 90_000_000],
    ['timeoutAbortUsec', 90_000_000],
    ['timeoutStartFailureMode', 'terminate'],
    ['timeoutStopFailureMode', 'terminate'],
    ['runtimeMaxUsec', USEC_INFINITY],
    ['watchdogUsec', 0],
    ['notifyAccess', 'none'],
    ['successExitStatus', { statuses: [], signals: [] }],
    ['restartPreventExitStatus', { statuses: [], signals: [] }],
    ['restartForceExitStatus', { statuses: [], signals: [] }],
  ] as const)('%s', (field, expected) => expect(s[field]).toEqual(expected));
});

describe('[Service] good values', () => {
  test.each([
    ['Type=forking', 'type', 'forking'],
    ['Type=exec', 'type', 'exec'],
    ['Type=idle', 'type', 'idle'],
    ['ExitType=cgroup', 'exitType', 'cgroup'],
    ['RemainAfterExit=yes', 'remainAfterExit', true],
    ['GuessMainPID=no', 'guessMainPID', false],
    ['PIDFile=/run/a.pid', 'pidFile', '/run/a.pid'],
    ['PIDFile=a/%n.pid', 'pidFile', '/run/a/a.service.pid'],
    ['Restart=on-failure', 'restart', 'on-failure'],
    ['Restart=always', 'restart', 'always'],
    ['RestartSec=5min 20s', 'restartUsec', 320_000_000],
    ['RestartSec=250ms', 'restartUsec', 250_000],
    ['TimeoutStartSec=10', 'timeoutStartUsec', 10_000_000],
    ['TimeoutStartSec=0', 'timeoutStartUsec', USEC_INFINITY],
    ['TimeoutStartSec=infinity', 'timeoutStartUsec', USEC_INFINITY],
    ['TimeoutStopSec=3s', 'timeoutStopUsec', 3_000_000],
    ['TimeoutStopSec=0', 'timeoutStopUsec', USEC_INFINITY],
    ['TimeoutAbortSec=7', 'timeoutAbortUsec', 7_000_000],
    ['TimeoutStartFailureMode=abort', 'timeoutStartFailureMode', 'abort'],
    ['TimeoutStopFailureMode=kill', 'timeoutStopFailureMode', 'kill'],
    ['RuntimeMaxSec=1h', 'runtimeMaxUsec', 3_600_000_000],
    ['WatchdogSec=20s', 'watchdogUsec', 20_000_000],
    ['NotifyAccess=all', 'notifyAccess', 'all'],
    ['SuccessExitStatus=1 2 SIGUSR1', 'successExitStatus', { statuses: [1, 2], signals: [10] }],
    ['RestartPreventExitStatus=255', 'restartPreventExitStatus', { statuses: [255], signals: [] }],
    ['RestartForceExitStatus=SIGKILL', 'restartForceExitStatus', { statuses: [], signals: [9] }],
  ] as const)('%s', (line, field, expected) => {
    const { config, messages } = service(line);
    expect(messages).toEqual([]);
    expect(config.service![field]).toEqual(expected);
  });

  test('TimeoutSec= sets start and stop; TimeoutAbortSec= follows TimeoutStopSec=', () => {
    const s = service('TimeoutSec=20').config.service!;
    expect([s.timeoutStartUsec, s.timeoutStopUsec, s.timeoutAbortUsec]).toEqual([20_000_000, 20_000_000, 20_000_000]);
    const t = service('TimeoutStopSec=5', 'TimeoutAbortSec=9', 'TimeoutAbortSec=').config.service!;
    expect(t.timeoutAbortUsec).toBe(5_000_000);
  });

  test('exit-status sets add up; empty resets', () => {
    expect(service('SuccessExitStatus=1', 'SuccessExitStatus=2 1').config.service!.successExitStatus).toEqual({ statuses: [1, 2], signals: [] });
    expect(service('SuccessExitStatus=1', 'SuccessExitStatus=', 'SuccessExitStatus=3').config.service!.successExitStatus).toEqual({
      statuses: [3],
      signals: [],
    });
  });

  test('start-rate limiting keys in [Service] set the [Unit] values; StartLimitIntervalSec= is unknown there', () => {
    const { config, messages } = service('StartLimitInterval=30', 'StartLimitBurst=2', 'StartLimitAction=exit', 'FailureAction=exit', 'StartLimitIntervalSec=1');
    expect(config.unit.startLimitIntervalUsec).toBe(30_000_000);
    expect(config.unit.startLimitBurst).toBe(2);
    expect(config.unit.startLimitAction).toBe('exit');
    expect(config.unit.failureAction).toBe('exit');
    expect(messages).toEqual(["/u/a.service:7: Unknown key 'StartLimitIntervalSec' in section [Service], ignoring."]);
  });

  test('PIDFile= below /var/run is moved to /run', () => {
    const { config, messages } = service('PIDFile=/var/run/x.pid');
    expect(config.service!.pidFile).toBe('/run/x.pid');
    expect(messages).toHaveLength(1);
  });
});

describe('[Service] bad values warn and are ignored', () => {
  test.each([
    ['Type=bogus', 'Failed to parse service type, ignoring: bogus', 'type', 'simple'],
    ['ExitType=x', 'Failed to parse service exit type, ignoring: x', 'exitType', 'main'],
    ['RemainAfterExit=maybe', 'Failed to parse boolean value, ignoring: maybe', 'remainAfterExit', false],
    ['RemainAfterExit=', 'Failed to parse boolean value, ignoring: ', 'remainAfterExit', false],
    ['GuessMainPID=x', 'Failed to parse boolean value, ignoring: x', 'guessMainPID', true],
    ['Restart=sometimes', 'Failed to parse service restart specifier, ignoring: sometimes', 'restart', 'no'],
    ['RestartSec=5 parsecs', 'Failed to parse sec value, ignoring: 5 parsecs', 'restartUsec', 100_000],
    ['TimeoutStartSec=5 parsecs', 'Failed to parse TimeoutStartSec= parameter, ignoring: 5 parsecs', 'timeoutStartUsec', 90_000_000],
    ['TimeoutStartSec=', 'Failed to parse TimeoutStartSec= parameter, ignoring: ', 'timeoutStartUsec', 90_000_000],
    ['TimeoutStopSec=y', 'Failed to parse time value, ignoring: y', 'timeoutStopUsec', 90_000_000],
    ['TimeoutSec=bad', 'Failed to parse TimeoutSec= parameter, ignoring: bad', 'timeoutStartUsec', 90_000_000],
    ['TimeoutAbortSec=z', 'Failed to parse TimeoutAbortSec= setting, ignoring: z', 'timeoutAbortUsec', 90_000_000],
    ['TimeoutStartFailureMode=x', 'Failed to parse timeout failure mode, ignoring: x', 'timeoutStartFailureMode', 'terminate'],
    ['RuntimeMaxSec=x', 'Failed to parse sec value, ignoring: x', 'runtimeMaxUsec', USEC_INFINITY],
    ['WatchdogSec=bad', 'Failed to parse sec value, ignoring: bad', 'watchdogUsec', 0],
    ['NotifyAccess=x', 'Failed to parse notify access specifier, ignoring: x', 'notifyAccess', 'none'],
    ['RestartPreventExitStatus=x', 'Failed to parse value, ignoring: x', 'restartPreventExitStatus', { statuses: [], signals: [] }],
    ['BusName=x..y', 'Invalid bus name, ignoring: x..y', 'busName', undefined],
  ] as const)('%s', (line, message, field, value) => {
    const { config, messages } = service(line);
    expect(messages).toEqual([`/u/a.service:3: ${message}`]);
    expect(config.service![field]).toEqual(value);
    expect(config.loadState).toBe('loaded');
  });

  test('StartLimitAction= in [Service] names its key', () => {
    expect(service('StartLimitAction=bogus').messages).toEqual(['/u/a.service:3: Failed to parse StartLimitAction=, ignoring: bogus']);
  });

  test('a bad word of an exit-status set drops only that word', () => {
    const { config, messages } = service('SuccessExitStatus=SIGTERM 0 255 256');
    expect(messages).toEqual(['/u/a.service:3: Failed to parse value, ignoring: 256']);
    expect(config.service!.successExitStatus).toEqual({ statuses: [0, 255], signals: [15] });
  });
});

describe('Type=-dependent defaults (service_add_extras)', () => {
  test('no ExecStart= and no Type=: oneshot, with no start timeout', () => {
    const s = load('[Service]\nExecStop=/bin/true\nRemainAfterExit=yes').config.service!;
    expect(s.type).toBe('oneshot');
    expect(s.timeoutStartUsec).toBe(USEC_INFINITY);
  });
  test('Type=oneshot keeps an explicit TimeoutStartSec=', () => {
    expect(service('Type=oneshot', 'TimeoutStartSec=5').config.service!.timeoutStartUsec).toBe(5_000_000);
    expect(service('Type=oneshot', 'TimeoutSec=6').config.service!.timeoutStartUsec).toBe(6_000_000);
  });
  test.each([
    [['Type=notify'], 'main'],
    [['Type=notify', 'NotifyAccess=all'], 'all'],
    [['WatchdogSec=5'], 'main'],
    [['Type=simple'], 'none'],
    [['Type=forking', 'NotifyAccess=exec'], 'exec'],
  ])('%j → NotifyAccess=%s', (lines, expected) => {
    expect(service(...lines).config.service!.notifyAccess).toBe(expected);
  });
});

describe('service_verify refusals (bad-setting)', () => {
  test.each([
    ['[Service]\nType=simple', 'Service has no ExecStart=, ExecStop=, or SuccessAction=. Refusing.'],
    ['[Service]\nType=oneshot', 'Service has no ExecStart=, ExecStop=, or SuccessAction=. Refusing.'],
    ['[Service]\nType=simple\nExecStop=/bin/true', 'Service has no ExecStart= setting, which is only allowed for Type=oneshot services. Refusing.'],
    ['[Service]\nExecStop=/bin/true', 'Service has no ExecStart= and no SuccessAction= settings and does not have RemainAfterExit=yes set. Refusing.'],
    ['[Service]\nExecStart=/bin/true\nExecStart=/bin/false', 'Service has more than one ExecStart= setting, which is only allowed for Type=oneshot services. Refusing.'],
    ['[Service]\nType=oneshot\nExecStart=/bin/true\nRestart=always', "Service has Restart= set to either always or on-success, which isn't allowed for Type=oneshot services. Refusing."],
    ['[Service]\nType=oneshot\nExecStart=/bin/true\nExitType=cgroup', "Service has ExitType=cgroup set, which isn't allowed for Type=oneshot services. Refusing."],
    ['[Service]\nType=dbus\nExecStart=/bin/true', 'Service is of type D-Bus but no D-Bus service name has been specified. Refusing.'],
    ['[Service]\nType=dbus\nBusName=org.example.A\nExecStart=/bin/true', "Setting 'Type=dbus' is not supported by unitvisor (needs D-Bus). Refusing."],
    ['[Service]\nBusName=org.example.A\nExecStart=/bin/true', "Setting 'Type=dbus' is not supported by unitvisor (needs D-Bus). Refusing."],
  ])('%j', (text, message) => {
    const { config, messages } = load(text);
    expect(config.loadState).toBe('bad-setting');
    expect(config.loadError).toBe('Unit a.service has a bad unit file setting.');
    expect(messages).toEqual([`a.service: ${message}`]);
    // Only unitvisor's own refusal marks the unit: a Wants= on it is then quiet, said once at load.
    expect(config.refusedHere === true).toBe(message.includes('by unitvisor'));
  });

  test.each([
    '[Service]\nType=oneshot\nExecStart=/bin/true\nExecStart=/bin/true\nRemainAfterExit=yes\nRestart=on-failure',
    '[Unit]\nSuccessAction=reboot\n[Service]\nType=oneshot',
  ])('accepted: %j', (text) => {
    const { config, messages } = load(text);
    expect(config.loadState).toBe('loaded');
    expect(messages).toEqual([]);
  });

  test('RuntimeMaxSec= with Type=oneshot only warns', () => {
    expect(service('Type=oneshot', 'RuntimeMaxSec=5').messages).toEqual([
      'a.service: RuntimeMaxSec= has no effect in combination with Type=oneshot. Ignoring.',
    ]);
  });
});

describe('Exec lines', () => {
  test('prefixes, arguments, specifiers and list reset', () => {
    const { config, messages } = load('[Service]\nExecStartPre=-/bin/echo %n\nExecStartPre=\nExecStartPre=/bin/a\nExecStart=/bin/sh -c "echo %i"');
    expect(messages).toEqual([]);
    const s = config.service!;
    expect(s.execStartPre.map((c) => c.argv)).toEqual([['/bin/a']]);
    expect(s.execStart[0]).toMatchObject({ path: '/bin/sh', argv: ['/bin/sh', '-c', 'echo '], ignoreFailure: false, file: '/u/a.service', line: 5 });
  });

  test.each(['ExecCondition', 'ExecStartPre', 'ExecStartPost', 'ExecReload', 'ExecStop', 'ExecStopPost'] as const)('%s= accumulates', (key) => {
    const field = (key[0]!.toLowerCase() + key.slice(1)) as 'execCondition';
    const s = service(`${key}=/bin/a`, `${key}=/bin/b x`).config.service!;
    expect(s[field].map((c) => c.argv)).toEqual([['/bin/a'], ['/bin/b', 'x']]);
  });

  test('a bad command line is fatal: the rest of the file is not read', () => {
    const { config, messages } = load('[Service]\nExecStart=./relative arg\nRestart=bogus');
    expect(config.loadState).toBe('bad-setting');
    expect(messages).toEqual([
      '/u/a.service:2: Neither a valid executable name nor an absolute path: ./relative',
      'a.service: Unit configuration has fatal error, unit will not be started.',
    ]);
  });
});
