// The event-log contract as types: what the event stream carries, the journal keeps and `logs --json` prints.
import type { ActiveState } from '../unit/active-state.js';

export type LogLevel = 'debug' | 'info' | 'notice' | 'warning' | 'error';

export type ManagerEvent =
  /** A lifecycle or job message in systemd's words; `unit` is the unit systemd's journal files it under. */
  | { readonly kind: 'log'; readonly time: number; readonly level: LogLevel; readonly msg: string; readonly unit?: string }
  /** A unit's ActiveState/SubState changed. */
  | {
      readonly kind: 'state';
      readonly time: number;
      readonly unit: string;
      readonly old: ActiveState;
      readonly new: ActiveState;
      readonly oldSub: string;
      readonly sub: string;
      readonly result: string;
    }
  /** A line a unit's process printed. */
  | {
      readonly kind: 'output';
      readonly time: number;
      readonly unit: string;
      readonly pid: number;
      /** The syslog identifier journald would use: SyslogIdentifier=, else the executable's name. */
      readonly ident: string;
      readonly stream: 'stdout' | 'stderr';
      readonly line: string;
    }
  /** A job was installed, started running, or finished. */
  | {
      readonly kind: 'job';
      readonly time: number;
      readonly unit: string;
      readonly id: number;
      readonly type: string;
      readonly step: 'installed' | 'running' | 'finished';
      readonly result?: string;
    };


/** What the journal keeps: messages and output lines. */
export type JournalEntry = Extract<ManagerEvent, { kind: 'log' | 'output' }>;
