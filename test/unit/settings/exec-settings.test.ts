import { describe, expect, test } from 'vitest';
import { load, service } from './helpers.js';

const exec = (...lines: string[]) => service(...lines).config.service!.exec;

describe('systemd.exec(5) defaults', () => {
  const e = exec();
  test.each([
    ['environment', []],
    ['environmentFiles', []],
    ['passEnvironment', []],
    ['unsetEnvironment', []],
    ['workingDirectory', undefined],
    ['user', undefined],
    ['group', undefined],
    ['supplementaryGroups', []],
    ['umask', 0o022],
    ['standardInput', { kind: 'null' }],
    ['standardOutput', { kind: 'journal' }],
    ['standardError', undefined],
    ['syslogIdentifier', undefined],
  ] as const)('%s', (field, expected) => expect(e[field]).toEqual(expected));
});

describe('good values', () => {
  test.each([
    [['Environment=A=1 "B=two words" C=%n'], 'environment', ['A=1', 'B=two words', 'C=a.service']],
    [['Environment=A=1 B=2', 'Environment=A=3'], 'environment', ['A=3', 'B=2']],
    [['Environment=A=1', 'Environment=', 'Environment=B=2'], 'environment', ['B=2']],
    [['EnvironmentFile=-/etc/default/%p', 'EnvironmentFile=/etc/x'], 'environmentFiles', [
      { path: '/etc/default/a', optional: true },
      { path: '/etc/x', optional: false },
    ]],
    [['PassEnvironment=PATH LANG'], 'passEnvironment', ['PATH', 'LANG']],
    [['UnsetEnvironment=A B=1'], 'unsetEnvironment', ['A', 'B=1']],
    [['WorkingDirectory=-/srv/%p'], 'workingDirectory', { path: '/srv/a', optional: true }],
    [['WorkingDirectory=~'], 'workingDirectory', { path: '~', optional: false }],
    [['WorkingDirectory=/x', 'WorkingDirectory='], 'workingDirectory', undefined],
    [['User=www-data'], 'user', 'www-data'],
    [['User=1000', 'User='], 'user', undefined],
    [['Group=%g'], 'group', 'root'],
    [['SupplementaryGroups=a b', 'SupplementaryGroups=c'], 'supplementaryGroups', ['a', 'b', 'c']],
    [['UMask=0077'], 'umask', 0o077],
    [['StandardInput=tty'], 'standardInput', { kind: 'tty' }],
    [['StandardInput=file:/dev/zero'], 'standardInput', { kind: 'file', path: '/dev/zero' }],
    [['StandardOutput=null'], 'standardOutput', { kind: 'null' }],
    [['StandardOutput=append:/var/log/%n.log'], 'standardOutput', { kind: 'append', path: '/var/log/a.service.log' }],
    [['StandardOutput=syslog'], 'standardOutput', { kind: 'journal' }],
    [['StandardOutput=journal+console'], 'standardOutput', { kind: 'journal' }],
    [['StandardOutput=kmsg'], 'standardOutput', { kind: 'kmsg' }],
    [['StandardOutput=inherit'], 'standardOutput', { kind: 'journal' }],
    [['StandardInput=tty'], 'standardOutput', { kind: 'inherit' }],
    [['StandardInput=tty', 'StandardOutput=null'], 'standardOutput', { kind: 'null' }],
    [['StandardInput=socket'], 'standardInput', { kind: 'socket' }],
    [['StandardInput=socket'], 'standardOutput', { kind: 'inherit' }],
    [['StandardOutput=socket'], 'standardOutput', { kind: 'socket' }],
    [['StandardError=truncate:/tmp/e'], 'standardError', { kind: 'truncate', path: '/tmp/e' }],
    [['StandardError=null', 'StandardError=inherit'], 'standardError', undefined],
    [['SyslogIdentifier=web-%i'], 'syslogIdentifier', 'web-'],
  ] as const)('%j → %s', (lines, field, expected) => {
    const { config, messages } = service(...lines);
    expect(messages).toEqual([]);
    expect(config.service!.exec[field]).toEqual(expected);
  });
});

describe('bad values', () => {
  test.each([
    ['Environment=A=1 "B C=2" =x', ['Invalid environment assignment, ignoring: B C=2', 'Invalid environment assignment, ignoring: =x'], 'environment', ['A=1']],
    ['Environment="A=1', ['Invalid syntax, ignoring: "A=1'], 'environment', []],
    ['EnvironmentFile=rel', ['EnvironmentFile= path is not absolute, ignoring: rel'], 'environmentFiles', []],
    ['PassEnvironment=A B=1', ['Invalid environment name for PassEnvironment, ignoring: B=1'], 'passEnvironment', ['A']],
    ['UnsetEnvironment=A= B=1 1x', ['Invalid environment name or assignment UnsetEnvironment, ignoring: 1x'], 'unsetEnvironment', ['A=', 'B=1']],
    ['UMask=999', ['Failed to parse mode value, ignoring: 999'], 'umask', 0o022],
    ['StandardInput=bogus', ['Failed to parse input specifier, ignoring: bogus'], 'standardInput', { kind: 'null' }],
    ['StandardOutput=bogus', ['Failed to parse output specifier, ignoring: bogus'], 'standardOutput', { kind: 'journal' }],
    ['StandardInput=file:rel', ['StandardInput= path is not absolute: rel'], 'standardInput', { kind: 'null' }],
    ['StandardOutput=file:rel', ['StandardOutput= path is not absolute: rel'], 'standardOutput', { kind: 'journal' }],
    ['StandardInput=fd:conn', ["Setting 'StandardInput=fd:conn' is not supported by unitvisor (needs named file descriptors), ignoring."], 'standardInput', { kind: 'null' }],
    ['StandardOutput=fd:log', ["Setting 'StandardOutput=fd:log' is not supported by unitvisor (needs named file descriptors), ignoring."], 'standardOutput', { kind: 'journal' }],
  ] as const)('%s', (line, expected, field, value) => {
    const { config, messages } = service(line);
    expect(messages).toEqual(expected.map((m) => `/u/a.service:3: ${m}`));
    expect(config.service!.exec[field]).toEqual(value);
    expect(config.loadState).toBe('loaded');
  });

  test.each([
    ['WorkingDirectory=relative', 'WorkingDirectory= path is not absolute: relative'],
    ['User=a:b', 'Invalid user/group name or numeric ID: a:b'],
  ])('%s is fatal', (line, message) => {
    const { config, messages } = load(`[Service]\nExecStart=/bin/true\n${line}\nRestart=bogus`);
    expect(config.loadState).toBe('bad-setting');
    expect(messages).toEqual([`/u/a.service:3: ${message}`, 'a.service: Unit configuration has fatal error, unit will not be started.']);
  });
});
