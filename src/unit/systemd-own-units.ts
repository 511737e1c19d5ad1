// The units of systemd itself, booted from systemd's search path in a container: which unitvisor runs,
// which it stands in for, and which it skips, each with the line it prints instead (README "systemd's own units").
import { parseUnitName } from './unit-name.js';

export interface OwnUnitRule {
  /** stand-in: unitvisor does the job itself; skip: nothing here can do it. Either way the unit is not started. */
  readonly action: 'stand-in' | 'skip';
  readonly reason: string;
}

const JOURNAL: OwnUnitRule = { action: 'stand-in', reason: 'unitvisor keeps the journal (unitvisor logs)' };
const NO_BUS_API: OwnUnitRule = { action: 'skip', reason: "it talks to systemd over D-Bus, which unitvisor does not offer" };
const NO_DEVICES: OwnUnitRule = { action: 'skip', reason: 'a container has no device manager' };
const NO_CONSOLE: OwnUnitRule = { action: 'skip', reason: 'a container has no virtual consoles' };

/** By unit name, or template name for instances ("getty@.service" covers getty@tty1.service). */
const RULES: Readonly<Record<string, OwnUnitRule>> = {
  'systemd-journald.service': JOURNAL,
  'systemd-journald@.service': JOURNAL,
  'systemd-journal-flush.service': JOURNAL,
  'systemd-journal-catalog-update.service': JOURNAL,
  'systemd-logind.service': NO_BUS_API,
  'systemd-update-utmp.service': NO_BUS_API,
  'systemd-update-utmp-runlevel.service': NO_BUS_API,
  'systemd-hostnamed.service': NO_BUS_API,
  'systemd-timedated.service': NO_BUS_API,
  'systemd-localed.service': NO_BUS_API,
  'systemd-udevd.service': NO_DEVICES,
  'systemd-udev-trigger.service': NO_DEVICES,
  'systemd-udev-settle.service': NO_DEVICES,
  'getty@.service': NO_CONSOLE,
  'serial-getty@.service': NO_CONSOLE,
  'getty-static.service': NO_CONSOLE,
  'console-getty.service': NO_CONSOLE,
};

/** dbus.service is started by dbus.socket (--address=systemd:): without socket units it cannot listen. */
const DBUS_WITHOUT_SOCKETS: OwnUnitRule = { action: 'skip', reason: 'it needs socket activation (dbus.socket)' };

/** The rule for `id`, if systemd's own units table names it. */
export function ownUnitRule(id: string, host: { readonly socketUnits: boolean }): OwnUnitRule | undefined {
  if (id === 'dbus.service' && !host.socketUnits) return DBUS_WITHOUT_SOCKETS;
  const direct = RULES[id];
  if (direct !== undefined) return direct;
  const name = parseUnitName(id);
  return name?.instance !== undefined ? RULES[`${name.prefix}@.${name.suffix}`] : undefined;
}

/** The one line printed instead of starting the unit. */
export function ownUnitMessage(subject: string, rule: OwnUnitRule): string {
  return rule.action === 'stand-in' ? `Not starting ${subject}: ${rule.reason}.` : `Skipped ${subject}: ${rule.reason}.`;
}
