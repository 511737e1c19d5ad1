// systemd's own units table and the boot's summary of load diagnostics (pure).
import { describe, expect, test } from 'vitest';
import { ownUnitMessage, ownUnitRule } from '../../src/unit/systemd-own-units.js';
import { summarizeDiagnostics } from '../../src/unit/diagnostic-summary.js';

describe("systemd's own units", () => {
  test.each([
    ['systemd-journald.service', false, 'stand-in'],
    ['getty@tty1.service', false, 'skip'],
    ['serial-getty@ttyS0.service', false, 'skip'],
    ['systemd-logind.service', false, 'skip'],
    ['dbus.service', false, 'skip'],
    ['dbus.service', true, undefined],
    ['nginx.service', false, undefined],
    ['systemd-tmpfiles-setup.service', false, undefined],
  ] as const)('%s (socket units: %s) → %s', (unit, socketUnits, action) => {
    expect(ownUnitRule(unit, { socketUnits })?.action).toBe(action);
  });

  test('one line each, saying why', () => {
    expect(ownUnitMessage('getty@tty1.service - Getty on tty1', ownUnitRule('getty@tty1.service', { socketUnits: false })!)).toBe('Skipped getty@tty1.service - Getty on tty1: a container has no virtual consoles.');
  });
});

describe('boot diagnostics', () => {
  const lines = [
    "/lib/systemd/system/redis-server.service:20: Setting 'PrivateTmp' is not supported by unitvisor (needs namespaces), ignoring.",
    "/lib/systemd/system/redis-server.service:21: Setting 'SystemCallFilter' is not supported by unitvisor (needs seccomp), ignoring.",
    "/etc/systemd/system/redis-server.service.d/x.conf:2: Setting 'PrivateTmp' is not supported by unitvisor (needs namespaces), ignoring.",
    '/lib/systemd/system/a.timer: Unit type timer is not supported by unitvisor.',
    '/lib/systemd/system/b.socket: Unit type socket is not supported by unitvisor.',
    '/lib/systemd/system/c.socket: Unit type socket is not supported by unitvisor.',
    "systemd-logind.service: Setting 'Type=dbus' is not supported by unitvisor (needs D-Bus). Refusing.",
    "polkit.service: Setting 'Type=dbus' is not supported by unitvisor (needs D-Bus). Refusing.",
    '/u/x.service:3: Unknown key name \'Foo\' in section \'Service\', ignoring.',
  ];

  test('per-setting lines go, types and refusals are one line each, anything else stays', () => {
    expect(summarizeDiagnostics(lines)).toEqual([
      "/u/x.service:3: Unknown key name 'Foo' in section 'Service', ignoring.",
      "2 units not loaded, Type=dbus (needs D-Bus) is not supported by unitvisor: systemd-logind.service, polkit.service.",
      '3 units of types unitvisor does not run are left unloaded (1 timer, 2 socket); list-units --all shows them.',
    ]);
  });
});
