// A journal entry with journald's field names (systemd.journal-fields(7)), as `journalctl -o json`
// prints it: every value a string, times in µs since the epoch.
import type { JournalEntry, LogLevel } from './events.js';

/** syslog priorities (PRIORITY=). */
const PRIORITY: Readonly<Record<LogLevel, string>> = { error: '3', warning: '4', notice: '5', info: '6', debug: '7' };

export interface JournalOrigin {
  readonly hostname: string;
  /** The manager's PID: the _PID of its own messages. */
  readonly daemonPid: number;
}

/**
 * The manager's messages carry UNIT= (the unit they are about) and SYSLOG_IDENTIFIER=unitvisor; a unit's
 * output carries _SYSTEMD_UNIT= and the identifier of its program, on the stdout transport, as journald files them.
 */
export function journalFields(entry: JournalEntry, origin: JournalOrigin): Record<string, string> {
  const common = { __REALTIME_TIMESTAMP: String(Math.round(entry.time * 1000)), _HOSTNAME: origin.hostname };
  if (entry.kind === 'output') {
    return { ...common, _TRANSPORT: 'stdout', PRIORITY: '6', SYSLOG_FACILITY: '3', SYSLOG_IDENTIFIER: entry.ident, _PID: String(entry.pid), _SYSTEMD_UNIT: entry.unit, MESSAGE: entry.line };
  }
  return {
    ...common,
    _TRANSPORT: 'journal',
    PRIORITY: PRIORITY[entry.level],
    SYSLOG_FACILITY: '3',
    SYSLOG_IDENTIFIER: 'unitvisor',
    _PID: String(origin.daemonPid),
    ...(entry.unit !== undefined ? { UNIT: entry.unit } : {}),
    MESSAGE: entry.msg,
  };
}
