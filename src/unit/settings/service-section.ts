// The [Service] settings table (systemd.service(5), load-fragment-gperf.gperf.in "Service.*").
import type { ExecCommand, ExitStatusSet } from '../model.js';
import { EXIT_TYPES, NOTIFY_ACCESS, RESTART_MODES, SERVICE_TYPES, TIMEOUT_FAILURE_MODES } from '../model.js';
import { parseExecLine } from '../values/exec-line.js';
import type { ParseContext, SettingRow, ValueParser } from './define-settings.js';
import { custom, defineSettings, list, scalar } from './define-settings.js';
import { execDirectoryRows } from './exec-directories.js';
import { processSettingRows } from './process-settings.js';
import { sandboxSettingRows } from './sandbox-settings.js';
import { seccompSettingRows } from './seccomp-settings.js';
import { execSettingRows } from './exec-settings.js';
import { killSettingRows } from './kill-settings.js';
import { removedSetting, startLimitRows } from './unit-section.js';
import { UNSUPPORTED_SERVICE_KEYS, unsupportedRows } from './unsupported.js';
import type { UnitDraft } from './unit-draft.js';
import { bool, emergencyAction, exitStatusSet, oneOf, simplifyPath, time } from './value-parsers.js';

/** Exec*= lines; a specifier's value stays one literal piece of its word, as in systemd. */
export const execLine: ValueParser<ExecCommand[]> = (value, ctx) => {
  const expanded = ctx.expandEscaped(value);
  if (expanded === undefined) return undefined;
  const { commands, diagnostics } = parseExecLine(expanded, ctx.file, ctx.line);
  for (const d of diagnostics) {
    if (d.severity === 'error') ctx.fatal(d.message);
    else ctx.warn(d.message);
  }
  return commands;
};

/** PIDFile=: relative paths live below /run; /var/run/ is rewritten (config_parse_pid_file). */
const pidFile: ValueParser<string> = (value, ctx) => {
  const path = simplifyPath(value.startsWith('/') ? value : `/run/${value}`);
  if (path.startsWith('/var/run/')) {
    const updated = path.slice('/var'.length);
    ctx.warn(
      `PIDFile= references a path below legacy directory /var/run/, updating ${path} → ${updated}; please update the unit file accordingly.`,
    );
    return updated;
  }
  return path;
};

/** A D-Bus well-known name: two or more dot-separated elements (service_name_is_valid). */
const busName: ValueParser<string> = (value, ctx) => {
  const element = /^[A-Za-z_-][A-Za-z0-9_-]*$/;
  const parts = value.split('.');
  if (value.length > 255 || parts.length < 2 || !parts.every((p) => element.test(p))) {
    ctx.warn(`Invalid bus name, ignoring: ${value}`);
    return undefined;
  }
  return value;
};

type ExitStatusField = 'successExitStatus' | 'restartPreventExitStatus' | 'restartForceExitStatus';

/** Exit-status sets add up; an empty value resets (config_parse_set_status). */
function exitStatusRow(field: ExitStatusField): SettingRow {
  return {
    specifiers: false,
    apply(draft, value, ctx) {
      if (value.trim() === '') {
        draft.service[field] = { statuses: [], signals: [] };
        return;
      }
      const parsed = exitStatusSet(value, ctx);
      if (parsed === undefined) return;
      const current: ExitStatusSet = draft.service[field];
      draft.service[field] = {
        statuses: [...new Set([...current.statuses, ...parsed.statuses])],
        signals: [...new Set([...current.signals, ...parsed.signals])],
      };
    },
  };
}

const startTimeout = time({ what: 'TimeoutStartSec= parameter', zeroIsInfinity: true });

/** TimeoutSec= sets both start and stop timeouts (config_parse_service_timeout). */
function setBothTimeouts(draft: UnitDraft, usec: number, ctx: ParseContext): void {
  draft.service.timeoutStartUsec = usec;
  draft.service.timeoutStopUsec = usec;
  draft.explicit.add('TimeoutStartSec');
  draft.explicit.add(ctx.key);
}

