// `systemctl show` properties of socket units, in systemd 252's order (dbus-socket.c).
import type { SocketSection } from '../unit/model.js';
import { socketTriggerLimit } from '../unit/settings/defaults.js';
import { formatBoolean } from '../unit/values/boolean.js';
import { formatListen } from '../unit/values/listen-address.js';
import { formatTimespan } from '../unit/values/timespan.js';
import { formatUmask } from '../unit/values/umask.js';
import type { Property } from './properties.js';

/** What only a running socket knows. */
export interface SocketFacts {
  readonly result: string;
  readonly controlPid: number;
  readonly nConnections: number;
  readonly nAccepted: number;
  readonly nRefused: number;
  readonly exec: (setting: 'ExecStartPre' | 'ExecStartPost' | 'ExecStopPre' | 'ExecStopPost') => string;
}

export function socketProperties(s: SocketSection, r: SocketFacts): Property[] {
  const yes = formatBoolean;
  const limit = socketTriggerLimit(s);
  return [
    ['BindIPv6Only', s.bindIPv6Only],
    ['Backlog', String(s.backlog)],
    ['SocketUser', s.socketUser ?? ''],
    ['SocketGroup', s.socketGroup ?? ''],
    ['SocketMode', formatUmask(s.socketMode)],
    ['DirectoryMode', formatUmask(s.directoryMode)],
    ['Accept', yes(s.accept)],
    ['KeepAlive', yes(s.keepAlive)],
    ['NoDelay', yes(s.noDelay)],
    ['RemoveOnStop', yes(s.removeOnStop)],
    // systemctl prints one Listen= line per entry (none without any).
    ...s.listen.map((l): Property => ['Listen', formatListen(l)]),
    ['MaxConnections', String(s.maxConnections)],
    ['ReusePort', yes(s.reusePort)],
    ['Result', r.result],
    ['NConnections', String(r.nConnections)],
    ['NAccepted', String(r.nAccepted)],
    ['NRefused', String(r.nRefused)],
    ['FileDescriptorName', s.fileDescriptorName ?? ''],
    ['TriggerLimitIntervalUSec', formatTimespan(limit.intervalUsec)],
    ['TriggerLimitBurst', String(limit.burst)],
    ['TimeoutUSec', formatTimespan(s.timeoutUsec)],
    ['ControlPID', String(r.controlPid)],
    ['ExecStartPre', r.exec('ExecStartPre')],
    ['ExecStartPost', r.exec('ExecStartPost')],
    ['ExecStopPre', r.exec('ExecStopPre')],
    ['ExecStopPost', r.exec('ExecStopPost')],
  ];
}
