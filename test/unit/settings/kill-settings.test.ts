import { describe, expect, test } from 'vitest';
import { service } from './helpers.js';

describe('systemd.kill(5)', () => {
  test.each([
    ['killMode', 'control-group'],
    ['killSignal', 15],
    ['restartKillSignal', undefined],
    ['finalKillSignal', 9],
    ['watchdogSignal', 6],
    ['sendSIGKILL', true],
    ['sendSIGHUP', false],
  ] as const)('default %s', (field, expected) => expect(service().config.service!.kill[field]).toEqual(expected));

  test.each([
    ['KillMode=mixed', 'killMode', 'mixed'],
    ['KillMode=process', 'killMode', 'process'],
    ['KillSignal=SIGINT', 'killSignal', 2],
    ['KillSignal=HUP', 'killSignal', 1],
    ['KillSignal=9', 'killSignal', 9],
    ['RestartKillSignal=SIGUSR2', 'restartKillSignal', 12],
    ['FinalKillSignal=SIGQUIT', 'finalKillSignal', 3],
    ['WatchdogSignal=SIGKILL', 'watchdogSignal', 9],
    ['SendSIGKILL=no', 'sendSIGKILL', false],
    ['SendSIGHUP=yes', 'sendSIGHUP', true],
  ] as const)('%s', (line, field, expected) => {
    const { config, messages } = service(line);
    expect(messages).toEqual([]);
    expect(config.service!.kill[field]).toEqual(expected);
  });

  test.each([
    ['KillMode=bogus', 'Failed to parse kill mode specification, ignoring: bogus', 'killMode', 'control-group'],
    ['KillSignal=SIGFOO', 'Failed to parse signal name, ignoring: SIGFOO', 'killSignal', 15],
    ['FinalKillSignal=x', 'Failed to parse signal name, ignoring: x', 'finalKillSignal', 9],
    ['WatchdogSignal=x', 'Failed to parse signal name, ignoring: x', 'watchdogSignal', 6],
    ['RestartKillSignal=x', 'Failed to parse signal name, ignoring: x', 'restartKillSignal', undefined],
    ['SendSIGKILL=x', 'Failed to parse boolean value, ignoring: x', 'sendSIGKILL', true],
    ['SendSIGHUP=x', 'Failed to parse boolean value, ignoring: x', 'sendSIGHUP', false],
  ] as const)('%s', (line, message, field, value) => {
    const { config, messages } = service(line);
    expect(messages).toEqual([`/u/a.service:3: ${message}`]);
    expect(config.service!.kill[field]).toEqual(value);
  });

  test('KillMode=none is taken, with systemd 252 deprecation warning', () => {
    const { config, messages } = service('KillMode=none');
    expect(config.service!.kill.killMode).toBe('none');
    expect(messages).toEqual([
      "/u/a.service:3: Unit uses KillMode=none. This is unsafe, as it disables systemd's process lifecycle management for the service. Please update the service to use a safer KillMode=, such as 'mixed' or 'control-group'. Support for KillMode=none is deprecated and will eventually be removed.",
    ]);
  });
});