/** TimeoutAbortSec=: empty goes back to following TimeoutStopSec= (config_parse_service_timeout_abort). */
const timeoutAbort: SettingRow = {
  specifiers: false,
  apply(draft, value, ctx) {
    if (value.trim() === '') {
      draft.explicit.delete('TimeoutAbortSec');
      return;
    }
    const usec = time({ what: 'TimeoutAbortSec= setting' })(value, ctx);
    if (usec === undefined) return;
    draft.service.timeoutAbortUsec = usec;
    draft.explicit.add('TimeoutAbortSec');
  },
};

const execRows: Record<string, SettingRow> = {
  ExecCondition: list('service', 'execCondition', execLine),
  ExecStartPre: list('service', 'execStartPre', execLine),
  ExecStart: list('service', 'execStart', execLine),
  ExecStartPost: list('service', 'execStartPost', execLine),
  ExecReload: list('service', 'execReload', execLine),
  ExecStop: list('service', 'execStop', execLine),
  ExecStopPost: list('service', 'execStopPost', execLine),
};

export const serviceSettings = defineSettings('Service', {
  Type: scalar('service', 'type', oneOf(SERVICE_TYPES, 'service type')),
  ExitType: scalar('service', 'exitType', oneOf(EXIT_TYPES, 'service exit type')),
  RemainAfterExit: scalar('service', 'remainAfterExit', bool),
  GuessMainPID: scalar('service', 'guessMainPID', bool),
  PIDFile: scalar('service', 'pidFile', pidFile, { specifiers: true, empty: { value: undefined } }),
  BusName: scalar('service', 'busName', busName, { specifiers: true, empty: { value: undefined } }),
  ...execRows,
  Restart: scalar('service', 'restart', oneOf(RESTART_MODES, 'service restart specifier')),
  RestartSec: scalar('service', 'restartUsec', time({ what: 'sec value' })),
  SuccessExitStatus: exitStatusRow('successExitStatus'),
  RestartPreventExitStatus: exitStatusRow('restartPreventExitStatus'),
  RestartForceExitStatus: exitStatusRow('restartForceExitStatus'),
  TimeoutStartSec: scalar('service', 'timeoutStartUsec', startTimeout),
  TimeoutStopSec: scalar('service', 'timeoutStopUsec', time({ what: 'time value', zeroIsInfinity: true })),
  TimeoutAbortSec: timeoutAbort,
  TimeoutSec: custom(time({ what: 'TimeoutSec= parameter', zeroIsInfinity: true }), setBothTimeouts),
  TimeoutStartFailureMode: scalar('service', 'timeoutStartFailureMode', oneOf(TIMEOUT_FAILURE_MODES, 'timeout failure mode')),
  TimeoutStopFailureMode: scalar('service', 'timeoutStopFailureMode', oneOf(TIMEOUT_FAILURE_MODES, 'timeout failure mode')),
  RuntimeMaxSec: scalar('service', 'runtimeMaxUsec', time({ what: 'sec value' })),
  WatchdogSec: scalar('service', 'watchdogUsec', time({ what: 'sec value' })),
  NotifyAccess: scalar('service', 'notifyAccess', oneOf(NOTIFY_ACCESS, 'notify access specifier')),
  // Old homes of [Unit] settings, still accepted in [Service].
  StartLimitInterval: startLimitRows['StartLimitInterval']!,
  StartLimitBurst: startLimitRows['StartLimitBurst']!,
  StartLimitAction: startLimitRows['StartLimitAction']!,
  FailureAction: scalar('unit', 'failureAction', emergencyAction),
  SysVStartPriority: removedSetting,
  Capabilities: removedSetting,
  BusPolicy: removedSetting,
  ...execSettingRows,
  ...execDirectoryRows,
  ...processSettingRows,
  ...sandboxSettingRows,
  ...seccompSettingRows,
  ...killSettingRows,
  ...unsupportedRows(UNSUPPORTED_SERVICE_KEYS),
});
