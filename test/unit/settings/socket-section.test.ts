// [Socket] settings (systemd.socket(5)): values, defaults, bad values and refusals in systemd 252's words
// (each message checked against the installed `systemd-analyze verify`).
import { describe, expect, test } from 'vitest';
import { load } from './helpers.js';
import { formatListen } from '../../../src/unit/values/listen-address.js';

const socket = (...lines: string[]) => load(['[Socket]', ...lines].join('\n'), 'a.socket');
const listens = (...lines: string[]) => socket(...lines).config.socket!.listen.map(formatListen);

describe('Listen*= addresses', () => {
  test.each([
    ['ListenStream=80', '[::]:80 (Stream)'],
    ['ListenStream=127.0.0.1:7777', '127.0.0.1:7777 (Stream)'],
    ['ListenStream=[::1]:99', '[::1]:99 (Stream)'],
    ['ListenStream=[::]:99', '[::]:99 (Stream)'],
    ['ListenStream=/run/a//b.sock', '/run/a/b.sock (Stream)'],
    ['ListenStream=@abstract-name', '@abstract-name (Stream)'],
    ['ListenDatagram=/run/systemd/journal/syslog', '/run/systemd/journal/syslog (Datagram)'],
    ['ListenDatagram=5353', '[::]:5353 (Datagram)'],
    ['ListenSequentialPacket=/run/seq.sock', '/run/seq.sock (SequentialPacket)'],
    ['ListenFIFO=/run/a.fifo', '/run/a.fifo (FIFO)'],
  ])('%s → %s', (line, expected) => expect(listens(line)).toEqual([expected]));

  test('several lines add up; an empty value drops the earlier ones', () => {
    expect(listens('ListenStream=1', 'ListenDatagram=2')).toEqual(['[::]:1 (Stream)', '[::]:2 (Datagram)']);
    expect(listens('ListenStream=1', 'ListenDatagram=', 'ListenStream=3')).toEqual(['[::]:3 (Stream)']);
  });
});

describe('[Socket] defaults (systemd 252)', () => {
  const s = socket('ListenStream=1').config.socket!;
  test.each([
    ['accept', false],
    ['socketMode', 0o666],
    ['directoryMode', 0o755],
    ['backlog', 2147483647],
    ['maxConnections', 64],
    ['bindIPv6Only', 'default'],
    ['reusePort', false],
    ['noDelay', false],
    ['keepAlive', false],
    ['removeOnStop', false],
    ['timeoutUsec', 90_000_000],
  ] as const)('%s', (field, expected) => expect(s[field]).toEqual(expected));
});

describe('[Socket] good values', () => {
  test.each([
    ['Accept=yes', 'accept', true],
    ['Service=web.service', 'service', 'web.service'],
    ['SocketMode=0600', 'socketMode', 0o600],
    ['DirectoryMode=0700', 'directoryMode', 0o700],
    ['SocketUser=nobody', 'socketUser', 'nobody'],
    ['SocketGroup=nogroup', 'socketGroup', 'nogroup'],
    ['Backlog=16', 'backlog', 16],
    ['ReusePort=yes', 'reusePort', true],
    ['BindIPv6Only=ipv6-only', 'bindIPv6Only', 'ipv6-only'],
    ['NoDelay=true', 'noDelay', true],
    ['KeepAlive=1', 'keepAlive', true],
    ['MaxConnections=3', 'maxConnections', 3],
    ['RemoveOnStop=yes', 'removeOnStop', true],
    ['FileDescriptorName=web', 'fileDescriptorName', 'web'],
    ['TimeoutSec=5', 'timeoutUsec', 5_000_000],
    ['TriggerLimitIntervalSec=500ms', 'triggerLimitIntervalUsec', 500_000],
    ['TriggerLimitBurst=7', 'triggerLimitBurst', 7],
  ] as const)('%s', (line, field, expected) => {
    const { config, messages } = socket('ListenStream=1', line);
    expect(messages).toEqual([]);
    expect(config.socket![field]).toEqual(expected);
  });

  test('ExecStartPre= and the exec settings of [Socket]', () => {
    const { config, messages } = socket('ListenStream=1', 'ExecStartPre=/bin/echo pre', 'ExecStopPost=-/bin/false', 'User=nobody', 'Environment=A=1');
    expect(messages).toEqual([]);
    expect(config.socket!.execStartPre.map((c) => c.argv)).toEqual([['/bin/echo', 'pre']]);
    expect(config.socket!.execStopPost[0]).toMatchObject({ path: '/bin/false', ignoreFailure: true });
    expect(config.socket!.exec).toMatchObject({ user: 'nobody', environment: ['A=1'] });
    expect(config.service).toBeUndefined();
  });
});

describe('bad values, as systemd-analyze verify prints them', () => {
  test.each([
    ['ListenStream=foo:bar', "Failed to parse address value in 'foo:bar', ignoring: Invalid argument"],
    ['ListenStream=0', "Failed to parse address value in '0', ignoring: Invalid argument"],
    ['ListenStream=70000', "Failed to parse address value in '70000', ignoring: Numerical result out of range"],
    ['ListenStream=localhost:80', "Failed to parse address value in 'localhost:80', ignoring: Invalid argument"],
    ['ListenSequentialPacket=127.0.0.1:80', 'Address family not supported, ignoring: 127.0.0.1:80'],
    ['ListenFIFO=relative', 'ListenFIFO= path is not absolute, ignoring: relative'],
    ['Accept=maybe', 'Failed to parse boolean value, ignoring: maybe'],
    ['Backlog=x', 'Failed to parse unsigned value, ignoring: x'],
    ['TriggerLimitBurst=-1', 'Failed to parse unsigned value, ignoring: -1'],
    ['TriggerLimitIntervalSec=soon', 'Failed to parse sec value, ignoring: soon'],
    ['SocketMode=999', 'Failed to parse mode value, ignoring: 999'],
    ['BindIPv6Only=sometimes', 'Failed to parse bind IPv6 only value, ignoring: sometimes'],
    ['Service=nope', 'Unit must be of type service, ignoring: nope'],
    ['FileDescriptorName=a:b', 'Invalid file descriptor name, ignoring: a:b'],
  ])('%s', (line, message) => {
    expect(socket('ListenStream=1', line).messages).toEqual([`/u/a.socket:3: ${message}`]);
  });

  test.each([
    [['Accept=yes'], 'Unit has no Listen setting (ListenStream=, ListenDatagram=, ListenFIFO=, ...). Refusing.'],
    [['ListenDatagram=1234', 'Accept=yes'], 'Unit configured for accepting sockets, but sockets are non-accepting. Refusing.'],
    [['ListenStream=1234', 'Accept=yes', 'Service=x.service'], 'Explicit service configuration for accepting socket units not supported. Refusing.'],
  ])('%j is refused: %s', (lines, message) => {
    const { config, messages } = socket(...lines);
    expect(config.loadState).toBe('bad-setting');
    expect(messages).toContain(`a.socket: ${message}`);
  });
});

test('Debian syslog.socket loads: the keys unitvisor does not honour are one warning each', () => {
  const { config, messages } = socket('ListenDatagram=/run/systemd/journal/syslog', 'SocketMode=0666', 'PassCredentials=yes', 'PassSecurity=yes', 'ReceiveBuffer=8M');
  expect(config.loadState).toBe('loaded');
  expect(messages).toEqual(
    ['PassCredentials', 'PassSecurity', 'ReceiveBuffer'].map((key, i) => `/u/a.socket:${i + 4}: Setting '${key}' is not supported by unitvisor (not implemented), ignoring.`),
  );
});

test.each(['ListenNetlink=audit 1', 'ListenSpecial=/dev/rfkill'])('a socket whose only %s is a kind unitvisor cannot open still loads, as systemd loads it', (line) => {
  const { config, messages } = socket(line);
  expect(config.loadState).toBe('loaded');
  expect(messages).toEqual([`/u/a.socket:2: Setting '${line.split('=')[0]}' is not supported by unitvisor (needs netlink, POSIX message queues or USB FunctionFS), ignoring.`]);
});
